package dev.postpone.worker;

/**
 * What a periodic task does with the ticks it missed while no worker ran (after downtime).
 * The default, {@link #latestOnly()}, defers just the most recent missed tick, so a long outage does
 * not turn into a storm of jobs; {@link #allMissed(int)} defers up to that many of the latest ones.
 *
 * @param maxTicks how many of the most recent missed ticks are deferred (at least 1)
 */
public record CatchUp(int maxTicks) {

    public CatchUp {
        if (maxTicks < 1) throw new IllegalArgumentException("catch-up must defer at least 1 tick: " + maxTicks);
    }

    /** Defer only the most recent missed tick (default). */
    public static CatchUp latestOnly() {
        return new CatchUp(1);
    }

    /** Defer every missed tick, but no more than the {@code max} most recent ones. */
    public static CatchUp allMissed(int max) {
        return new CatchUp(max);
    }
}
