package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.DeferOptions;
import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.JobStatus;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * When a job frees its lock, the worker that serves the next job of that lock is told at once, even
 * when it is another worker on another queue: complete_jobs_v2 notifies that queue.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(60)
class LockHandOverTest {

    @Test
    void anotherWorkersJobOfTheSameLockStartsWithoutWaitingForItsPoll(TestDatabase db) throws Exception {
        Sql.installSchema(db);
        AtomicBoolean secondRan = new AtomicBoolean();
        Task<String> first = Task.named("first", String.class).queue("a").action((context, s) -> Thread.sleep(200));
        Task<String> second = Task.named("second", String.class).queue("b").action((context, s) -> secondRan.set(true));
        TaskSet tasks = TaskSet.of(first, second);
        try (Postpone client = Postpone.builder(db.dataSource()).build()) {
            client.defer(first, "head", DeferOptions.defaults().lock("account:1"));
            long next = client.defer(second, "next", DeferOptions.defaults().lock("account:1"));
            // Worker b polls once a minute: only a notification can start its job within the test's time.
            try (Worker b = Worker.builder(db.dataSource(), tasks).queues("b").pollInterval(Duration.ofMinutes(1)).start()) {
                Thread.sleep(300); // b has fetched: its job waits behind the lock's head on queue a
                assertThat(client.jobs().get(next).orElseThrow().status()).isEqualTo(JobStatus.TODO);
                try (Worker a = Worker.builder(db.dataSource(), tasks).queues("a").start()) {
                    Await.until("the next job of the lock ran on worker b", Duration.ofSeconds(20), secondRan::get);
                }
            }
        }
    }
}
