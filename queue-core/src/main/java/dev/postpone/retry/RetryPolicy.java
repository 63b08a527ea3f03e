package dev.postpone.retry;

import java.time.Duration;
import java.util.List;

/**
 * Decides whether a failed job runs again, and when: a pure function of the attempt number and the
 * exception. A job is attempted at most {@link #maxAttempts()} times in total (the first run counts);
 * the worker gives up without asking the policy once that many attempts were made.
 *
 * <pre>{@code
 * RetryPolicy.exponential(Duration.ofSeconds(1), 8).withCap(Duration.ofMinutes(5)).withJitter(0.2)
 *            .neverOn(IllegalArgumentException.class);
 * }</pre>
 */
public interface RetryPolicy {

    /** Total attempts allowed, the first run included (at least 1). */
    int maxAttempts();

    /**
     * Called after attempt {@code attempt} (1-based) failed with {@code error}, when
     * {@code attempt < maxAttempts()}.
     */
    RetryDecision decide(int attempt, Throwable error);

    /** Never retry: one attempt. */
    static RetryPolicy none() {
        return FixedDelay.NONE;
    }

    /** Retry after the same delay each time, up to {@code maxAttempts} attempts in total. */
    static RetryPolicy fixed(Duration delay, int maxAttempts) {
        return new FixedDelay(delay, maxAttempts);
    }

    /**
     * Retry after {@code initialDelay}, then doubling (see {@link ExponentialBackoff} for multiplier, cap
     * and jitter), up to {@code maxAttempts} attempts in total.
     */
    static ExponentialBackoff exponential(Duration initialDelay, int maxAttempts) {
        return ExponentialBackoff.of(initialDelay, maxAttempts);
    }

    /** Retries only when the exception (or one of its causes) is one of {@code types}; others fail at once. */
    default RetryPolicy retryOn(Class<? extends Throwable>... types) {
        return new ExceptionFilter(this, List.of(types), true);
    }

    /** Never retries when the exception (or one of its causes) is one of {@code types}. */
    default RetryPolicy neverOn(Class<? extends Throwable>... types) {
        return new ExceptionFilter(this, List.of(types), false);
    }
}
