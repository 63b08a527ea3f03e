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

/**
 * The prefetch buffer (on by default): jobs still run exactly once, a graceful stop hands unstarted ones
 * back uncounted, and a worker whose outcomes cannot be written runs only a bounded number of jobs ahead.
 */
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

    /**
     * While the database does not take a worker's outcomes (here: the rows of its first batch are locked),
     * the worker stops running jobs once its unwritten outcomes reach the bound (docs/workers.md: at most
     * concurrency + max(256, 2 × concurrency) jobs would run again after a kill), then catches up.
     */
    @Test
    void aWorkerWhoseOutcomesCannotBeWrittenRunsOnlyABoundedNumberOfJobsAhead(TestDatabase db) throws Exception {
        Sql.installSchema(db);
        Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
        Task<Item> item = Task.named("ahead", Item.class).queue("ahead").action((context, args) -> {
            runs.computeIfAbsent(context.jobId(), id -> new AtomicInteger()).incrementAndGet();
            if (args.n() < 0) Thread.sleep(3_000); // the first two: long enough to lock their rows while they run
        });
        int concurrency = 2;
        try (Postpone client = Postpone.builder(db.dataSource()).build();
             Worker worker = Worker.builder(db.dataSource(), TaskSet.of(item)).concurrency(concurrency).start();
             java.sql.Connection blocker = db.dataSource().getConnection()) {
            List<Long> slow = client.deferAll(item, List.of(new Item(-1), new Item(-2)));
            Await.until("both slow jobs started", Duration.ofSeconds(30),
                    () -> slow.stream().allMatch(id -> client.jobs().get(id).orElseThrow().attempts() == 1));
            blocker.setAutoCommit(false);
            try (var st = blocker.createStatement()) {
                st.execute("select id from postpone.jobs where id in (" + slow.get(0) + ", " + slow.get(1) + ") for update");
            }
            List<Long> fast = client.deferAll(item, IntStream.range(0, 1_000).mapToObj(Item::new).toList());
            int[] last = {-1};
            Await.until("the worker stops running jobs ahead of its outcomes", Duration.ofSeconds(60), () -> {
                int now = runs.size();
                boolean stalled = now == last[0] && now > concurrency;
                last[0] = now;
                if (!stalled) sleep(1_000);
                return stalled;
            });
            System.out.println("jobs run ahead of their written outcomes while the completer was held up: " + runs.size());
            assertThat(count(client, "ahead", JobStatus.SUCCEEDED)).as("nothing written while the first batch waits").isZero();
            assertThat(runs.size()).as("jobs run but not written: at most concurrency + max(256, 2 × concurrency)")
                    .isLessThanOrEqualTo(concurrency + Math.max(256, 2 * concurrency));
            blocker.rollback();
            Await.until("all jobs succeeded", Duration.ofSeconds(60), () -> count(client, "ahead", JobStatus.SUCCEEDED) == 1_002);
            assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(concat(slow, fast));
            assertThat(runs.values()).allSatisfy(n -> assertThat(n).hasValue(1));
        }
    }

    private static List<Long> concat(List<Long> a, List<Long> b) {
        List<Long> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long count(Postpone client, String queue, JobStatus status) {
        return client.jobs().counts(Set.of(status)).stream().filter(c -> c.queue().equals(queue)).mapToLong(QueueCount::jobs).sum();
    }
}
