package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobStatus;
import dev.postpone.retry.RetryPolicy;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An error that escapes the normal outcome path (a VirtualMachineError, which the runner does not turn
 * into an outcome) must not strand the job as {@code doing} under a worker that keeps heartbeating:
 * the attempt is recorded as failed and the retry policy applies.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(60)
class CrashedJobTest {

    @Test
    void aJobWhoseRunEscapesTheOutcomePathIsStillRecorded(TestDatabase db) throws Exception {
        Sql.installSchema(db);
        Task<String> crash = Task.named("crash", String.class).retry(RetryPolicy.fixed(Duration.ZERO, 2))
                .action((context, s) -> { throw new InternalError("simulated VM failure"); });
        try (Postpone client = Postpone.builder(db.dataSource()).build();
             Worker worker = Worker.builder(db.dataSource(), TaskSet.of(crash)).stalledThreshold(Duration.ofMinutes(5)).start()) {
            long id = client.defer(crash, "x");
            Await.until("the crashed job is recorded", Duration.ofSeconds(30),
                    () -> client.jobs().get(id).orElseThrow().status() == JobStatus.FAILED);
            Job job = client.jobs().get(id).orElseThrow();
            assertThat(job.attempts()).as("retried once per its policy, then failed").isEqualTo(2);
            assertThat(job.lastError()).contains("simulated VM failure");
            assertThat(worker.isRunning()).isTrue();
        }
    }
}
