package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobFilter;
import dev.postpone.admin.JobStatus;
import dev.postpone.admin.QueueCount;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The opt-in prefetch buffer: jobs still run exactly once, and a graceful stop hands unstarted ones back uncounted. */
@ExtendWith(PostgresExtension.class)
@Timeout(120)
class PrefetchTest {

    record Item(int n) {
    }

    @Test
    void twoPrefetchingWorkersRunEveryJobExactlyOnce(TestDatabase db) throws Exception {
        Sql.installSchema(db);
        Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
        Task<Item> item = Task.named("item", Item.class).queue("prefetch")
                .action((context, args) -> runs.computeIfAbsent(context.jobId(), id -> new AtomicInteger()).incrementAndGet());
        int total = 5_000;
        try (Postpone client = Postpone.builder(db.dataSource()).build()) {
            List<Long> ids = client.deferAll(item, IntStream.range(0, total).mapToObj(Item::new).toList());
            try (Worker a = Worker.builder(db.dataSource(), TaskSet.of(item)).concurrency(4).maxPrefetch(100).start();
                 Worker b = Worker.builder(db.dataSource(), TaskSet.of(item)).concurrency(4).maxPrefetch(100).start()) {
                Await.until("all jobs succeeded", Duration.ofSeconds(100), () -> count(client, "prefetch", JobStatus.SUCCEEDED) == total);
            }
            assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(runs.values()).allSatisfy(n -> assertThat(n).hasValue(1));
        }
    }

    @Test
    void aGracefulStopHandsPrefetchedJobsBackWithoutCountingAnAttempt(TestDatabase db) throws Exception {
        Sql.installSchema(db);
        AtomicInteger ran = new AtomicInteger();
        Task<Item> shortJob = Task.named("short", Item.class).queue("handback").action((context, args) -> {
            ran.incrementAndGet();
            Thread.sleep(1);
        });
        int total = 3_000;
        try (Postpone client = Postpone.builder(db.dataSource()).build()) {
            client.deferAll(shortJob, IntStream.range(0, total).mapToObj(Item::new).toList());
            try (Worker worker = Worker.builder(db.dataSource(), TaskSet.of(shortJob)).concurrency(1).maxPrefetch(50).start()) {
                Await.until("some jobs ran", Duration.ofSeconds(60), () -> ran.get() >= 200);
            }
            long succeeded = count(client, "handback", JobStatus.SUCCEEDED);
            long todo = count(client, "handback", JobStatus.TODO);
            assertThat(succeeded + todo).as("nothing doing, failed or lost after a graceful stop").isEqualTo(total);
            assertThat(succeeded).isLessThan(total);
            List<Job> waiting = new ArrayList<>();
            for (var page = java.util.Optional.of(JobFilter.all().queue("handback").status(JobStatus.TODO).limit(1000));
                 page.isPresent(); ) {
                var p = client.jobs().list(page.get());
                waiting.addAll(p.jobs());
                page = p.next();
            }
            assertThat(waiting).hasSize((int) todo).allSatisfy(j -> assertThat(j.attempts()).as("job " + j.id()).isZero());
        }
    }

    private static long count(Postpone client, String queue, JobStatus status) {
        return client.jobs().counts(Set.of(status)).stream().filter(c -> c.queue().equals(queue)).mapToLong(QueueCount::jobs).sum();
    }
}
