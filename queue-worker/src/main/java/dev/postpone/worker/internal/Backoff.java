package dev.postpone.worker.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Growing pauses between reconnect attempts (doubling from {@code min} to {@code max}, ±20% jitter). Not thread-safe. */
final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private long nextMillis;

    Backoff(Duration min, Duration max) {
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        this.nextMillis = minMillis;
    }

    static Backoff reconnect() {
        return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    /** The next pause: jittered so many workers do not reconnect in lockstep. */
    long nextMillis() {
        long base = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Math.max(1, (long) (base * jitter));
    }

    /** Sleeps the next pause; false when interrupted. */
    boolean pause() {
        try {
            Thread.sleep(nextMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void reset() {
        nextMillis = minMillis;
    }
}
