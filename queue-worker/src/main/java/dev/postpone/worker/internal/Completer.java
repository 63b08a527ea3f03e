package dev.postpone.worker.internal;

import dev.postpone.internal.FinishedAttempt;
import dev.postpone.internal.JobStore;
import dev.postpone.internal.SqlFunction;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes job outcomes in batches: one {@code complete_jobs_v2} call for all outcomes that arrived
 * within a few milliseconds (or as soon as {@link #BATCH_SIZE} are waiting), whatever worker id each
 * job was claimed under. An outcome leaves the completer only once the database has it; on failure the
 * batch is kept and retried with backoff. Writing twice is harmless: the function only changes jobs
 * still doing for the given worker (and so appends each attempt to the job's history once).
 */
final class Completer {

    static final int BATCH_SIZE = 100;
    static final long FLUSH_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final Logger log = LoggerFactory.getLogger(Completer.class);

    /** An attempt's end (with the worker id its job was fetched under), and whether the job held a lock. */
    record Pending(FinishedAttempt attempt, boolean releasesLock) {
    }

    private final JobStore store;
    private final SqlSession session;
    private final Runnable lockReleased;
    private final Duration completeTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private List<Pending> pending = new ArrayList<>();
    private int writing;
    private boolean stopping;
    private long stopDeadlineNanos;
    private Thread thread;

    /** {@code lockReleased} runs after an outcome of a job with a lock is durable: the lock's next job may run now. */
    Completer(DataSource dataSource, JobStore store, Runnable lockReleased, Duration completeTimeout, ScheduledExecutorService timer) {
        this.store = store;
        this.session = new SqlSession(dataSource, "completer", timer);
        this.lockReleased = lockReleased;
        this.completeTimeout = completeTimeout;
    }

    void start(String workerName) {
        thread = Thread.ofPlatform().daemon().name("postpone-completer-" + workerName).start(this::loop);
    }

    void add(FinishedAttempt attempt, boolean releasesLock) {
        lock.lock();
        try {
            pending.add(new Pending(attempt, releasesLock));
            if (pending.size() == 1 || pending.size() >= BATCH_SIZE) arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Outcomes not yet durable (waiting or being written). */
    int backlog() {
        lock.lock();
        try {
            return pending.size() + writing;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes everything still waiting and stops, retrying failures until {@code timeout} has passed; a
     * write still running then is cancelled. Returns how many outcomes could not be written (their jobs
     * are handed back at unregistering, or rescued, and run again).
     */
    int flushAndStop(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            stopping = true;
            stopDeadlineNanos = System.nanoTime() + timeout.toNanos();
            arrived.signal();
        } finally {
            lock.unlock();
        }
        thread.join(Math.max(1, timeout.toMillis()));
        if (thread.isAlive()) {
            session.stop("shutdown_timeout");
            thread.join(SqlSession.STOPPED_WITHIN.toMillis());
        }
        if (thread.isAlive()) {
            log.error("completer.stop_timed_out outcomes={} reason=\"the final write did not end after its cancel; these jobs"
                    + " will run again\"", backlog());
            return backlog();
        }
        session.close();
        return backlog();
    }

    private void loop() {
        Backoff backoff = Backoff.reconnect();
        while (true) {
            List<Pending> batch;
            lock.lock();
            try {
                while (pending.isEmpty() && !stopping) arrived.awaitUninterruptibly();
                if (pending.isEmpty()) return;
                // Give the other jobs finishing right now a moment to join this batch.
                long nanos = FLUSH_DELAY_NANOS;
                while (!stopping && pending.size() < BATCH_SIZE && nanos > 0) nanos = arrived.awaitNanos(nanos);
                batch = pending;
                pending = new ArrayList<>();
                writing = batch.size();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            while (!write(batch)) {
                if (stopping && System.nanoTime() > stopDeadlineNanos) {
                    log.error("completer.gave_up outcomes={} reason=\"not written before the shutdown deadline; these jobs will"
                            + " run again\"", batch.size());
                    lock.lock();
                    try {
                        pending.addAll(0, batch);
                        writing = 0;
                    } finally {
                        lock.unlock();
                    }
                    return;
                }
                backoff.pause();
            }
            backoff.reset();
            // complete_jobs_v2 notifies the freed lock's queue; waking ourselves too covers listen(false).
            if (batch.stream().anyMatch(Pending::releasesLock)) lockReleased.run();
            lock.lock();
            try {
                writing = 0;
            } finally {
                lock.unlock();
            }
        }
    }

    private boolean write(List<Pending> batch) {
        List<FinishedAttempt> attempts = new ArrayList<>(batch.size());
        for (Pending p : batch) attempts.add(p.attempt());
        try {
            session.call(SqlFunction.COMPLETE_JOBS.functionName(), completeTimeout, c -> store.complete(c, attempts, Instant.now()));
            return true;
        } catch (SQLException e) {
            // A batch that failed is written again: complete_jobs_v2 skips jobs already completed.
            log.warn("completer.write_failed outcomes={} sqlstate={} error=\"{}\"", batch.size(), e.getSQLState(), e.getMessage());
            return false;
        }
    }
}
