package dev.jobyard.api;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

import dev.jobyard.schedule.MisfirePolicy;
import dev.jobyard.schedule.ScheduleRequest;

@Input("ScheduleInput")
@Description("A schedule to create, or the fields to change on update (null keeps the stored value).")
public class ScheduleInput {

    @Description("Unique; at most 200 characters. Required on create.")
    public String name;
    public String description;
    @Description("Cron (5 fields), a macro (@daily...), an interval (30s, @every 5 minutes), a one-off "
            + "(@after 10 minutes, now, an ISO-8601 time), @reboot, or null/manual. See validateSchedule.")
    public String schedule;
    @Description("IANA time zone the cron fields are read in; default UTC.")
    public String timezone;
    @Description("The kind of job each slot creates. Required on create.")
    public String jobKind;
    public jakarta.json.JsonValue payload;
    public String queue;
    public Integer priority;
    public Integer maxAttempts;
    public Integer timeoutSeconds;
    @Description("Skip a slot while this many of its jobs are pending or running; at least 1; null for no limit.")
    public Integer maxInstances;
    @Description("Delete the schedule after its first successful run.")
    public Boolean selfDestruct;
    @Description("While its job runs no other schedule's job starts.")
    public Boolean exclusive;
    @Description("What to do about slots missed during downtime; default FIRE_ONCE.")
    public MisfirePolicy misfirePolicy;

    ScheduleRequest toRequest() {
        return new ScheduleRequest(name, description, schedule, timezone, jobKind, JsonValues.objectOf("input.payload", payload), queue,
                priority, maxAttempts, timeoutSeconds, maxInstances, selfDestruct, exclusive, misfirePolicy);
    }
}
