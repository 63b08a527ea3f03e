package dev.postpone.internal;

import java.time.Instant;
import java.util.Locale;

/**
 * How an attempt ended, as {@code complete_jobs_v1} records it; or, for {@link Kind#HAND_BACK}, a job
 * this worker cannot run, handed back at {@code retryAt} without spending an attempt.
 */
public record Outcome(long jobId, Kind kind, Instant retryAt, String error, String errorTrace) {

    public enum Kind {
        SUCCEEDED, FAILED, CANCELLED, RETRY, HAND_BACK;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static Outcome succeeded(long jobId) {
        return new Outcome(jobId, Kind.SUCCEEDED, null, null, null);
    }

    public static Outcome failed(long jobId, String error, String trace) {
        return new Outcome(jobId, Kind.FAILED, null, error, trace);
    }

    public static Outcome retry(long jobId, Instant at, String error, String trace) {
        return new Outcome(jobId, Kind.RETRY, at, error, trace);
    }

    /** Not run: back to the queue at {@code at}, attempt not counted, {@code reason} kept as the job's last error. */
    public static Outcome handBack(long jobId, Instant at, String reason) {
        return new Outcome(jobId, Kind.HAND_BACK, at, reason, null);
    }
}
