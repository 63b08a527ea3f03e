package dev.postpone.dashboard;

import dev.postpone.admin.JobSearch;
import dev.postpone.admin.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Jobs page's filter as it travels in URLs and forms: queue, task, statuses, text in arguments,
 * a time range (a recent window such as "1h", or from/to in UTC), and the keyset cursor.
 */
record JobsFilter(String queue, String task, Set<JobStatus> statuses, String text, String range, String from, String to,
                  Long before) {

    static final Map<String, Duration> RANGES = rangeChoices();

    private static Map<String, Duration> rangeChoices() {
        Map<String, Duration> r = new LinkedHashMap<>();
        r.put("15m", Duration.ofMinutes(15));
        r.put("1h", Duration.ofHours(1));
        r.put("6h", Duration.ofHours(6));
        r.put("24h", Duration.ofHours(24));
        r.put("7d", Duration.ofDays(7));
        return r;
    }

    static JobsFilter of(DashboardRequest r) {
        Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
        for (String s : r.params("status")) {
            if (!s.isBlank()) statuses.add(JobStatus.fromLabel(s.strip()));
        }
        String range = r.param("range");
        if (range != null && !RANGES.containsKey(range)) throw new IllegalArgumentException("unknown time range '" + range + "'");
        String before = r.param("before");
        Long beforeId;
        try {
            beforeId = before == null ? null : Long.valueOf(before);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'before' must be a job id, not '" + before + "'");
        }
        return new JobsFilter(r.param("queue"), r.param("task"), statuses, r.param("text"), range, r.param("from"), r.param("to"), beforeId);
    }

    JobSearch search(Instant now, int limit) {
        Instant createdFrom = range != null ? now.minus(RANGES.get(range)) : instant("from", from);
        Instant createdTo = range != null ? null : instant("to", to);
        return JobSearch.all().queue(queue).task(task).statuses(statuses).text(text).createdBetween(createdFrom, createdTo)
                .beforeId(before).limit(limit);
    }

    private static Instant instant(String name, String value) {
        if (value == null) return null;
        try {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("'" + name + "' must be a UTC time like 2026-01-31T14:30, not '" + value + "'");
            }
        }
    }

    boolean isEmpty() {
        return queue == null && task == null && statuses.isEmpty() && text == null && range == null && from == null && to == null;
    }

    /** The filter's parameters without the cursor, as name/value pairs. */
    List<String[]> pairs() {
        List<String[]> p = new ArrayList<>();
        p.add(new String[] {"queue", queue});
        p.add(new String[] {"task", task});
        statuses.stream().map(JobStatus::label).forEach(s -> p.add(new String[] {"status", s}));
        p.add(new String[] {"text", text});
        p.add(new String[] {"range", range});
        p.add(new String[] {"from", from});
        p.add(new String[] {"to", to});
        return p;
    }

    /** A URL of the jobs list with this filter and the given cursor (null: the newest). */
    String url(Dashboard.View v, Long beforeId) {
        List<String[]> p = new ArrayList<>(pairs());
        if (beforeId != null) p.add(new String[] {"before", beforeId.toString()});
        return v.url("/jobs") + Pages.query(p);
    }

    /** In words, for confirmations: "queue emails, task send, status failed, …". */
    String describe() {
        List<String> parts = new ArrayList<>();
        if (queue != null) parts.add("queue " + queue);
        if (task != null) parts.add("task " + task);
        if (!statuses.isEmpty()) parts.add("status " + String.join(" or ", statuses.stream().map(JobStatus::label).toList()));
        if (text != null) parts.add("arguments containing \"" + text + "\"");
        if (range != null) parts.add("created in the last " + range);
        if (from != null) parts.add("created from " + from + " UTC");
        if (to != null) parts.add("created before " + to + " UTC");
        return parts.isEmpty() ? "every job" : String.join(", ", parts);
    }
}
