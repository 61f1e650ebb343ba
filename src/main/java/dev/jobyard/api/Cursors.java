package dev.jobyard.api;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

import dev.jobyard.common.BadInputException;

/** Opaque page cursors: what they hold is ours to change. */
final class Cursors {

    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 500;

    private Cursors() {
    }

    /** A page cut from a fetch of {@code size + 1} rows: what to show, whether more exist, the cursor after it. */
    record Page<T>(List<T> items, boolean hasNext, String endCursor) {
        static <T> Page<T> of(List<T> fetched, int size, String after, Function<T, String> cursorOf) {
            boolean more = fetched.size() > size;
            List<T> items = more ? fetched.subList(0, size) : fetched;
            return new Page<>(items, more, items.isEmpty() ? after : cursorOf.apply(items.get(items.size() - 1)));
        }
    }

    static int pageSize(Integer first) {
        int size = first == null ? DEFAULT_PAGE : first;
        if (size < 1 || size > MAX_PAGE) {
            throw new BadInputException("first", "must be between 1 and " + MAX_PAGE + ", got " + size);
        }
        return size;
    }

    static String ofId(long id) {
        return encode("id:" + id);
    }

    static long idAfter(String cursor) {
        if (cursor == null) {
            return 0;
        }
        String raw = decode(cursor);
        try {
            return Long.parseLong(raw.substring("id:".length()));
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    /** A history position: (completedAt, id). */
    record HistoryPosition(OffsetDateTime completedAt, long id) {
    }

    static String ofHistory(OffsetDateTime completedAt, long id) {
        return encode("h:" + completedAt + "|" + id);
    }

    static HistoryPosition historyAfter(String cursor) {
        if (cursor == null) {
            return null;
        }
        String raw = decode(cursor);
        try {
            String[] parts = raw.substring(2).split("\\|");
            return new HistoryPosition(OffsetDateTime.parse(parts[0]), Long.parseLong(parts[1]));
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    private static String encode(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static BadInputException invalid() {
        return new BadInputException("after", "is not a cursor this query returned");
    }
}
