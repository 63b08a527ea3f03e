package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobStatus;
import dev.postpone.admin.QueueCount;
import dev.postpone.retry.RetryPolicy;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker process killed with SIGKILL mid-job: another worker, running with default settings, sees its
 * liveness lock released and runs its jobs within seconds, long before the 30 s stalled threshold.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(90)
class KilledWorkerRescueTest {

    @Test
    void jobsOfAKilledWorkerAreRescuedAndRunByAnother(TestDatabase db) throws Exception {
        Sql.installSchema(db);
        Task<BlockingWorkerMain.Hang> hang = Task.named("hang", BlockingWorkerMain.Hang.class).queue("rescue")
                .retry(RetryPolicy.fixed(Duration.ZERO, 3))
                .action((context, h) -> { });
        try (Postpone client = Postpone.builder(db.dataSource()).build()) {
            List<Long> ids = client.deferAll(hang, IntStream.range(0, 3).mapToObj(BlockingWorkerMain.Hang::new).toList());
            Path log = Path.of("target", "blocking-worker.log");
            Process child = startBlockingWorker(db, log);
            try (Worker rescuer = Worker.builder(db.dataSource(), TaskSet.of(hang)).queues("other").start()) {
                try {
                    Await.until("the other JVM's worker started the 3 jobs", Duration.ofSeconds(45),
                            () -> started(client, ids) == 3 || !child.isAlive());
                    assertThat(child.isAlive()).as("child JVM alive (see %s)", log.toAbsolutePath()).isTrue();
                } finally {
                    child.destroyForcibly().waitFor();
                }
                long killedAt = System.nanoTime();
                assertThat(child.exitValue()).isEqualTo(137); // SIGKILL: no shutdown hook, no unregister

                try (Worker runner = Worker.builder(db.dataSource(), TaskSet.of(hang)).queues("rescue").start()) {
                    Await.until("the rescued jobs succeeded", Duration.ofSeconds(30),
                            () -> ids.stream().allMatch(id -> client.jobs().get(id).map(Job::status).orElseThrow() == JobStatus.SUCCEEDED));
                    Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
                    System.out.println("killed worker's jobs done after " + took.toMillis() + " ms");
                    // Generous against a busy 2-core machine; the heartbeat fallback alone would take 30 s or more.
                    assertThat(took).as("rescued through the released liveness lock, not the 30 s threshold")
                            .isLessThan(Duration.ofSeconds(15));
                    for (long id : ids) {
                        Job job = client.jobs().get(id).orElseThrow();
                        assertThat(job.attempts()).isEqualTo(2);
                        assertThat(job.lastError()).contains("its database session ended (liveness lock released)");
                        assertThat(job.workerId()).isEqualTo(runner.id());
                    }
                }
            }
        }
    }

    /**
     * A worker killed with jobs claimed into its prefetch buffer (the default) but not started: those go
     * back to todo without spending an attempt, so with one attempt allowed they still run elsewhere
     * and succeed. Only the jobs it really ran (at most its concurrency) spend their one attempt.
     */
    @Test
    void claimedButNeverStartedJobsOfAKilledWorkerRunElsewhereWithoutSpendingAnAttempt(TestDatabase db) throws Exception {
        Sql.installSchema(db);
        Task<BlockingWorkerMain.Hang> hang = Task.named("hang", BlockingWorkerMain.Hang.class).queue("rescue")
                .retry(RetryPolicy.fixed(Duration.ZERO, 1)).action((context, h) -> { });
        try (Postpone client = Postpone.builder(db.dataSource()).build()) {
            List<Long> ids = client.deferAll(hang, IntStream.range(0, 12).mapToObj(BlockingWorkerMain.Hang::new).toList());
            Path log = Path.of("target", "prefetching-worker.log");
            Process child = startBlockingWorker(db, log);
            List<Long> ran;
            List<Long> claimedOnly;
            try (Worker rescuer = Worker.builder(db.dataSource(), TaskSet.of(hang)).queues("other").start()) {
                try {
                    // Concurrency 5 with the default prefetch: 5 run (and hang), more wait claimed in its buffer.
                    Await.until("the other JVM's worker started 5 jobs and holds more", Duration.ofSeconds(45),
                            () -> (started(client, ids) == 5 && doing(client) > 5) || !child.isAlive());
                    assertThat(child.isAlive()).as("child JVM alive (see %s)", log.toAbsolutePath()).isTrue();
                    ran = ids.stream().filter(id -> client.jobs().get(id).orElseThrow().attempts() == 1).toList();
                    claimedOnly = ids.stream().filter(id -> {
                        Job j = client.jobs().get(id).orElseThrow();
                        return j.status() == JobStatus.DOING && j.attempts() == 0;
                    }).toList();
                    assertThat(claimedOnly).as("claimed into the prefetch buffer, not started").isNotEmpty();
                } finally {
                    child.destroyForcibly().waitFor();
                }
                assertThat(child.exitValue()).isEqualTo(137);

                try (Worker runner = Worker.builder(db.dataSource(), TaskSet.of(hang)).queues("rescue").start()) {
                    Await.until("every job finished", Duration.ofSeconds(30), () -> ids.stream()
                            .allMatch(id -> client.jobs().get(id).map(Job::status).orElseThrow().isFinished()));
                }
            }
            for (long id : ids) {
                Job job = client.jobs().get(id).orElseThrow();
                if (ran.contains(id)) {
                    // It ran and its worker died during its only attempt: at-least-once within max_attempts.
                    assertThat(job.status()).as("job %s", id).isEqualTo(JobStatus.FAILED);
                    assertThat(job.lastError()).contains("its database session ended");
                } else {
                    assertThat(job.status()).as("job %s", id).isEqualTo(JobStatus.SUCCEEDED);
                    assertThat(job.attempts()).as("job %s: one attempt, the one that ran", id).isEqualTo(1);
                    assertThat(job.attemptHistory()).as("job %s", id).hasSize(1);
                    assertThat(job.lastError()).as("job %s: nothing failed", id).isNull();
                }
            }
            assertThat(ran).as("re-run or failed by the kill: at most the concurrency").hasSize(5);
        }
    }

