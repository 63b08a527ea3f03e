package dev.postpone.admin;

import java.time.Instant;

/**
 * One attempt of a job, as the worker that ran it recorded it (oldest first in {@link Job#attemptHistory()}).
 * A job keeps its newest 100 attempts, and the stack traces of its newest 20. Attempts completed by a
 * 1.0.0 worker, and attempts that ended because their worker died (see {@link Job#lastError()}), have
 * no entry.
 *
 * @param number     the attempt number, from 1
 * @param workerId   the worker that ran it (its row is gone once the worker stops)
 * @param worker     that worker's name
 * @param startedAt  when the handler started; null when the attempt was cancelled before it started
 * @param finishedAt when the handler returned or threw
 * @param outcome    {@code succeeded}, {@code failed}, {@code retry} (failed, to run again) or {@code cancelled}
 * @param error      the exception's class and message, for an attempt that did not succeed
 * @param trace      its stack trace; null for older attempts (only the newest 20 keep theirs)
 * @param note       what else the worker or database said, e.g. why a result was not stored
 */
public record Attempt(
        int number,
        Long workerId,
        String worker,
        Instant startedAt,
        Instant finishedAt,
        String outcome,
        String error,
        String trace,
        String note) {
}
