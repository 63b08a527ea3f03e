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
     * True once the job should stop: its timeout fired, someone cancelled it while it ran ({@code
     * postpone jobs cancel}), or the worker is shutting down hard ({@link #cancelReason()} says which).
     * Long-running handlers should check it (or use {@link #throwIfCancelled()}) between steps;
     * the handler's thread is also interrupted, so blocking calls (sleep, most I/O) end at once.
     */
    boolean isCancelled();

    /** Why the job should stop, once {@link #isCancelled()}; the first reason wins. */
    default Optional<CancelReason> cancelReason() {
        return Optional.empty();
    }

    /** Throws {@link JobCancelledException} when {@link #isCancelled()}. */
    default void throwIfCancelled() {
        if (isCancelled()) {
            throw new JobCancelledException("job " + jobId() + " (" + task() + ") was cancelled"
                    + cancelReason().map(r -> switch (r) {
                        case TIMEOUT -> ": its timeout fired";
                        case CANCELLED -> ": cancel requested while it ran";
                        case SHUTDOWN -> ": the worker is stopping";
                    }).orElse(""));
        }
    }

    /** A logger whose lines carry the job id, task and queue in the MDC. */
    Logger logger();
}
