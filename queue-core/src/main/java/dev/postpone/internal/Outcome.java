package dev.postpone.internal;

import java.time.Instant;
import java.util.Locale;

/**
 * How an attempt ended, as {@code complete_jobs_v2} records it; or, for {@link Kind#HAND_BACK}, a job
 * this worker cannot run, handed back at {@code retryAt} without spending an attempt.
 *
 * @param resultJson what a succeeded handler returned, as JSON text (null: nothing to store)
 * @param note       a remark for the attempt history, e.g. why the result was not stored
 */
public record Outcome(long jobId, Kind kind, Instant retryAt, String error, String errorTrace, String resultJson, String note) {

    public enum Kind {
        SUCCEEDED, FAILED, CANCELLED, RETRY, HAND_BACK;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static Outcome succeeded(long jobId) {
        return succeeded(jobId, null, null);
    }

    public static Outcome succeeded(long jobId, String resultJson, String note) {
        return new Outcome(jobId, Kind.SUCCEEDED, null, null, null, resultJson, note);
    }

    public static Outcome failed(long jobId, String error, String trace) {
        return new Outcome(jobId, Kind.FAILED, null, error, trace, null, null);
    }

    public static Outcome retry(long jobId, Instant at, String error, String trace) {
        return new Outcome(jobId, Kind.RETRY, at, error, trace, null, null);
    }

    /** Stopped because someone cancelled the job while it ran: never retried. */
    public static Outcome cancelled(long jobId, String error, String trace, String note) {
        return new Outcome(jobId, Kind.CANCELLED, null, error, trace, null, note);
    }

    /** Not run: back to the queue at {@code at}, attempt not counted, {@code reason} kept as the job's last error. */
    public static Outcome handBack(long jobId, Instant at, String reason) {
        return new Outcome(jobId, Kind.HAND_BACK, at, reason, null, null, null);
    }
}
