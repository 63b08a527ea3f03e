package dev.postpone.internal;

import dev.postpone.DeferOptions;
import dev.postpone.Task;
import java.time.Instant;

/** A job about to be inserted; null fields take the database defaults. */
public record NewJob(
        String queue, String task, String argsJson, Integer priority, Instant scheduledAt, String lock,
        String queueingLock, Integer maxAttempts) {

    /**
     * The one rule for a job's settings, whichever way it is deferred (typed, batch, in a transaction,
     * by name, periodic): what the call sets, else the task's default. The task is always asked for its
     * lock and queueing lock, so a task's {@code lock("reports")} holds for every path.
     *
     * @param args     the arguments as the task's type (what {@code lockBy}/{@code queueingLockBy} see)
     * @param argsJson the same arguments as the JSON to store
     */
    public static <A> NewJob of(Task<A> task, A args, String argsJson, DeferOptions options, Instant now) {
        return new NewJob(
                options.queue() != null ? options.queue() : task.queue(),
                task.name(),
                argsJson,
                options.priority() != null ? options.priority() : task.priority(),
                options.scheduleTime(now),
                options.lock() != null ? options.lock() : task.lockFor(args).orElse(null),
                options.queueingLock() != null ? options.queueingLock() : task.queueingLockFor(args).orElse(null),
                options.maxAttempts() != null ? options.maxAttempts() : task.retry().maxAttempts());
    }
}
