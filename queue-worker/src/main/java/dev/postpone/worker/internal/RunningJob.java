package dev.postpone.worker.internal;

import dev.postpone.JobContext;
import dev.postpone.internal.FetchedJob;
import dev.postpone.internal.FetchedJobContext;
import java.time.Instant;
import java.util.Optional;

/** One attempt in progress: the handler's {@link JobContext}, and the flags the executor sets on it. */
final class RunningJob extends FetchedJobContext {

    final long workerId;
    private final String workerName;
    private final Instant deadline;
    volatile Thread thread;
    private volatile boolean cancelled;
    /** The timeout fired: whatever the handler does now, the attempt failed. */
    volatile boolean timedOut;
    /** Shutdown gave up waiting: the job is handed back by unregistering, its outcome is not written. */
    volatile boolean abandoned;

    RunningJob(long workerId, FetchedJob job, String workerName, Instant deadline) {
        super(job);
        this.workerId = workerId;
        this.workerName = workerName;
        this.deadline = deadline;
    }

    /** Sets the cancellation flag and interrupts the handler's thread. */
    void cancel() {
        cancelled = true;
        Thread t = thread;
        if (t != null) t.interrupt();
    }

    @Override
    public String workerName() {
        return workerName;
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }
}
