package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.QueuePause;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A paused queue is not fetched by any worker; deferring to it still works; resume wakes the workers. */
@ExtendWith(PostgresExtension.class)
@Timeout(60)
class QueuePauseTest {

    record Item(int n) {
    }

    @Test
    void pauseStopsEveryWorkerAndResumeStartsThemAtOnce(TestDatabase db) throws Exception {
        Sql.installSchema(db);
        AtomicInteger ran = new AtomicInteger();
        Task<Item> item = Task.named("item", Item.class).queue("reports").action((context, args) -> ran.incrementAndGet());
        Task<Item> other = Task.named("other", Item.class).queue("mail").action((context, args) -> ran.incrementAndGet());
        TaskSet tasks = TaskSet.of(item, other);
        try (Postpone client = Postpone.builder(db.dataSource()).build()) {
            QueuePause pause = client.jobs().pause("reports", "ops@test");
            assertThat(pause.pausedBy()).isEqualTo("ops@test");
            assertThat(client.jobs().pausedQueues()).extracting(QueuePause::queue).containsExactly("reports");

            // A long poll interval: only the resume notification can wake the workers in time.
            Duration poll = Duration.ofSeconds(30);
            try (Worker a = Worker.builder(db.dataSource(), tasks).name("a").pollInterval(poll).start();
                 Worker b = Worker.builder(db.dataSource(), tasks).name("b").queues(List.of("reports")).pollInterval(poll).start()) {
                List<Long> ids = client.deferAll(item, IntStream.range(0, 20).mapToObj(Item::new).toList());
                client.defer(other, new Item(0));
                Await.until("the job of the queue not paused ran", Duration.ofSeconds(10), () -> ran.get() == 1);
                Thread.sleep(1000);
                assertThat(ran.get()).as("jobs of the paused queue run").isEqualTo(1);
                assertThat(ids).allSatisfy(id -> assertThat(client.jobs().get(id).orElseThrow().status().label()).isEqualTo("todo"));

                assertThat(client.jobs().resume("reports")).isTrue();
                Await.until("the paused queue's jobs ran after resume", Duration.ofSeconds(10), () -> ran.get() == 21);
                assertThat(client.jobs().resume("reports")).isFalse();
                assertThat(client.jobs().pausedQueues()).isEmpty();
            }
        }
    }
}
