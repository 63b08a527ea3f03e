package dev.postpone.admin;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * Which jobs a bulk {@link JobAdmin#cancel(JobSelection) cancel}, {@link JobAdmin#retry(JobSelection, java.time.Instant)
 * retry}, {@link JobAdmin#delete(JobSelection) delete} or {@link JobAdmin#count(JobSelection) count} acts on:
 * every part that is set must match. Empty {@code ids} and {@code statuses} do not restrict; a null queue or
 * task does not either.
 *
 * <pre>{@code
 * admin.cancel(JobSelection.all().queue("emails").task("send-newsletter"));
 * admin.retry(JobSelection.ids(41, 42), null);
 * }</pre>
 */
public record JobSelection(List<Long> ids, String queue, String task, Set<JobStatus> statuses) {

    public JobSelection {
        ids = ids == null ? List.of() : List.copyOf(ids);
        statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
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
        return new JobSelection(ids, q, task, statuses);
    }

    public JobSelection task(String t) {
        return new JobSelection(ids, queue, t, statuses);
    }

    public JobSelection statuses(Collection<JobStatus> s) {
        return new JobSelection(ids, queue, task, s == null ? Set.of() : Set.copyOf(s));
    }

    public JobSelection statuses(JobStatus... s) {
        return statuses(List.of(s));
    }

    /** True when only ids select: the caller named each job. */
    public boolean onlyIds() {
        return !ids.isEmpty() && queue == null && task == null && statuses.isEmpty();
    }
}
