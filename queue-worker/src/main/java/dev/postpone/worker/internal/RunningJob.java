package dev.postpone.worker.internal;

import dev.postpone.CancelReason;
import dev.postpone.JobContext;
import dev.postpone.internal.FetchedJob;
import dev.postpone.internal.FetchedJobContext;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** One attempt in progress: the handler's {@link JobContext}, and the flags the executor sets on it. */
final class RunningJob extends FetchedJobContext {

    final long workerId;
    private final String workerName;
    private final Instant deadline;
    /** When the handler started (worker clock), for the attempt history. */
    final Instant startedAt;
    volatile Thread thread;
    /** Why the job should stop; the first reason wins, and decides the outcome (see JobExecutor). */
    private final AtomicReference<CancelReason> cancelReason = new AtomicReference<>();
    /** Shutdown gave up waiting: the job is handed back by unregistering, its outcome is not written. */
    volatile boolean abandoned;

    RunningJob(long workerId, FetchedJob job, String workerName, Instant deadline, Instant startedAt) {
        super(job);
        this.workerId = workerId;
        this.workerName = workerName;
        this.deadline = deadline;
        this.startedAt = startedAt;
    }

    /** Sets the cancellation flag (unless already set, then the first reason stays) and interrupts the handler's thread. */
    void cancel(CancelReason reason) {
        if (!cancelReason.compareAndSet(null, reason)) return;
        Thread t = thread;
        if (t != null) t.interrupt();
    }

    /** The first reason the job was asked to stop for, or null. */
    CancelReason reason() {
        return cancelReason.get();
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
        return cancelReason.get() != null;
    }

    @Override
    public Optional<CancelReason> cancelReason() {
        return Optional.ofNullable(cancelReason.get());
    }
}
