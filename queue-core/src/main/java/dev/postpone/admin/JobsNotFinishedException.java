package dev.postpone.admin;

import dev.postpone.PostponeException;
import java.util.Map;

/** {@link JobAdmin#awaitFinished} ran out of time: some jobs are still waiting or running. */
public class JobsNotFinishedException extends PostponeException {

    private final Map<Long, JobStatus> unfinished;

    public JobsNotFinishedException(String message, Map<Long, JobStatus> unfinished) {
        super(message);
        this.unfinished = Map.copyOf(unfinished);
    }

    /** The jobs not finished when the time ran out, with their status then ({@code TODO} or {@code DOING}). */
    public Map<Long, JobStatus> unfinished() {
        return unfinished;
    }
}
