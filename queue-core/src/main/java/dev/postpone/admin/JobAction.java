package dev.postpone.admin;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The bulk changes of {@link JobAdmin} and the statuses each applies to: the one place that says which
 * jobs may be cancelled, retried or deleted. A running ({@code doing}) job is held by a worker: only
 * cancel touches it, by asking that worker to stop it.
 */
public enum JobAction {
    /** Waiting jobs become cancelled; running jobs are aborted (their worker stops them, they end cancelled). */
    CANCEL(EnumSet.of(JobStatus.TODO, JobStatus.DOING)),
    /** Failed and cancelled jobs wait again, with one more attempt allowed. */
    RETRY(EnumSet.of(JobStatus.FAILED, JobStatus.CANCELLED)),
    /** Waiting and finished jobs are removed. */
    DELETE(EnumSet.of(JobStatus.TODO, JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED));

    private final Set<JobStatus> actsOn;

    JobAction(Set<JobStatus> actsOn) {
        this.actsOn = Set.copyOf(actsOn);
    }

    public Set<JobStatus> actsOn() {
        return actsOn;
    }

    /** As in messages: {@code cancel}, {@code retry}, {@code delete}. */
    public String verb() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The selection narrowed to the statuses this action applies to: all of them when it names none.
     *
     * @throws IllegalArgumentException when it names a status this action does not apply to
     */
    public JobSelection restrict(JobSelection selection) {
        if (selection.statuses().isEmpty()) return selection.statuses(actsOn);
        Set<JobStatus> refused = selection.statuses().stream().filter(s -> !actsOn.contains(s))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(JobStatus.class)));
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("cannot " + verb() + " " + labels(refused) + " jobs; " + verb()
                    + " applies to " + labels(actsOn) + " jobs");
        }
        return selection;
    }

    private static String labels(Set<JobStatus> statuses) {
        return EnumSet.copyOf(statuses).stream().map(JobStatus::label).collect(Collectors.joining(", "));
    }
}
