package dev.postpone.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Delay {@code initialDelay * multiplier^(attempt-1)}, at most {@code cap}, then spread by a random
 * {@code ±jitter} fraction so that jobs failing together do not all retry in the same instant.
 */
public record ExponentialBackoff(
        Duration initialDelay, double multiplier, Duration cap, double jitter, int maxAttempts, RandomGenerator random)
        implements RetryPolicy {

    public ExponentialBackoff {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(cap, "cap");
        Objects.requireNonNull(random, "random");
        if (initialDelay.isNegative()) throw new IllegalArgumentException("initialDelay must not be negative");
        if (multiplier < 1.0) throw new IllegalArgumentException("multiplier must be at least 1: " + multiplier);
        if (jitter < 0.0 || jitter >= 1.0) throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }

    static ExponentialBackoff of(Duration initialDelay, int maxAttempts) {
        return new ExponentialBackoff(initialDelay, 2.0, Duration.ofHours(1), 0.0, maxAttempts, RandomGenerator.getDefault());
    }

    public ExponentialBackoff withMultiplier(double m) {
        return new ExponentialBackoff(initialDelay, m, cap, jitter, maxAttempts, random);
    }

    /** The longest delay between two attempts (default one hour). */
    public ExponentialBackoff withCap(Duration c) {
        return new ExponentialBackoff(initialDelay, multiplier, c, jitter, maxAttempts, random);
    }

    /** Spread each delay by up to {@code fraction} of it, both ways (e.g. 0.2 = ±20 %). */
    public ExponentialBackoff withJitter(double fraction) {
        return new ExponentialBackoff(initialDelay, multiplier, cap, fraction, maxAttempts, random);
    }

    /** The source of jitter; tests pass a seeded generator to make delays reproducible. */
    public ExponentialBackoff withRandom(RandomGenerator r) {
        return new ExponentialBackoff(initialDelay, multiplier, cap, jitter, maxAttempts, r);
    }

    @Override
    public RetryDecision decide(int attempt, Throwable error) {
        if (attempt >= maxAttempts) return RetryDecision.giveUp("no attempts left (" + maxAttempts + " allowed)");
        double base = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        double capped = Math.min(base, cap.toMillis());
        double spread = jitter == 0.0 ? 0.0 : capped * jitter * (2 * random.nextDouble() - 1);
        long millis = Math.max(0, Math.round(Math.min(capped + spread, cap.toMillis())));
        return RetryDecision.retryAfter(Duration.ofMillis(millis));
    }
}
