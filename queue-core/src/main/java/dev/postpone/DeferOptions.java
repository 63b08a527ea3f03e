package dev.postpone;

import java.time.Duration;
import java.time.Instant;

/**
 * Per-call settings of a deferred job; each one unset (null) falls back to the task's default.
 *
 * <pre>{@code
 * client.defer(SEND_EMAIL, email, DeferOptions.defaults().queue("urgent").priority(10).in(Duration.ofMinutes(5)));
 * }</pre>
 *
 * @param queue        queue to put the job on
 * @param priority     higher runs first
 * @param lock         jobs sharing a lock run one at a time, in priority-then-id order
 * @param queueingLock at most one waiting job per value
 * @param scheduledAt  not before this instant
 * @param delay        not before now plus this (ignored when {@code scheduledAt} is set)
 * @param maxAttempts  attempts allowed in total (default: the task's retry policy)
 */
public record DeferOptions(
        String queue, Integer priority, String lock, String queueingLock, Instant scheduledAt, Duration delay,
        Integer maxAttempts) {

    private static final DeferOptions DEFAULTS = new DeferOptions(null, null, null, null, null, null, null);

    public DeferOptions {
        if (queue != null) Names.requireValid("queue name", queue, 128);
        if (delay != null && delay.isNegative()) throw new IllegalArgumentException("delay must not be negative: " + delay);
        if (maxAttempts != null && maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        if (scheduledAt != null && delay != null) {
            throw new IllegalArgumentException("set either a schedule time (at) or a delay (in), not both");
        }
    }

    /** Nothing set: the task's defaults apply. */
    public static DeferOptions defaults() {
        return DEFAULTS;
    }

    public DeferOptions queue(String q) {
        return new DeferOptions(q, priority, lock, queueingLock, scheduledAt, delay, maxAttempts);
    }

    public DeferOptions priority(int p) {
        return new DeferOptions(queue, p, lock, queueingLock, scheduledAt, delay, maxAttempts);
    }

    public DeferOptions lock(String l) {
        return new DeferOptions(queue, priority, l, queueingLock, scheduledAt, delay, maxAttempts);
    }

    public DeferOptions queueingLock(String ql) {
        return new DeferOptions(queue, priority, lock, ql, scheduledAt, delay, maxAttempts);
    }

    /** Run no earlier than {@code at}. */
    public DeferOptions at(Instant at) {
        return new DeferOptions(queue, priority, lock, queueingLock, at, null, maxAttempts);
    }

    /** Run no earlier than {@code delay} from now (measured when the job is deferred). */
    public DeferOptions in(Duration d) {
        return new DeferOptions(queue, priority, lock, queueingLock, null, d, maxAttempts);
    }

    public DeferOptions maxAttempts(int attempts) {
        return new DeferOptions(queue, priority, lock, queueingLock, scheduledAt, delay, attempts);
    }

    /** The schedule time these options ask for when deferring at {@code now}, or null for "as soon as possible". */
    public Instant scheduleTime(Instant now) {
        if (scheduledAt != null) return scheduledAt;
        return delay == null ? null : now.plus(delay);
    }
}