    /**
     * A worker that stops answering for a while (a long GC pause, a stalled host: here SIGSTOP) keeps its
     * session and so its liveness lock: its jobs stay with it, not a single attempt is taken from it,
     * and it goes on when it resumes. Only a pause past the stalled threshold would count as death.
     */
    @Test
    void aPausedWorkerKeepsItsJobs(TestDatabase db) throws Exception {
        Sql.installSchema(db);
        Task<BlockingWorkerMain.Hang> hang = Task.named("hang", BlockingWorkerMain.Hang.class).queue("rescue")
                .retry(RetryPolicy.fixed(Duration.ZERO, 3)).action((context, h) -> { });
        try (Postpone client = Postpone.builder(db.dataSource()).build()) {
            List<Long> ids = client.deferAll(hang, IntStream.range(0, 2).mapToObj(BlockingWorkerMain.Hang::new).toList());
            Path log = Path.of("target", "paused-worker.log");
            Process child = startBlockingWorker(db, log);
            // Serves another queue: it only runs the rescuer over the paused worker's jobs.
            try (Worker watcher = Worker.builder(db.dataSource(), TaskSet.of(hang)).queues("other").start()) {
                Await.until("the other JVM's worker started the 2 jobs", Duration.ofSeconds(45),
                        () -> started(client, ids) == 2 || !child.isAlive());
                long holder = client.jobs().get(ids.getFirst()).orElseThrow().workerId();
                signal("STOP", child);
                // Many heartbeat intervals and lock graces long, well within the 30 s stalled threshold.
                Thread.sleep(6_000);
                for (long id : ids) {
                    Job job = client.jobs().get(id).orElseThrow();
                    assertThat(job.status()).isEqualTo(JobStatus.DOING);
                    assertThat(job.workerId()).as("still held by the paused worker, not rescued").isEqualTo(holder);
                    assertThat(job.attempts()).isEqualTo(1);
                }
                signal("CONT", child);
                Thread.sleep(2_000);
                assertThat(client.jobs().get(ids.getFirst()).orElseThrow().workerId()).isEqualTo(holder);
                assertThat(watcher.isRunning()).isTrue();
            } finally {
                child.destroyForcibly().waitFor();
            }
        }
    }

    /** A worker in another JVM whose jobs hang until it is killed (BlockingWorkerMain: concurrency 5, default prefetch). */
    private static Process startBlockingWorker(TestDatabase db, Path log) throws java.io.IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BlockingWorkerMain.class.getName(),
                db.jdbcUrl(), db.user() == null ? "-" : db.user())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void signal(String signal, Process p) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor()).isZero();
    }

    /** Jobs whose attempt started: a claim alone counts none. */
    private static long started(Postpone client, List<Long> ids) {
        return ids.stream().filter(id -> client.jobs().get(id).orElseThrow().attempts() >= 1).count();
    }

    private static long doing(Postpone client) {
        return client.jobs().counts(Set.of(JobStatus.DOING)).stream().mapToLong(QueueCount::jobs).sum();
    }
}
