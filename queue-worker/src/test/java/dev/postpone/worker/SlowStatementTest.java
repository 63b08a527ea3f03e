package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobStatus;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fetch that cannot finish (it waits for a lock the test holds on the jobs table, as behind a
 * migration or a long transaction): close() cancels it and returns within the shutdown timeout, and
 * a fetch past its bound is cancelled and logged while the worker keeps running. Nothing is lost.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(120)
class SlowStatementTest {

    record Item(int n) {
    }

    private static final Pattern CANCELLED_MS = Pattern.compile("statement\\.cancelled component=producer statement=fetch_jobs_v2 ms=(\\d+)");

    @BeforeAll
    static void install(TestDatabase db) {
        Sql.installSchema(db);
    }

    @Test
    void closeCancelsAFetchWaitingForALockAndReturnsWithinTheShutdownTimeout(TestDatabase db) throws Exception {
        Task<Item> item = Task.named("item-close", Item.class).queue("slow-close").action((context, i) -> { });
        Duration shutdownTimeout = Duration.ofSeconds(2);
        try (Postpone client = Postpone.builder(db.dataSource()).build(); LogCapture logs = new LogCapture()) {
            List<Long> ids = client.deferAll(item, IntStream.range(0, 3).mapToObj(Item::new).toList());
            Worker worker;
            long closeMillis;
            try (Connection locker = lockJobs(db)) {
                worker = Worker.builder(named(db, "slow-close"), TaskSet.of(item)).queues("slow-close")
                        .shutdownTimeout(shutdownTimeout).start();
                Await.until("the fetch waits for the lock", Duration.ofSeconds(20), () -> fetchWaitingForLock(db, "slow-close"));

                long start = System.nanoTime();
                worker.close();
                closeMillis = (System.nanoTime() - start) / 1_000_000;
            }
            assertThat(closeMillis).as("close() with a fetch stuck behind a lock, in ms")
                    .isLessThan(shutdownTimeout.plusSeconds(5).toMillis());
            assertThat(logs.lines("statement.cancelled component=producer statement=fetch_jobs_v2", "reason=shutdown"))
                    .as("the stuck fetch is logged as cancelled, with its duration").hasSize(1);
            for (long id : ids) {
                Job job = client.jobs().get(id).orElseThrow();
                assertThat(job.status()).as("job %d after the cancelled fetch", id).isEqualTo(JobStatus.TODO);
                assertThat(job.attempts()).isZero();
            }

            try (Worker next = Worker.builder(db.dataSource(), TaskSet.of(item)).queues("slow-close").start()) {
                awaitSucceeded(client, ids);
                for (long id : ids) assertThat(client.jobs().get(id).orElseThrow().attempts()).isEqualTo(1);
            }
        }
    }

    @Test
    void aFetchPastItsBoundIsCancelledAndLoggedAndTheWorkerRecovers(TestDatabase db) throws Exception {
        Task<Item> item = Task.named("item-bound", Item.class).queue("slow-bound").action((context, i) -> { });
        Duration fetchTimeout = Duration.ofSeconds(1);
        try (Postpone client = Postpone.builder(db.dataSource()).build(); LogCapture logs = new LogCapture()) {
            List<Long> ids = client.deferAll(item, IntStream.range(0, 3).mapToObj(Item::new).toList());
            Worker worker;
            try (Connection locker = lockJobs(db)) {
                worker = Worker.builder(named(db, "slow-bound"), TaskSet.of(item)).queues("slow-bound")
                        .statementTimeouts(StatementTimeouts.defaults().withFetch(fetchTimeout)).start();
                // Until the producer saw its fetch fail: released earlier, the lock could let the fetch finish before the cancel lands.
                Await.until("a fetch was cancelled at its bound", Duration.ofSeconds(30),
                        () -> !logs.lines("producer.fetch_failed sqlstate=57014").isEmpty());
                assertThat(worker.isRunning()).isTrue();
            }
            try (worker) {
                String line = logs.lines("statement.cancelled component=producer statement=fetch_jobs_v2", "reason=timeout").getFirst();
                Matcher ms = CANCELLED_MS.matcher(line);
                assertThat(ms.find()).as(line).isTrue();
                assertThat(Long.parseLong(ms.group(1))).as("logged duration of the cancelled fetch, ms").isGreaterThanOrEqualTo(1000);
                assertThat(line).contains("bound=PT1S");

                awaitSucceeded(client, ids);
                assertThat(worker.isRunning()).isTrue();
                for (long id : ids) assertThat(client.jobs().get(id).orElseThrow().attempts()).isEqualTo(1);
            }
        }
    }

    /** A connection holding an ACCESS EXCLUSIVE lock on the jobs table until it is closed. */
    private static Connection lockJobs(TestDatabase db) throws Exception {
        Connection c = db.connect();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("lock table postpone.jobs in access exclusive mode");
        }
        return c;
    }

    private static boolean fetchWaitingForLock(TestDatabase db, String application) {
        return Sql.count(db.dataSource(), "select count(*) from pg_stat_activity where datname = ? and application_name = ?"
                + " and wait_event_type = 'Lock' and query like '%fetch_jobs_v2%'", db.databaseName(), application) > 0;
    }

    private static DataSource named(TestDatabase db, String application) {
        PGSimpleDataSource ds = (PGSimpleDataSource) db.dataSource();
        ds.setApplicationName(application);
        return ds;
    }

    private static void awaitSucceeded(Postpone client, List<Long> ids) throws InterruptedException {
        Await.until("the jobs succeeded", Duration.ofSeconds(30), () -> ids.stream()
                .allMatch(id -> client.jobs().get(id).map(Job::status).orElseThrow() == JobStatus.SUCCEEDED));
    }
}
