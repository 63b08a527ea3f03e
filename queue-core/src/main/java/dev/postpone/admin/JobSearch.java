package dev.postpone.admin;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which jobs {@link JobAdmin#search(JobSearch)} looks for: every part that is set must match. Results
 * come newest first, a page at a time; {@link JobSearchPage#next()} continues below the last job seen.
 * Unlike {@link JobFilter}, the cost of one search is bounded whatever the table's size and the
 * filter's selectivity: it reads at most {@code maxScanned} job ids (newest first) per page, and says
 * where it stopped when that was not enough to fill the page.
 *
 * @param statuses    empty: any status
 * @param text        a case-insensitive substring of the arguments' JSON text; null or empty: any
 * @param secretFields field names (a PostgreSQL regular expression, case-insensitive) whose values {@code text}
 *                    does not look into, so a search cannot reveal a secret; null: every value
 * @param createdFrom created at or after (null: no bound)
 * @param createdTo   created before (null: no bound)
 * @param beforeId    start below this id (null: at the newest job)
 * @param limit       page size, 1 to 1000
 * @param maxScanned  how many job ids one page may read at most before it stops (at least the limit)
 */
public record JobSearch(
        String queue, String task, Set<JobStatus> statuses, String text, String secretFields, Instant createdFrom, Instant createdTo,
        Long beforeId, int limit, int maxScanned) {

    public static final int DEFAULT_LIMIT = 50;
    /** About 50 ms of reading on a warm cache: a page of a rare filter stops here and offers to continue. */
    public static final int DEFAULT_MAX_SCANNED = 200_000;

    public JobSearch {
        statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
        if (text != null && text.isEmpty()) text = null;
        if (secretFields != null && secretFields.isEmpty()) secretFields = null;
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be between 1 and 1000: " + limit);
        if (maxScanned < limit) throw new IllegalArgumentException("maxScanned must be at least the limit: " + maxScanned);
    }

    public static JobSearch all() {
        return new JobSearch(null, null, Set.of(), null, null, null, null, null, DEFAULT_LIMIT, DEFAULT_MAX_SCANNED);
    }

    public JobSearch queue(String q) {
        return new JobSearch(q, task, statuses, text, secretFields, createdFrom, createdTo, beforeId, limit, maxScanned);
    }

    public JobSearch task(String t) {
        return new JobSearch(queue, t, statuses, text, secretFields, createdFrom, createdTo, beforeId, limit, maxScanned);
    }

    public JobSearch statuses(Set<JobStatus> s) {
        return new JobSearch(queue, task, s, text, secretFields, createdFrom, createdTo, beforeId, limit, maxScanned);
    }

    public JobSearch statuses(JobStatus... s) {
        return statuses(s.length == 0 ? Set.of() : EnumSet.of(s[0], s));
    }

    public JobSearch text(String t) {
        return new JobSearch(queue, task, statuses, t, secretFields, createdFrom, createdTo, beforeId, limit, maxScanned);
    }

    /** Field names (a PostgreSQL regular expression, case-insensitive) whose values {@link #text(String)} skips. */
    public JobSearch secretFields(String regex) {
        return new JobSearch(queue, task, statuses, text, regex, createdFrom, createdTo, beforeId, limit, maxScanned);
    }

    /** Created at or after {@code from} and before {@code to} (either may be null). */
    public JobSearch createdBetween(Instant from, Instant to) {
        return new JobSearch(queue, task, statuses, text, secretFields, from, to, beforeId, limit, maxScanned);
    }

    public JobSearch beforeId(Long id) {
        return new JobSearch(queue, task, statuses, text, secretFields, createdFrom, createdTo, id, limit, maxScanned);
    }

    public JobSearch limit(int n) {
        return new JobSearch(queue, task, statuses, text, secretFields, createdFrom, createdTo, beforeId, n, Math.max(n, maxScanned));
    }

    public JobSearch maxScanned(int n) {
        return new JobSearch(queue, task, statuses, text, secretFields, createdFrom, createdTo, beforeId, limit, n);
    }

    /** The same jobs as a {@link JobSelection}, for a bulk change of what this search lists (the cursor and page size left out). */
    public JobSelection asSelection() {
        return JobSelection.all().queue(queue).task(task).statuses(statuses).text(text).secretFields(secretFields)
                .createdBetween(createdFrom, createdTo);
    }
}
