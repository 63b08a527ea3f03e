package dev.postpone.worker;

import dev.postpone.JobCancelledException;
import java.time.Duration;

/** Recorded as a job's error when an attempt ran past its task's timeout; counts as a failed attempt. */
public class JobTimeoutException extends JobCancelledException {

    public JobTimeoutException(long jobId, String task, Duration timeout) {
        super("job " + jobId + " (" + task + ") ran longer than its timeout of " + timeout + " and was interrupted");
    }
}
