package dev.postpone.admin;

import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * Which jobs a bulk {@link JobAdmin#cancel(JobSelection) cancel}, {@link JobAdmin#retry(JobSelection, java.time.Instant)
 * retry}, {@link JobAdmin#delete(JobSelection) delete} or {@link JobAdmin#count(JobSelection) count} acts on:
 * every part that is set must match. Empty {@code ids} and {@code statuses} do not restrict; a null part
 * does not either. The parts a {@link JobSearch} has mean the same here ({@link JobSearch#asSelection()}),
 * so whatever a search lists can be changed in bulk.
 *
 * <pre>{@code
 * admin.cancel(JobSelection.all().queue("emails").task("send-newsletter"));
 * admin.retry(JobSelection.ids(41, 42), null);
 * admin.retry(JobSelection.all().statuses(JobStatus.FAILED).text("order-42").createdBetween(since, null), null);
 * }</pre>
 *
 * @param text         a case-insensitive substring of the arguments' JSON text
 * @param secretFields a PostgreSQL regular expression (case-insensitive) of argument field names whose values
 *                     {@code text} does not look into, so a count cannot reveal a secret; null: every value
 * @param createdFrom  created at or after (null: no bound); a time range reads only the jobs of that period
 * @param createdTo    created before (null: no bound)
 * @param idFrom       job ids at least this (null: no bound); what bounds the cost of a text filter
 * @param idTo         job ids below this (null: no bound)
 * @param limit        only the newest this many matching jobs (null: all); a count stops there
 */
public record JobSelection(List<Long> ids, String queue, String task, Set<JobStatus> statuses, String text, String secretFields,
                           Instant createdFrom, Instant createdTo, Long idFrom, Long idTo, Integer limit) {

    public JobSelection {
        ids = ids == null ? List.of() : List.copyOf(ids);
        statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
        if (text != null && text.isEmpty()) text = null;
        if (secretFields != null && secretFields.isEmpty()) secretFields = null;
        if (limit != null && limit < 1) throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }

    /** Ids, queue, task and statuses only. */
    public JobSelection(List<Long> ids, String queue, String task, Set<JobStatus> statuses) {
        this(ids, queue, task, statuses, null, null, null, null, null, null, null);
    }

    /** Every job (each operation still acts only on the statuses it applies to, see {@link JobAction}). */
    public static JobSelection all() {
        return new JobSelection(List.of(), null, null, Set.of());
    }

    public static JobSelection ids(long... ids) {
        return ids(LongStream.of(ids).boxed().toList());
    }

    public static JobSelection ids(Collection<Long> ids) {
        if (ids.isEmpty()) throw new IllegalArgumentException("ids must not be empty; use JobSelection.all() for every job");
        return new JobSelection(List.copyOf(ids), null, null, Set.of());
    }

    public JobSelection queue(String q) {
        return new JobSelection(ids, q, task, statuses, text, secretFields, createdFrom, createdTo, idFrom, idTo, limit);
    }

    public JobSelection task(String t) {
        return new JobSelection(ids, queue, t, statuses, text, secretFields, createdFrom, createdTo, idFrom, idTo, limit);
    }

    public JobSelection statuses(Collection<JobStatus> s) {
        return new JobSelection(ids, queue, task, s == null ? Set.of() : Set.copyOf(s), text, secretFields, createdFrom, createdTo,
                idFrom, idTo, limit);
    }

    public JobSelection statuses(JobStatus... s) {
        return statuses(List.of(s));
    }

    /** Arguments whose JSON text contains {@code t}, case-insensitive (null or empty: any). */
    public JobSelection text(String t) {
        return new JobSelection(ids, queue, task, statuses, t, secretFields, createdFrom, createdTo, idFrom, idTo, limit);
    }

    /** Field names (a PostgreSQL regular expression, case-insensitive) whose values {@link #text(String)} skips. */
    public JobSelection secretFields(String regex) {
        return new JobSelection(ids, queue, task, statuses, text, regex, createdFrom, createdTo, idFrom, idTo, limit);
    }

    /** Created at or after {@code from} and before {@code to} (either may be null). */
    public JobSelection createdBetween(Instant from, Instant to) {
        return new JobSelection(ids, queue, task, statuses, text, secretFields, from, to, idFrom, idTo, limit);
    }

    /** Job ids in [{@code from}, {@code to}) (either may be null). */
    public JobSelection idsBetween(Long from, Long to) {
        return new JobSelection(ids, queue, task, statuses, text, secretFields, createdFrom, createdTo, from, to, limit);
    }

    /** Only the newest {@code n} matching jobs. */
    public JobSelection limit(Integer n) {
        return new JobSelection(ids, queue, task, statuses, text, secretFields, createdFrom, createdTo, idFrom, idTo, n);
    }

    /** True when only ids select: the caller named each job. */
    public boolean onlyIds() {
        return !ids.isEmpty() && queue == null && task == null && statuses.isEmpty() && text == null && createdFrom == null
                && createdTo == null && idFrom == null && idTo == null && limit == null;
    }

    /** True when text or a time range selects: parts no index answers, so each candidate job is read. */
    public boolean hasTextOrTime() {
        return text != null || createdFrom != null || createdTo != null;
    }
}
