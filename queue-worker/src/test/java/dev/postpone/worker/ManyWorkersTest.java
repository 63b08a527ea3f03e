package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.JobStatus;
import dev.postpone.admin.QueueCount;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** Several workers in one JVM share one queue: every job runs, none is completed twice. */
@ExtendWith(PostgresExtension.class)
@Timeout(120)
class ManyWorkersTest {

    record Item(int n) {
    }

    @Test
    void threeWorkersOfEightProcessTwentyThousandJobsEachOnce(TestDatabase db) throws Exception {
        Sql.installSchema(db);
        Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
        Task<Item> item = Task.named("item", Item.class).queue("bulk")
                .action((context, args) -> runs.computeIfAbsent(context.jobId(), id -> new AtomicInteger()).incrementAndGet());
        TaskSet tasks = TaskSet.of(item);
        int total = 20_000;
        try (Postpone client = Postpone.builder(db.dataSource()).build()) {
            List<Long> ids = new ArrayList<>(total);
            for (int from = 0; from < total; from += 2_000) {
                ids.addAll(client.deferAll(item, IntStream.range(from, from + 2_000).mapToObj(Item::new).toList()));
            }
            long start = System.nanoTime();
            List<Worker> workers = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    workers.add(Worker.builder(db.dataSource(), tasks).name("bulk-" + i).concurrency(8).start());
                }
                Await.until("all jobs succeeded", Duration.ofSeconds(100), () -> succeeded(db) == total);
            } finally {
                workers.forEach(Worker::close);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            LoggerFactory.getLogger(getClass()).info("bench.many_workers jobs={} seconds={} jobs_per_s={}",
                    total, String.format("%.2f", seconds), String.format("%.0f", total / seconds));

            assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(runs.values()).allSatisfy(n -> assertThat(n).hasValue(1));
            assertThat(client.jobs().counts()).extracting(QueueCount::status).containsOnly(JobStatus.SUCCEEDED);
        }
    }

    /** Exactly: the admin counts of finished jobs are estimates on a table of this size (queue_counts_v2). */
    private static long succeeded(TestDatabase db) {
        return Sql.count(db.dataSource(), "select count(*) from postpone.jobs where status = 'succeeded'");
    }
}
