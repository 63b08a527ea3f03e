package dev.postpone.retry;

import java.time.Duration;
import java.util.Objects;

/** The same delay before every retry. */
public record FixedDelay(Duration delay, int maxAttempts) implements RetryPolicy {

    static final FixedDelay NONE = new FixedDelay(Duration.ZERO, 1);

    public FixedDelay {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) throw new IllegalArgumentException("delay must not be negative: " + delay);
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }

    @Override
    public RetryDecision decide(int attempt, Throwable error) {
        return attempt >= maxAttempts
                ? RetryDecision.giveUp("no attempts left (" + maxAttempts + " allowed)")
                : RetryDecision.retryAfter(delay);
    }
}
