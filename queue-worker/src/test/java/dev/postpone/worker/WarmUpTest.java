package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker's start readies what its first job would otherwise build (meters, argument readers and writers)
 * and rehearses the job path without leaving a trace: no job row, no meter and no log line of its own.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(60)
class WarmUpTest {

    record Receipt(long orderId, String email) {
    }

    record Invoice(long orderId) {
    }

    @Test
    void startBuildsWhatTheFirstJobNeedsAndLeavesNoTrace(TestDatabase db) throws Exception {
        Sql.installSchema(db);
        CountDownLatch ran = new CountDownLatch(1);
        Task<Receipt> receipts = Task.named("send-receipt", Receipt.class).queue("emails").action((c, r) -> ran.countDown());
        Task<Invoice> invoices = Task.named("send-invoice", Invoice.class).action((c, i) -> { });
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (LogCapture log = new LogCapture();
             Worker worker = Worker.builder(db.dataSource(), TaskSet.of(receipts, invoices)).meterRegistry(registry)
                     .pollInterval(Duration.ofMillis(200)).start()) {
            // Each task's meters exist from the start, at zero, on its queue.
            assertThat(registry.get(WorkerMetrics.JOBS_STARTED).tags("task", "send-receipt", "queue", "emails").counter().count()).isZero();
            assertThat(registry.get(WorkerMetrics.JOBS_STARTED).tags("task", "send-invoice", "queue", "default").counter().count()).isZero();
            // The rehearsal left nothing behind.
            assertThat(registry.find(WorkerMetrics.JOBS_STARTED).tag("task", "postpone.warm-up").counters()).isEmpty();
            assertThat(Sql.count(db.dataSource(), "select count(*) from postpone.jobs")).isZero();
            assertThat(log.lines("warm-up")).isEmpty();
            assertThat(log.lines("rehearsal")).isEmpty();

            try (Postpone client = Postpone.builder(db.dataSource()).build()) {
                client.defer(receipts, new Receipt(7, "ada@example.com"));
            }
            assertThat(ran.await(20, TimeUnit.SECONDS)).as("the first job ran").isTrue();
        }
    }
}
