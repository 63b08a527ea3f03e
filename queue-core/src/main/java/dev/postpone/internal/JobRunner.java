package dev.postpone.internal;

import dev.postpone.JobContext;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.retry.RetryDecision;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Runs one claimed job's handler on the calling thread and turns what happened into an
 * {@link Outcome}: success; failure decided by the task's retry policy (retry at a time, or fail);
 * a task this worker does not know is handed back, not failed: during a rollout a newer worker may
 * know it, so the job waits {@link #UNKNOWN_TASK_DELAY} without spending an attempt.
 * The worker adds concurrency, timeouts and cancellation around it; the testing aid calls it directly.
 */
public final class JobRunner {

    /** Stack traces longer than this are cut: they are stored on the job row. */
    static final int MAX_TRACE_CHARS = 16_000;
    /** How long a job of an unknown task waits before a worker may fetch it again. */
    public static final java.time.Duration UNKNOWN_TASK_DELAY = java.time.Duration.ofSeconds(10);
    /** Results larger than this (as JSON, in UTF-8 bytes) are not stored: they live on the job row. */
    public static final int MAX_RESULT_BYTES = 64 * 1024;

    private final TaskSet tasks;
    private final Json json;
    private final Clock clock;

    public JobRunner(TaskSet tasks, Json json, Clock clock) {
        this.tasks = tasks;
        this.json = json;
        this.clock = clock;
    }

    /** The outcome of running {@code job}; never throws for the handler's own failures. */
    public Result run(FetchedJob job, JobContext context) {
        Optional<Task<?>> task = tasks.find(job.task());
        if (task.isEmpty()) {
            String reason = "unknown task '" + job.task() + "': no task or alias of that name is registered in worker "
                    + context.workerName() + " (known: " + String.join(", ", tasks.tasks().stream().map(Task::name).toList())
                    + "); handed back for a worker that knows it, attempt not counted";
            return new Result(Outcome.handBack(job.id(), Instant.now(clock).plus(UNKNOWN_TASK_DELAY), reason), null, null);
        }
        return run(task.get(), job, context);
    }

    private <A> Result run(Task<A> task, FetchedJob job, JobContext context) {
        try {
            A args = json.read(job.argsJson(), task.argsType(), job.task(), job.id());
            Object value = task.handler().handle(context, args);
            return new Result(succeeded(job.id(), value), value, null);
        } catch (Throwable error) {
            if (error instanceof InterruptedException) Thread.currentThread().interrupt();
            if (error instanceof VirtualMachineError vme && !(error instanceof StackOverflowError)) throw vme;
            return new Result(failure(task, job, error), null, error);
        }
    }

    /**
     * Success, with the handler's return value as JSON when there is one. A value that cannot be written
     * as JSON, or is larger than {@link #MAX_RESULT_BYTES}, is not stored: the job still succeeded (its
     * work is done, and running it again to get a smaller result would repeat that work), and the
     * attempt's note says why the result is missing.
     */
    private Outcome succeeded(long jobId, Object value) {
        if (value == null) return Outcome.succeeded(jobId);
        String text;
        try {
            text = json.mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            return Outcome.succeeded(jobId, null, "result not stored: a " + value.getClass().getName()
                    + " cannot be written as JSON (" + firstLine(e.getMessage()) + ")");
        }
        // UTF-8 takes at most 3 bytes per char: only long texts need counting.
        if (text.length() > MAX_RESULT_BYTES / 3) {
            int bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > MAX_RESULT_BYTES) {
                return Outcome.succeeded(jobId, null, "result not stored: its JSON is " + bytes + " bytes, more than the limit of "
                        + MAX_RESULT_BYTES + "; store large results elsewhere and return a reference");
            }
        }
        return Outcome.succeeded(jobId, text, null);
    }

    private static String firstLine(String message) {
        if (message == null) return "no message";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** Outcome of an attempt that failed with {@code error}, per the task's retry policy. */
    public Outcome failure(Task<?> task, FetchedJob job, Throwable error) {
        String message = describe(error);
        String trace = stackTrace(error);
        if (job.attempt() >= job.maxAttempts()) {
            return Outcome.failed(job.id(), message, trace);
        }
        RetryDecision decision = task.retry().decide(job.attempt(), error);
        return switch (decision) {
            case RetryDecision.RetryAfter r -> Outcome.retry(job.id(), Instant.now(clock).plus(r.delay()), message, trace);
            case RetryDecision.GiveUp g -> Outcome.failed(job.id(), message, trace);
        };
    }

    public static String describe(Throwable error) {
        String m = error.getMessage();
        return error.getClass().getName() + (m == null ? "" : ": " + m);
    }

    public static String stackTrace(Throwable error) {
        StringWriter w = new StringWriter();
        error.printStackTrace(new PrintWriter(w));
        String trace = w.toString();
        return trace.length() <= MAX_TRACE_CHARS ? trace : trace.substring(0, MAX_TRACE_CHARS) + "\n\t... (truncated)";
    }

    /**
     * @param outcome what to record
     * @param value   the handler's return value on success (stored as the job's result, see the outcome)
     * @param error   the handler's exception on failure
     */
    public record Result(Outcome outcome, Object value, Throwable error) {
    }
}
