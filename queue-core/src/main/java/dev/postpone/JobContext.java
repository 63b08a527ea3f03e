package dev.postpone;

import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;

/** What a running job knows about itself. Given to every {@link TaskHandler} call. */
public interface JobContext {

    long jobId();

    String task();

    String queue();

    /** This run's attempt number, starting at 1. */
    int attempt();

    /** Attempts allowed in total; on the last one a failure is final. */
    int maxAttempts();

    /** Name of the worker running the job ({@code inline} when run by the testing aid). */
    String workerName();

    /** When the job's timeout fires, if the task has one. */
    Optional<Instant> deadline();

    /**
     * True once the job should stop: its timeout fired or the worker is shutting down hard.
     * Long-running handlers should check it (or use {@link #throwIfCancelled()}) between steps;
     * the handler's thread is also interrupted.
     */
    boolean isCancelled();

    /** Throws {@link JobCancelledException} when {@link #isCancelled()}. */
    default void throwIfCancelled() {
        if (isCancelled()) throw new JobCancelledException("job " + jobId() + " (" + task() + ") was cancelled");
    }

    /** A logger whose lines carry the job id, task and queue in the MDC. */
    Logger logger();
}
