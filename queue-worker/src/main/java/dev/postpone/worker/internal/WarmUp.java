package dev.postpone.worker.internal;

import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.internal.FetchedJob;
import dev.postpone.internal.JobRunner;
import dev.postpone.internal.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readies a just-started worker for its first jobs. In a fresh JVM the first job used to pay, before its
 * handler started, for all that is done lazily on first use: the JSON reader of its task's arguments, its
 * meters, the virtual-thread scheduler, the classes of the job path; and the jobs after it ran that path
 * in the interpreter. So the worker does it at start: it builds each task's argument reader and writer
 * and its meters, then rehearses the in-memory part of the job path (a virtual thread, the job's MDC,
 * arguments read from JSON, a handler called, its outcome made) with a task of its own, for at most
 * {@link #BUDGET} after that. The rehearsal touches nothing outside this class: no database, no meter, no log line.
 */
final class WarmUp {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
    /** The rehearsals stop after this; on a warm JVM (a second worker, a test run) they take a few ms. */
    static final Duration BUDGET = Duration.ofMillis(150);
    /** Enough runs for the JIT's first compilation of each method on the path (C1 compiles after ~200 calls). */
    static final int REHEARSALS = 500;

    /** The rehearsal job's arguments: a record, read by the same Jackson path as most tasks' arguments. */
    private record Rehearsal(long n, String note) {
    }

    private static final Task<Rehearsal> REHEARSAL = Task.named("postpone.warm-up", Rehearsal.class)
            .queue("postpone.warm-up").action((context, args) -> { });

    private final TaskSet tasks;
    private final Json json;
    private final JobMeters meters;
    private final Clock clock;
    private final String workerName;

    WarmUp(TaskSet tasks, Json json, JobMeters meters, Clock clock, String workerName) {
        this.tasks = tasks;
        this.json = json;
        this.meters = meters;
        this.clock = clock;
        this.workerName = workerName;
    }

    /** Runs on the thread that starts the worker, before it fetches its first job. */
    void run() {
        long start = System.nanoTime();
        for (Task<?> task : tasks.tasks()) prepare(task);
        int rehearsals = rehearse(System.nanoTime() + BUDGET.toNanos());
        log.debug("worker.warmed_up worker={} tasks={} rehearsals={} took_ms={}", workerName, tasks.tasks().size(), rehearsals,
                Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    /** What a task's first job would build: its argument reader and writer (Jackson caches them) and its meters. */
    private void prepare(Task<?> task) {
        try {
            json.mapper().readerFor(task.argsType());
            json.mapper().writerFor(task.argsType());
        } catch (RuntimeException e) {
            // A type Jackson cannot handle fails its jobs with a clear message when they run; nothing to do here.
        }
        meters.of(task.name(), task.queue());
    }

    private int rehearse(long deadlineNanos) {
        JobRunner runner = new JobRunner(TaskSet.of(REHEARSAL), json, clock);
        int done = 0;
        try {
            while (done < REHEARSALS && System.nanoTime() < deadlineNanos) {
                FetchedJob job = rehearsalJob(done);
                RunningJob context = new RunningJob(0, job, workerName, null, job.startedAt());
                Thread t = Thread.ofVirtual().name("postpone-warm-up").start(() -> {
                    JobExecutor.putMdc(job);
                    try {
                        runner.run(job, context);
                    } finally {
                        JobExecutor.removeMdc();
                    }
                });
                t.join();
                done++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return done;
    }

    private FetchedJob rehearsalJob(int n) {
        Instant now = Instant.now(clock);
        return new FetchedJob(-1 - n, REHEARSAL.queue(), REHEARSAL.name(), "{\"n\":" + n + ",\"note\":\"rehearsal\"}", 0,
                null, null, 1, 1, now, now, now);
    }
}
