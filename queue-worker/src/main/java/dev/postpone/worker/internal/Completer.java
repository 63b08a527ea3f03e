package dev.postpone.worker.internal;

import dev.postpone.internal.FinishedAttempt;
import dev.postpone.internal.JobStart;
import dev.postpone.internal.JobStore;
import dev.postpone.internal.SqlFunction;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * within a few milliseconds (at once when {@link #BATCH_SIZE} are waiting), whatever worker
 * id each job was claimed under. An outcome leaves the completer only once the database has it; on
 * failure the batch is kept and retried with backoff. Writing twice is harmless: the function only
 * changes jobs still doing for the given worker (and so appends each attempt to the job's history once).
 *
 * <p>It also records the starts of handlers (a claim counts no attempt, see {@code start_jobs_v1}):
 * a start waits {@link #START_DELAY_NANOS}, since a job that ends sooner carries its start in its
 * outcome (no write of its own); the starts of longer jobs are written in one {@code start_jobs_v1}
 * call with the next flush. A start not written when the process dies is a run that counts no attempt.
 *
 * <p>Outcomes not yet durable are jobs a kill would run again, so they are bounded: {@link #awaitRoom}
 * holds a finishing job (and so its slot) while {@link #maxUnwritten} are unwritten.
 */
final class Completer {

    static final long FLUSH_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How long a start waits for its job's outcome to carry it before it is written on its own. */
    static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /**
     * The least bound of unwritten outcomes, whatever the concurrency: one batch being written while the
     * next fills. Below it the completer cannot keep up with short jobs (64 cost a third to half of the
     * throughput of no-op jobs at concurrency 10, docs/benchmarks.md).
     */
    static final int MIN_UNWRITTEN = 256;
    /** Outcomes waiting that make a batch go out at once, without waiting {@link #FLUSH_DELAY_NANOS} (below the bound). */
    static final int BATCH_SIZE = 100;
    private static final Logger log = LoggerFactory.getLogger(Completer.class);

    /** An attempt's end (with the worker id its job was fetched under), and whether the job held a lock. */
    record Pending(FinishedAttempt attempt, boolean releasesLock) {
    }

    private final JobStore store;
    private final SqlSession session;
    private final Runnable lockReleased;
    private final Duration completeTimeout;
    private final int maxUnwritten;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Condition written = lock.newCondition();
    private List<Pending> pending = new ArrayList<>();
    /** Starts not written yet, oldest first, by job id. */
    private final LinkedHashMap<Long, Start> starts = new LinkedHashMap<>();
    private int writing;
    private boolean stopping;
    private long stopDeadlineNanos;
    private Thread thread;

    private record Start(JobStart start, long atNanos) {
    }

    /**
     * {@code lockReleased} runs after an outcome of a job with a lock is durable: the lock's next job may
     * run now. At most {@link #maxUnwritten(int)} of {@code concurrency} outcomes are held unwritten.
     */
    Completer(DataSource dataSource, JobStore store, Runnable lockReleased, Duration completeTimeout, ScheduledExecutorService timer,
              int concurrency) {
        this.store = store;
        this.maxUnwritten = maxUnwritten(concurrency);
        this.session = new SqlSession(dataSource, "completer", timer);
        this.lockReleased = lockReleased;
        this.completeTimeout = completeTimeout;
    }

    void start(String workerName) {
        thread = Thread.ofPlatform().daemon().name("postpone-completer-" + workerName).start(this::loop);
    }

    /**
     * The most outcomes a worker of {@code concurrency} holds unwritten: a kill runs at most this many
     * finished jobs again, besides the {@code concurrency} running ones. Twice the concurrency keeps one
     * batch filling while the other is written; {@link #MIN_UNWRITTEN} keeps short jobs at full speed.
     * It matters when the database is slow or away: normally the unwritten outcomes are those of the
     * last few milliseconds.
     */
    static int maxUnwritten(int concurrency) {
        return Math.max(MIN_UNWRITTEN, 2 * concurrency);
    }

    /** A handler started: its attempt counts once this is written (or its outcome, which carries it). */
    void started(JobStart start) {
        lock.lock();
        try {
            starts.put(start.jobId(), new Start(start, System.nanoTime()));
            if (starts.size() == 1) arrived.signal(); // the loop may be waiting without a deadline
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits while {@link #maxUnwritten} outcomes are unwritten (the database is slow or away), so a
     * finishing job keeps its slot instead of piling outcomes up. Returns at once when stopping, when
     * {@code giveUp} says so, or when interrupted (the flag is kept).
     */
    void awaitRoom(java.util.function.BooleanSupplier giveUp) {
        lock.lock();
        try {
            while (pending.size() + writing >= maxUnwritten && !stopping && !giveUp.getAsBoolean()) {
                written.await(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Hands over an outcome (it carries its start, so a start still waiting is not written on its own). */
    void add(FinishedAttempt attempt, boolean releasesLock) {
        lock.lock();
        try {
            starts.remove(attempt.jobId());
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
            List<JobStart> due;
            lock.lock();
            try {
                // Wait for an outcome, or for the oldest start to be due. (At shutdown the starts left are
                // moot: the jobs still running are handed back by unregistering, attempt not counted.)
                while (pending.isEmpty() && !stopping) {
                    long wait = starts.isEmpty() ? Long.MAX_VALUE
                            : starts.firstEntry().getValue().atNanos() + START_DELAY_NANOS - System.nanoTime();
                    if (wait <= 0) break;
                    if (wait == Long.MAX_VALUE) arrived.await(); else arrived.awaitNanos(wait);
                }
                if (pending.isEmpty() && stopping) return;
                // Give the other jobs finishing right now a moment to join this batch; under load, flush now.
                long nanos = pending.isEmpty() ? 0 : FLUSH_DELAY_NANOS;
                while (!stopping && pending.size() < BATCH_SIZE && nanos > 0) nanos = arrived.awaitNanos(nanos);
                batch = pending;
                pending = new ArrayList<>();
                writing = batch.size();
                due = dueStarts();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            while (!writeStarts(due)) {
                if (stopping) break; // moot at shutdown, see above
                backoff.pause();
            }
            while (!batch.isEmpty() && !write(batch)) {
                if (stopping && System.nanoTime() > stopDeadlineNanos) {
                    log.error("completer.gave_up outcomes={} reason=\"not written before the shutdown deadline; these jobs will"
                            + " run again\"", batch.size());
                    lock.lock();
                    try {
                        pending.addAll(0, batch);
                        writing = 0;
                        written.signalAll();
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
                written.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Removes and returns the starts that waited {@link #START_DELAY_NANOS}; the caller holds the lock. */
    private List<JobStart> dueStarts() {
        List<JobStart> due = new ArrayList<>();
        long now = System.nanoTime();
        for (var it = starts.values().iterator(); it.hasNext(); ) {
            Start s = it.next();
            if (now - s.atNanos() < START_DELAY_NANOS) break;
            due.add(s.start());
            it.remove();
        }
        return due;
    }

    private boolean writeStarts(List<JobStart> due) {
        if (due.isEmpty()) return true;
        try {
            session.call(SqlFunction.START_JOBS.functionName(), completeTimeout, c -> store.start(c, due, Instant.now()));
            return true;
        } catch (SQLException e) {
            // Written again: start_jobs_v1 skips jobs whose start is recorded (or that finished meanwhile).
            log.warn("completer.starts_write_failed starts={} sqlstate={} error=\"{}\"", due.size(), e.getSQLState(), e.getMessage());
            return false;
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
