package dev.postpone.worker.internal;

import dev.postpone.CancelReason;
import dev.postpone.JobCancelledException;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.internal.FetchedJob;
import dev.postpone.internal.FinishedAttempt;
import dev.postpone.internal.JobRunner;
import dev.postpone.internal.JobStart;
import dev.postpone.internal.Outcome;
import dev.postpone.worker.JobTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs claimed jobs, each on its own virtual thread, at most {@code concurrency} at once, and holds
 * claimed jobs waiting for a slot (prefetch), so a slot is refilled without a database round trip
 * while the producer fetches the next batch. Applies the task's timeout (interrupt + cancellation
 * flag, counted as a failed attempt) and hands every outcome to the {@link Completer}. The slot is
 * freed as soon as the completer holds the outcome, before it is durable: the job stays {@code doing}
 * for this worker until written, so if the process dies first the job is rescued and runs again
 * (at-least-once), and it is never fetched twice meanwhile.
 *
 * <p>Aborts ({@link #abort}): a running job is interrupted and its attempt ends {@code cancelled} unless
 * the handler returns normally (its real outcome then stands); a job still waiting for a slot ends
 * {@code cancelled} without starting. The first reason to stop wins: a job that timed out first fails
 * as a timeout.
 *
 * <p>The prefetch adapts to how long jobs run: it holds about {@link #PREFETCH_WORK_NANOS} of work
 * (at most {@code maxPrefetch} jobs). Short jobs get a deep buffer, which is where it pays; long jobs
 * get none, so a worker never sits on jobs that another worker could start. Waiting jobs are
 * {@code doing} for this worker but not started: a claim counts no attempt, a job's start is recorded
 * through the completer when its handler starts. On shutdown waiting jobs are dropped and handed back
 * by unregistering; if the process dies, the rescuer puts them back to todo as they were (no attempt
 * spent, even with {@code maxAttempts} 1). A job whose start was not written yet when the process died
 * runs again without that run counting (at-least-once, as for outcomes not written).
 */
final class JobExecutor {

    static final String MDC_JOB_ID = "postpone.job_id";
    static final String MDC_TASK = "postpone.task";
    static final String MDC_QUEUE = "postpone.queue";
    private static final Logger log = LoggerFactory.getLogger(JobExecutor.class);

    private final int concurrency;
    /** Work (in run time) the prefetch buffer aims to hold. */
    static final long PREFETCH_WORK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final int maxPrefetch;
    /** Moving average of job run time; starts as if jobs ran {@link #PREFETCH_WORK_NANOS} (prefetch = concurrency). */
    private volatile long averageRunNanos = PREFETCH_WORK_NANOS;
    private final TaskSet tasks;
    private final JobRunner runner;
    private final Completer completer;
    private final JobMeters meters;
    private final String workerName;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Runnable slotFreed;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Claimed jobs not started yet; guarded by {@link #slots}, as is the start-or-wait decision. */
    private final ArrayDeque<Claimed> waiting = new ArrayDeque<>();
    private final ReentrantLock slots = new ReentrantLock();
    private int occupiedSlots;
    private final Map<Long, RunningJob> runningJobs = new ConcurrentHashMap<>();
    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition idle = idleLock.newCondition();

    /** A fetched job and the worker id it was claimed under. */
    private record Claimed(long workerId, FetchedJob job) {
    }

    JobExecutor(int concurrency, int maxPrefetch, TaskSet tasks, JobRunner runner, Completer completer, JobMeters meters, String workerName,
                Clock clock, ScheduledExecutorService timer, Runnable slotFreed) {
        this.concurrency = concurrency;
        this.maxPrefetch = maxPrefetch;
        this.tasks = tasks;
        this.runner = runner;
        this.completer = completer;
        this.meters = meters;
        this.workerName = workerName;
        this.clock = clock;
        this.timer = timer;
        this.slotFreed = slotFreed;
    }

    /** How many more jobs it can take now: free slots plus free places in the prefetch buffer. */
    int room() {
        slots.lock();
        try {
            return Math.max(0, concurrency + prefetch() - occupiedSlots - waiting.size());
        } finally {
            slots.unlock();
        }
    }

    /** Room worth a fetch while jobs are likely waiting in the database: half of what it can hold. */
    int refillBatch() {
        return Math.max(1, (concurrency + prefetch()) / 2);
    }

    private int prefetch() {
        long perJob = Math.max(1, averageRunNanos);
        return (int) Math.min(maxPrefetch, concurrency * PREFETCH_WORK_NANOS / perJob);
    }

    /** Jobs running right now (not counting the waiting). */
    int inFlight() {
        return inFlight.get();
    }

    /** Starts {@code job}, or queues it until a slot frees; the caller (the producer) asked for no more than {@link #room()}. */
    void submit(long workerId, FetchedJob job) {
        Claimed claimed = new Claimed(workerId, job);
        slots.lock();
        try {
            if (occupiedSlots == concurrency) {
                waiting.add(claimed);
                return;
            }
            occupiedSlots++;
        } finally {
            slots.unlock();
        }
        start(claimed);
    }

    /** Drops the jobs still waiting for a slot (shutdown): they stay doing for this worker until it unregisters. */
    List<FetchedJob> dropWaiting() {
        slots.lock();
        try {
            List<FetchedJob> dropped = waiting.stream().map(Claimed::job).toList();
            waiting.clear();
            return dropped;
        } finally {
            slots.unlock();
        }
    }

    private void start(Claimed claimed) {
        FetchedJob job = claimed.job();
        inFlight.incrementAndGet();
        Optional<Task<?>> task = tasks.find(job.task());
        Duration timeout = task.flatMap(Task::timeout).orElse(null);
        Instant now = Instant.now(clock);
        Instant deadline = timeout == null ? null : now.plus(timeout);
        RunningJob r = new RunningJob(claimed.workerId(), job, workerName, deadline, now);
        // From here the attempt counts (a claim counts none). A job of an unknown task is handed back unrun: no start.
        if (task.isPresent()) completer.started(new JobStart(claimed.workerId(), job.id(), now));
        runningJobs.put(job.id(), r);
        Thread t = Thread.ofVirtual().name("postpone-job-" + job.id()).unstarted(() -> run(r, task.orElse(null), timeout));
        r.thread = t;
        t.start();
    }

    /** A slot is free: start the next waiting job in it, or give it back. */
    private void slotDone() {
        Claimed next;
        slots.lock();
        try {
            next = waiting.poll();
            if (next == null) occupiedSlots--;
        } finally {
            slots.unlock();
        }
        if (next != null) start(next);
    }

    private void run(RunningJob r, Task<?> task, Duration timeout) {
        FetchedJob job = r.job();
        putMdc(job);
        JobMeters.TaskMeters m = meters.of(job.task(), job.queue());
        ScheduledFuture<?> timeoutFuture = null;
        boolean handedOver = false;
        try {
            // An abort that came before this thread existed could not interrupt it: do it now.
            if (r.isCancelled()) Thread.currentThread().interrupt();
            if (task != null) meters.started(job, m); // a job of an unknown task is handed back unrun: no attempt, no wait
            log.debug("job.started job_id={} task={} queue={} attempt={}", job.id(), job.task(), job.queue(), job.attempt());
            if (timeout != null) {
                timeoutFuture = timer.schedule(() -> r.cancel(CancelReason.TIMEOUT), timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
            long start = System.nanoTime();
            JobRunner.Result result = runner.run(job, r);
            long nanos = System.nanoTime() - start;
            averageRunNanos += (nanos - averageRunNanos) / 8; // racy on purpose: a hint, not a statistic
            if (timeoutFuture != null) timeoutFuture.cancel(false);
            Outcome outcome = result.outcome();
            Throwable error = result.error();
            CancelReason reason = r.reason();
            if (reason == CancelReason.TIMEOUT && task != null) {
                JobTimeoutException timedOut = new JobTimeoutException(job.id(), job.task(), timeout);
                if (error != null) timedOut.initCause(error);
                error = timedOut;
                outcome = runner.failure(task, job, timedOut);
            } else if (reason == CancelReason.CANCELLED && outcome.kind() != Outcome.Kind.SUCCEEDED) {
                error = cancelledWhileRunning(job, error);
                outcome = Outcome.cancelled(job.id(), JobRunner.describe(error), JobRunner.stackTrace(error), null);
            }
            Instant finished = Instant.now(clock);
            Thread.interrupted(); // a late interrupt must not leak into the completer hand-off below
            completer.awaitRoom(() -> r.abandoned); // bounds the outcomes a kill would lose: this slot waits meanwhile
            Thread.interrupted();
            if (r.abandoned) {
                log.debug("job.abandoned job_id={} reason=\"shutdown timeout passed; handed back by unregistering\"", job.id());
                return;
            }
            completer.add(new FinishedAttempt(r.workerId, workerName, r.startedAt, finished, outcome), job.lock() != null);
            handedOver = true;
            m.finished(outcome.kind(), nanos);
            logOutcome(job, outcome, error, nanos);
        } catch (RuntimeException | Error e) {
            // Only a bug of ours or a VirtualMachineError gets here. The worker is alive and heartbeating, so
            // the rescuer would never take the job back: record the attempt as failed (retried per policy).
            log.error("job.crashed job_id={} task={} error=\"{}\"", job.id(), job.task(), e.toString(), e);
            if (!handedOver && !r.abandoned) recordCrash(r, task, e);
        } finally {
            runningJobs.remove(job.id());
            removeMdc();
            slotDone(); // before the count drops, so "idle" never shows between two jobs of one slot
            if (inFlight.decrementAndGet() == 0) signalIdle();
            slotFreed.run();
        }
    }

    /** The job's id, task and queue on every log line its handler's thread writes. */
    static void putMdc(FetchedJob job) {
        MDC.put(MDC_JOB_ID, Long.toString(job.id()));
        MDC.put(MDC_TASK, job.task());
        MDC.put(MDC_QUEUE, job.queue());
    }

    static void removeMdc() {
        MDC.remove(MDC_JOB_ID);
        MDC.remove(MDC_TASK);
        MDC.remove(MDC_QUEUE);
    }

    /**
     * Someone cancelled this job while this worker (under {@code workerId}) holds it: interrupt it if it
     * runs, or end it {@code cancelled} without starting if it waits for a slot. Returns false when the
     * worker does not hold it (it already finished, or it is another worker's). Fast and safe to call
     * from the listener's thread, and again for the same job.
     */
    boolean abort(long workerId, long jobId) {
        Claimed removed = null;
        slots.lock();
        try {
            for (Iterator<Claimed> it = waiting.iterator(); it.hasNext(); ) {
                Claimed c = it.next();
                if (c.job().id() == jobId && c.workerId() == workerId) {
                    it.remove();
                    removed = c;
                    break;
                }
            }
        } finally {
            slots.unlock();
        }
        if (removed != null) {
            FetchedJob job = removed.job();
            JobCancelledException cancelled = new JobCancelledException("job " + jobId + " (" + job.task()
                    + ") was cancelled before it started");
            completer.add(new FinishedAttempt(workerId, workerName, null, Instant.now(clock),
                    Outcome.cancelled(jobId, JobRunner.describe(cancelled), null, "it was waiting for a free slot of this worker")),
                    job.lock() != null);
            log.info("job.cancelled job_id={} task={} queue={} reason=\"cancel requested before it started\"", jobId, job.task(), job.queue());
            slotFreed.run();
            return true;
        }
        RunningJob r = runningJobs.get(jobId);
        if (r == null || r.workerId != workerId) return false;
        if (r.reason() == null) log.info("job.abort_requested job_id={} task={} queue={} attempt={}", jobId, r.task(), r.queue(), r.attempt());
        r.cancel(CancelReason.CANCELLED);
        return true;
    }

    /** The worker ids the jobs this executor holds (running or waiting) were claimed under: whose aborts to look for. */
    Set<Long> heldUnder() {
        Set<Long> ids = new HashSet<>();
        for (RunningJob r : runningJobs.values()) ids.add(r.workerId);
        slots.lock();
        try {
            for (Claimed c : waiting) ids.add(c.workerId());
        } finally {
            slots.unlock();
        }
        return ids;
    }

    /** The handler's own exception when it is the cancellation, else a cancellation caused by it. */
    private static Throwable cancelledWhileRunning(FetchedJob job, Throwable error) {
        if (error instanceof JobCancelledException) return error;
        JobCancelledException cancelled = new JobCancelledException("job " + job.id() + " (" + job.task()
                + ") was cancelled while it ran: cancel requested");
        if (error != null) cancelled.initCause(error);
        return cancelled;
    }

    private void recordCrash(RunningJob r, Task<?> task, Throwable e) {
        FetchedJob job = r.job();
        try {
            Outcome outcome = task == null
                    ? Outcome.failed(job.id(), JobRunner.describe(e), JobRunner.stackTrace(e))
                    : runner.failure(task, job, e);
            completer.add(new FinishedAttempt(r.workerId, workerName, r.startedAt, Instant.now(clock), outcome), job.lock() != null);
        } catch (RuntimeException | Error again) {
            log.error("job.crash_not_recorded job_id={} reason=\"{}\"; it is handed back when the worker stops",
                    job.id(), again.toString());
        }
    }

    private static void logOutcome(FetchedJob job, Outcome outcome, Throwable error, long nanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        switch (outcome.kind()) {
            case SUCCEEDED -> log.debug("job.succeeded job_id={} task={} queue={} attempt={} duration_ms={}",
                    job.id(), job.task(), job.queue(), job.attempt(), millis);
            case RETRY -> log.warn("job.retry_scheduled job_id={} task={} queue={} attempt={} max_attempts={} retry_at={} error=\"{}\"",
                    job.id(), job.task(), job.queue(), job.attempt(), job.maxAttempts(), outcome.retryAt(), outcome.error());
            case FAILED -> log.warn("job.failed job_id={} task={} queue={} attempt={} max_attempts={} error=\"{}\"",
                    job.id(), job.task(), job.queue(), job.attempt(), job.maxAttempts(), outcome.error(), error);
            case HAND_BACK -> log.warn("job.handed_back job_id={} task={} queue={} until={} reason=\"{}\"",
                    job.id(), job.task(), job.queue(), outcome.retryAt(), outcome.error());
            case CANCELLED -> log.info("job.cancelled job_id={} task={} queue={} attempt={} duration_ms={} reason=\"cancel requested"
                    + " while it ran\"", job.id(), job.task(), job.queue(), job.attempt(), millis);
        }
    }

    private void signalIdle() {
        idleLock.lock();
        try {
            idle.signalAll();
        } finally {
            idleLock.unlock();
        }
    }

    /** Waits until no job runs, until {@code deadlineNanos} (System.nanoTime) or until {@code hurry} is signalled; true if idle. */
    boolean awaitIdle(long deadlineNanos, java.util.function.BooleanSupplier hurry) throws InterruptedException {
        idleLock.lock();
        try {
            while (inFlight.get() > 0 && !hurry.getAsBoolean()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) return false;
                idle.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return inFlight.get() == 0;
        } finally {
            idleLock.unlock();
        }
    }

    /** Wakes {@link #awaitIdle} so it re-checks its hurry condition. */
    void nudge() {
        signalIdle();
    }

    /** Shutdown gave up waiting: cancel every running job and drop its outcome. Returns the abandoned jobs. */
    List<FetchedJob> abandonAll() {
        List<RunningJob> now = List.copyOf(runningJobs.values());
        for (RunningJob r : now) {
            r.abandoned = true;
            r.cancel(CancelReason.SHUTDOWN);
        }
        return now.stream().map(RunningJob::job).toList();
    }
}
