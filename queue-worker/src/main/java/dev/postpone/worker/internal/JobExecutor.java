package dev.postpone.worker.internal;

import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.internal.FetchedJob;
import dev.postpone.internal.JobRunner;
import dev.postpone.internal.Outcome;
import dev.postpone.worker.JobTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * Runs claimed jobs, each on its own virtual thread, at most {@code concurrency} at once. Applies the
 * task's timeout (interrupt + cancellation flag, counted as a failed attempt) and hands every outcome
 * to the {@link Completer}. The slot is freed as soon as the completer holds the outcome, before it
 * is durable: the job stays {@code doing} for this worker until written, so if the process dies
 * first the job is rescued and runs again (at-least-once), and it is never fetched twice meanwhile.
 */
final class JobExecutor {

    static final String MDC_JOB_ID = "postpone.job_id";
    static final String MDC_TASK = "postpone.task";
    static final String MDC_QUEUE = "postpone.queue";
    private static final Logger log = LoggerFactory.getLogger(JobExecutor.class);

    private final int concurrency;
    private final TaskSet tasks;
    private final JobRunner runner;
    private final Completer completer;
    private final JobMeters meters;
    private final String workerName;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Runnable slotFreed;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<Long, RunningJob> running = new ConcurrentHashMap<>();
    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition idle = idleLock.newCondition();

    JobExecutor(int concurrency, TaskSet tasks, JobRunner runner, Completer completer, JobMeters meters, String workerName,
                Clock clock, ScheduledExecutorService timer, Runnable slotFreed) {
        this.concurrency = concurrency;
        this.tasks = tasks;
        this.runner = runner;
        this.completer = completer;
        this.meters = meters;
        this.workerName = workerName;
        this.clock = clock;
        this.timer = timer;
        this.slotFreed = slotFreed;
    }

    int capacity() {
        return concurrency;
    }

    int freeSlots() {
        return concurrency - inFlight.get();
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Starts {@code job}; the caller (the producer) asked for no more jobs than {@link #freeSlots()}. */
    void submit(long workerId, FetchedJob job) {
        inFlight.incrementAndGet();
        Optional<Task<?>> task = tasks.find(job.task());
        Duration timeout = task.flatMap(Task::timeout).orElse(null);
        Instant deadline = timeout == null ? null : Instant.now(clock).plus(timeout);
        RunningJob r = new RunningJob(workerId, job, workerName, deadline);
        running.put(job.id(), r);
        Thread t = Thread.ofVirtual().name("postpone-job-" + job.id()).unstarted(() -> run(r, task.orElse(null), timeout));
        r.thread = t;
        t.start();
    }

    private void run(RunningJob r, Task<?> task, Duration timeout) {
        FetchedJob job = r.job;
        MDC.put(MDC_JOB_ID, Long.toString(job.id()));
        MDC.put(MDC_TASK, job.task());
        MDC.put(MDC_QUEUE, job.queue());
        JobMeters.TaskMeters m = meters.of(job.task(), job.queue());
        ScheduledFuture<?> timeoutFuture = null;
        try {
            meters.started(job, m);
            log.debug("job.started job_id={} task={} queue={} attempt={}", job.id(), job.task(), job.queue(), job.attempt());
            if (timeout != null) {
                timeoutFuture = timer.schedule(() -> {
                    r.timedOut = true;
                    r.cancel();
                }, timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
            long start = System.nanoTime();
            JobRunner.Result result = runner.run(job, r);
            long nanos = System.nanoTime() - start;
            if (timeoutFuture != null) timeoutFuture.cancel(false);
            Outcome outcome = result.outcome();
            Throwable error = result.error();
            if (r.timedOut && task != null) {
                JobTimeoutException timedOut = new JobTimeoutException(job.id(), job.task(), timeout);
                if (error != null) timedOut.initCause(error);
                error = timedOut;
                outcome = runner.failure(task, job, timedOut);
            }
            Thread.interrupted(); // a late interrupt must not leak into the completer hand-off below
            if (r.abandoned) {
                log.debug("job.abandoned job_id={} reason=\"shutdown timeout passed; handed back by unregistering\"", job.id());
                return;
            }
            completer.add(r.workerId, outcome, job.lock() != null);
            m.finished(outcome.kind(), nanos);
            logOutcome(job, outcome, error, nanos);
        } catch (RuntimeException | Error e) {
            // Only a bug of ours or a VirtualMachineError gets here; the job is left doing and will be rescued.
            log.error("job.crashed job_id={} task={} error=\"{}\"", job.id(), job.task(), e.toString(), e);
        } finally {
            running.remove(job.id());
            MDC.remove(MDC_JOB_ID);
            MDC.remove(MDC_TASK);
            MDC.remove(MDC_QUEUE);
            if (inFlight.decrementAndGet() == 0) signalIdle();
            slotFreed.run();
        }
    }

    private static void logOutcome(FetchedJob job, Outcome outcome, Throwable error, long nanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        switch (outcome.kind()) {
            case SUCCEEDED -> log.debug("job.succeeded job_id={} task={} queue={} attempt={} duration_ms={}",
                    job.id(), job.task(), job.queue(), job.attempt(), millis);
            case RETRY -> log.warn("job.retry_scheduled job_id={} task={} queue={} attempt={} max_attempts={} retry_at={} error=\"{}\"",
                    job.id(), job.task(), job.queue(), job.attempt(), job.maxAttempts(), outcome.retryAt(), outcome.error());
            case FAILED, CANCELLED -> log.warn("job.failed job_id={} task={} queue={} attempt={} max_attempts={} error=\"{}\"",
                    job.id(), job.task(), job.queue(), job.attempt(), job.maxAttempts(), outcome.error(), error);
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
        List<RunningJob> now = List.copyOf(running.values());
        for (RunningJob r : now) {
            r.abandoned = true;
            r.cancel();
        }
        return now.stream().map(r -> r.job).toList();
    }
}
