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

/** A worker process killed with SIGKILL mid-job: another worker rescues its jobs after the stalled threshold and runs them. */
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
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), BlockingWorkerMain.class.getName(),
                    db.jdbcUrl(), db.user() == null ? "-" : db.user())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                Await.until("the other JVM's worker holds the 3 jobs", Duration.ofSeconds(45),
                        () -> doing(client) == 3 || !child.isAlive());
                assertThat(child.isAlive()).as("child JVM alive (see %s)", log.toAbsolutePath()).isTrue();
            } finally {
                child.destroyForcibly().waitFor();
            }
            assertThat(child.exitValue()).isEqualTo(137); // SIGKILL: no shutdown hook, no unregister

            try (Worker rescuer = Worker.builder(db.dataSource(), TaskSet.of(hang)).queues("rescue")
                    .heartbeatInterval(Duration.ofMillis(500)).stalledThreshold(Duration.ofSeconds(2)).start()) {
                Await.until("the rescued jobs succeeded", Duration.ofSeconds(30),
                        () -> ids.stream().allMatch(id -> client.jobs().get(id).map(Job::status).orElseThrow() == JobStatus.SUCCEEDED));
                for (long id : ids) {
                    Job job = client.jobs().get(id).orElseThrow();
                    assertThat(job.attempts()).isEqualTo(2);
                    assertThat(job.lastError()).contains("stopped heartbeating");
                    assertThat(job.workerId()).isEqualTo(rescuer.id());
                }
            }
        }
    }

    private static long doing(Postpone client) {
        return client.jobs().counts(Set.of(JobStatus.DOING)).stream().mapToLong(QueueCount::jobs).sum();
    }
}
