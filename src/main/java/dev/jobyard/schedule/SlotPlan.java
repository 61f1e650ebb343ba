package dev.jobyard.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import dev.jobyard.schedule.expression.ScheduleExpression;
import dev.jobyard.schedule.expression.ScheduleKind;

/**
 * What the firer does with one due schedule, computed without touching the database: which slots fire,
 * which are recorded as skipped and why, and the next slot to store. Pure, so every rule about late
 * slots can be checked without waiting for real time.
 *
 * <ul>
 *   <li>A slot is <em>missed</em> when it is more than the misfire threshold before now; only missed slots
 *       follow the misfire policy. Later slots fire one by one, however late the first one was.</li>
 *   <li>Missed slots are never walked one by one: the latest ones and their number are computed directly
 *       ({@link ScheduleExpression#slotsBetween}), so 13 days of an {@code @every 1 second} schedule cost no more
 *       than an hour of it.</li>
 *   <li>A stored cron slot that is not on the timetable (the zone's rules changed after it was computed) stands
 *       for the timetable slot nearest to it. When that one is still ahead, the schedule moves to it without
 *       firing; when it has passed, the stored slot fires in its place. Either way that slot fires once.</li>
 * </ul>
 */
final class SlotPlan {

    /** Missed slots counted one by one (cron) beyond this are reported as "more than". */
    static final long COUNT_CAP = 10_000;
    /** Slots within the threshold fired in one transaction at most; the rest follow in the next rounds. */
    private static final int MAX_ON_TIME = 1_000;

    /** One slot: it fires when {@code skipReason} is null, else it is recorded as skipped. */
    record Step(Instant slot, String skipReason) {
        boolean fires() {
            return skipReason == null;
        }
    }

    final List<Step> steps;
    /** The next slot to store; null when the schedule has none left. */
    final Instant next;
    /** For the log when slots were missed or the stored slot was off the timetable; else null. */
    final String note;

    private SlotPlan(List<Step> steps, Instant next, String note) {
        this.steps = steps;
        this.next = next;
        this.note = note;
    }

    /**
     * @param slot the stored next slot, due (not after {@code now})
     * @throws RuntimeException when the schedule cannot be evaluated; the firer sets it aside
     */
    static SlotPlan of(Schedule s, Instant slot, Instant now, Duration threshold, int catchUpLimit) {
        ScheduleExpression expression = evaluate(s);
        if (expression.kind() == ScheduleKind.CRON && !expression.isSlot(slot)) {
            Instant ahead = expression.nextAfter(slot).orElse(null);
            if (ahead != null && nearerThanPrevious(expression, slot, ahead)) {
                return new SlotPlan(List.of(), ahead, "stored slot " + slot + " is not on the timetable of '"
                        + s.expression() + "' in " + s.timezone() + "; it stands for " + ahead + ", which fires instead");
            }
        }
        List<Step> steps = new ArrayList<>();
        String note = null;
        Instant cursor = slot;
        Instant cutoff = now.minus(threshold);
        if (slot.isBefore(cutoff)) {
            int keep = s.misfirePolicy() == MisfirePolicy.CATCH_UP ? Math.max(1, catchUpLimit) : 1;
            ScheduleExpression.Slots missed = expression.slotsBetween(slot, cutoff, keep, COUNT_CAP);
            List<Instant> latest = missed.latest().isEmpty() ? List.of(slot) : missed.latest();
            long count = Math.max(1, missed.count());
            String counted = (missed.countCapped() ? "more than " : "") + count;
            note = "missed " + counted + " slots (from " + slot + "); misfire policy " + s.misfirePolicy();
            switch (s.misfirePolicy()) {
                case SKIP -> steps.add(new Step(latest.get(latest.size() - 1), "missed " + counted
                        + " slots while no leader could fire them (misfire policy SKIP)"));
                case FIRE_ONCE -> steps.add(new Step(latest.get(latest.size() - 1), null));
                case CATCH_UP -> {
                    if (missed.countCapped() || count > latest.size()) {
                        String older = missed.countCapped() ? "more than " + (count - latest.size()) : String.valueOf(count - latest.size());
                        steps.add(new Step(slot, older + " missed slots older than the catch-up limit were dropped"));
                    }
                    latest.forEach(t -> steps.add(new Step(t, null)));
                }
            }
            // The first slot not missed: at the cutoff or after it.
            cursor = expression.nextAfter(cutoff.minus(1, ChronoUnit.MICROS)).orElse(null);
        }
        int onTime = 0;
        while (cursor != null && !cursor.isAfter(now) && onTime < MAX_ON_TIME) {
            steps.add(new Step(cursor, null));
            onTime++;
            cursor = expression.nextAfter(cursor).orElse(null);
        }
        return new SlotPlan(List.copyOf(steps), cursor, note);
    }

    /** Parses the stored schedule and checks the row is consistent; throws when it cannot be evaluated. */
    static ScheduleExpression evaluate(Schedule s) {
        ScheduleExpression expression = ScheduleService.parse(s.expression(), s.timezone(), s.anchorAt());
        if (expression.kind() != s.kind()) {
            throw new IllegalStateException("the stored kind " + s.kind() + " does not match expression '"
                    + s.expression() + "', which is " + expression.kind());
        }
        if (s.job().payload() == null) {
            throw new IllegalStateException("the stored job payload is not a JSON object");
        }
        return expression;
    }

    /** True when {@code ahead} is nearer to {@code slot} than any timetable slot before it. */
    private static boolean nearerThanPrevious(ScheduleExpression expression, Instant slot, Instant ahead) {
        Duration distance = Duration.between(slot, ahead);
        return expression.slotsBetween(slot.minus(distance), slot, 1, 1).latest().isEmpty();
    }
}
