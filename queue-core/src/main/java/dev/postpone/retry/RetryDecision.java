package dev.postpone.retry;

import java.time.Duration;
import java.util.Objects;

/** What to do after a failed attempt: run again after a delay, or give up (the job fails). */
public sealed interface RetryDecision {

    static RetryDecision retryAfter(Duration delay) {
        return new RetryAfter(delay);
    }

    static RetryDecision giveUp(String reason) {
        return new GiveUp(reason);
    }

    /** Run the job again once {@code delay} has passed. */
    record RetryAfter(Duration delay) implements RetryDecision {
        public RetryAfter {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) throw new IllegalArgumentException("retry delay must not be negative: " + delay);
        }
    }

    /** Stop retrying; the job ends failed. */
    record GiveUp(String reason) implements RetryDecision {
    }
}
