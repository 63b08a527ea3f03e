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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A task's timeout interrupts the handler and sets the cancellation flag; the attempt fails and is retried per policy. */
@ExtendWith(PostgresExtension.class)
@Timeout(60)
class TimeoutTest {

    record Slow(int n) {
    }

    @Test
    void timeoutInterruptsCancelsAndCountsAsAFailedAttempt(TestDatabase db) throws Exception {
        Sql.installSchema(db);
        AtomicInteger attempts = new AtomicInteger();
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean cancelledWhenInterrupted = new AtomicBoolean();
        Task<Slow> slow = Task.named("slow", Slow.class).queue("timeouts")
                .timeout(Duration.ofMillis(300))
                .retry(RetryPolicy.fixed(Duration.ofMillis(20), 2))
                .action((context, s) -> {
                    if (attempts.incrementAndGet() > 1) return;
                    try {
                        Thread.sleep(30_000);
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                        cancelledWhenInterrupted.set(context.isCancelled());
                        throw e;
                    }
                });
        try (Postpone client = Postpone.builder(db.dataSource()).build();
             Worker ignored = Worker.builder(db.dataSource(), TaskSet.of(slow)).pollInterval(Duration.ofMillis(100)).start()) {
            long id = client.defer(slow, new Slow(1));
            Await.until("the retry succeeded", Duration.ofSeconds(30),
                    () -> client.jobs().get(id).map(Job::status).orElseThrow() == JobStatus.SUCCEEDED);
            Job job = client.jobs().get(id).orElseThrow();
            assertThat(interrupted).isTrue();
            assertThat(cancelledWhenInterrupted).isTrue();
            assertThat(job.attempts()).isEqualTo(2);
            assertThat(job.lastError()).startsWith(JobTimeoutException.class.getName()).contains("timeout of PT0.3S");
        }
    }

    @Test
    void aHandlerIgnoringTheInterruptStillFailsWhenOutOfAttempts(TestDatabase db) throws Exception {
        Sql.installSchema(db);
        Task<Slow> stubborn = Task.named("stubborn", Slow.class).queue("stubborn")
                .timeout(Duration.ofMillis(100))
                .action((context, s) -> {
                    long end = System.nanoTime() + Duration.ofMillis(400).toNanos();
                    while (System.nanoTime() < end) Thread.onSpinWait(); // ignores interrupts, returns normally
                });
        try (Postpone client = Postpone.builder(db.dataSource()).build();
             Worker ignored = Worker.builder(db.dataSource(), TaskSet.of(stubborn)).queues("stubborn").start()) {
            long id = client.defer(stubborn, new Slow(2));
            Await.until("the job failed", Duration.ofSeconds(30),
                    () -> client.jobs().get(id).map(Job::status).orElseThrow() == JobStatus.FAILED);
            assertThat(client.jobs().get(id).orElseThrow().lastError()).contains("ran longer than its timeout");
        }
    }
}
