package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobStatus;
import dev.postpone.retry.RetryPolicy;
import dev.postpone.schema.ConnectionPooler;
import dev.postpone.schema.MigrationException;
import dev.postpone.schema.Migrator;
import dev.postpone.testing.PgBouncer;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clients and workers through a real PgBouncer in transaction pooling mode, with fewer server connections
 * than clients, so consecutive statements of one client run in different server sessions. Nothing may
 * lean on session state there: the library turns server-side prepared statements off on what it finds
 * pooled, a worker without a direct connection polls and is judged by its heartbeat alone, one with a
 * session data source listens and holds its liveness lock on it, statement bounds still cancel, and the
 * migrator refuses the pooler in one sentence. Ports 25700-25709 (track infra).
 */
@ExtendWith(PostgresExtension.class)
@Timeout(180)
class PgBouncerTest {

    record Item(int n) {
    }

    private static int serverPort;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void install(TestDatabase db) {
        Sql.installSchema(db);
        serverPort = serverPort(db);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) c.close();
        opened.clear();
    }

    @Test
    void theLibraryTellsAPooledConnectionFromADirectOne(TestDatabase db) throws Exception {
        PgBouncer bouncer = bouncer(25700, PgBouncer.PoolMode.TRANSACTION, 2);
        assertThat(ConnectionPooler.detected(bouncer.dataSource(db.databaseName()))).as("through PgBouncer").isTrue();
        assertThat(ConnectionPooler.detected(db.dataSource())).as("directly").isFalse();
    }

    @Test
    void clientsAndWorkersRunEveryJobOnceThroughTransactionPooling(TestDatabase db) throws Exception {
        PgBouncer bouncer = bouncer(25701, PgBouncer.PoolMode.TRANSACTION, 2);
        Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
        Task<Item> item = Task.named("pooled-item", Item.class).queue("pooled")
                .action((context, i) -> runs.computeIfAbsent(i.n(), k -> new AtomicInteger()).incrementAndGet());
        HikariDataSource clientPool = open(pool(bouncer.jdbcUrl(db.databaseName()), 4));
        try (LogCapture logs = new LogCapture(); Postpone client = Postpone.builder(clientPool).build()) {
            List<Worker> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                workers.add(open(Worker.builder(bouncer.dataSource(db.databaseName()), TaskSet.of(item)).queues("pooled")
                        .name("pooled-" + w).concurrency(4).pollInterval(Duration.ofMillis(200))
                        .heartbeatInterval(Duration.ofMillis(200)).start()));
            }
            List<Long> ids = new ArrayList<>();
            // Single defers and batches, many of each: each SQL text runs far past pgjdbc's prepareThreshold (5).
            for (int n = 0; n < 200; n++) ids.add(client.defer(item, new Item(n)));
            for (int b = 0; b < 10; b++) {
                ids.addAll(client.deferAll(item, IntStream.range(200 + b * 30, 230 + b * 30).mapToObj(Item::new).toList()));
            }
            Await.until("every job succeeded", Duration.ofSeconds(90), () -> succeeded(client, ids) == ids.size());

            assertThat(runs).hasSize(ids.size());
            assertThat(runs.values()).as("each job ran once").allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
            assertThat(logs.lines("fetch_failed")).isEmpty();
            assertThat(logs.lines("write_failed")).isEmpty();
            assertThat(logs.lines("housekeeping.failed")).isEmpty();
            assertThat(logs.lines("worker.behind_pooler", "liveness_lock=false", "listen=off")).hasSize(2);
            assertThat(logs.lines("worker.started", "listen=off", "liveness_lock=false", "pooler=true")).hasSize(2);
            for (Worker w : workers) {
                assertThat(Sql.rows(db.dataSource(), "select lock_class from postpone.workers where id = ?", w.id()))
                        .as("registered without a liveness lock").containsExactly(java.util.Collections.singletonList(null));
            }
        }
    }

    @Test
    void aWorkerWithASessionDataSourceListensAndHoldsItsLivenessLockThere(TestDatabase db) throws Exception {
        PgBouncer bouncer = bouncer(25702, PgBouncer.PoolMode.TRANSACTION, 2);
        AtomicInteger ran = new AtomicInteger();
        Task<Item> item = Task.named("session-item", Item.class).queue("session").action((context, i) -> ran.incrementAndGet());
        try (LogCapture logs = new LogCapture(); Postpone client = Postpone.builder(bouncer.dataSource(db.databaseName())).build()) {
            // Polling once a minute: a job that starts within seconds was woken by a notification.
            Worker worker = open(Worker.builder(bouncer.dataSource(db.databaseName()), TaskSet.of(item)).queues("session")
                    .sessionDataSource(db.dataSource()).pollInterval(Duration.ofMinutes(1)).start());
            Thread.sleep(500); // listening
            client.defer(item, new Item(1));
            Await.until("the job ran, woken by LISTEN", Duration.ofSeconds(10), () -> ran.get() == 1);

            assertThat(logs.lines("worker.started", "listen=PGJDBC", "liveness_lock=true", "pooler=true")).hasSize(1);
            assertThat(logs.lines("worker.behind_pooler")).isEmpty();
            assertThat(Sql.count(db.dataSource(), "select count(*) from pg_locks l join postpone.workers w on l.classid = w.lock_class::oid"
                    + " and l.objid = (w.id % 2147483647)::oid where l.locktype = 'advisory' and l.granted and w.id = ?", worker.id()))
                    .as("its liveness lock, held by its direct housekeeping session").isEqualTo(1);
        }
    }

    /**
     * Without a session of its own a worker's death is told by its heartbeat alone: a killed worker's jobs
     * are rescued once its stalled threshold has passed (not at once, as with the lock, and not never, as a
     * lock stranded in a pooled server session would make it).
     */
    @Test
    void aKilledWorkerBehindThePoolerIsRescuedAfterItsStalledThreshold(TestDatabase db) throws Exception {
        PgBouncer bouncer = bouncer(25703, PgBouncer.PoolMode.TRANSACTION, 2);
        Duration stalled = Duration.ofSeconds(5);
        Task<BlockingWorkerMain.Hang> hang = Task.named("hang", BlockingWorkerMain.Hang.class).queue("rescue")
                .retry(RetryPolicy.fixed(Duration.ZERO, 3)).action((context, h) -> { });
        try (Postpone client = Postpone.builder(bouncer.dataSource(db.databaseName())).build()) {
            List<Long> ids = client.deferAll(hang, IntStream.range(0, 2).mapToObj(BlockingWorkerMain.Hang::new).toList());
            Path log = Path.of("target", "pooled-blocking-worker.log");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), BlockingWorkerMain.class.getName(),
                    bouncer.jdbcUrl(db.databaseName()), "-", Long.toString(stalled.toMillis()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long killedAt;
            try {
                // Started, not only claimed: a claim that never started is put back without an error.
                Await.until("the other JVM's worker runs the 2 jobs", Duration.ofSeconds(45),
                        () -> running(client, ids) == 2 || !child.isAlive());
                assertThat(child.isAlive()).as("child JVM alive (see %s)", log.toAbsolutePath()).isTrue();
            } finally {
                child.destroyForcibly().waitFor();
                killedAt = System.nanoTime();
            }
            try (Worker runner = Worker.builder(bouncer.dataSource(db.databaseName()), TaskSet.of(hang)).queues("rescue")
                    .heartbeatInterval(Duration.ofMillis(500)).start()) {
                Await.until("the killed worker's jobs succeeded", Duration.ofSeconds(60), () -> succeeded(client, ids) == ids.size());
                Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
                System.out.println("pooled killed worker's jobs done after " + took.toMillis() + " ms");
                // Its last heartbeat was at most 0.5 s before the kill.
                assertThat(took).as("rescued by the heartbeat threshold").isGreaterThan(stalled.minusMillis(600));
                for (long id : ids) assertThat(client.jobs().get(id).orElseThrow().lastError()).contains("no heartbeat for more than");
            }
        }
    }

    @Test
    void statementBoundsCancelThroughThePooler(TestDatabase db) throws Exception {
        PgBouncer bouncer = bouncer(25704, PgBouncer.PoolMode.TRANSACTION, 4);
        Task<Item> item = Task.named("bounded-item", Item.class).queue("bounded").action((context, i) -> { });
        try (LogCapture logs = new LogCapture(); Postpone client = Postpone.builder(db.dataSource()).build()) {
            List<Long> ids = client.deferAll(item, IntStream.range(0, 3).mapToObj(Item::new).toList());
            try (Connection locker = db.connect()) {
                locker.setAutoCommit(false);
                try (Statement st = locker.createStatement()) {
                    st.execute("lock table postpone.jobs in exclusive mode");
                }
                open(Worker.builder(bouncer.dataSource(db.databaseName()), TaskSet.of(item)).queues("bounded")
                        .statementTimeouts(StatementTimeouts.defaults().withFetch(Duration.ofSeconds(1))).start());
                Await.until("a fetch was cancelled at its bound", Duration.ofSeconds(30),
                        () -> !logs.lines("statement.cancelled component=producer statement=fetch_jobs_v2", "reason=timeout").isEmpty());
                locker.rollback();
            }
            Await.until("the jobs ran once the lock was gone", Duration.ofSeconds(30), () -> succeeded(client, ids) == ids.size());
        }
    }

    @Test
    void theMigratorRefusesThePoolerInOneSentenceWhileStatusWorks(TestDatabase db) throws Exception {
        PgBouncer bouncer = bouncer(25705, PgBouncer.PoolMode.TRANSACTION, 2);
        Migrator pooled = Migrator.builder(bouncer.dataSource(db.databaseName())).build();
        assertThatThrownBy(pooled::migrate).isInstanceOf(MigrationException.class)
                .hasMessage("migrating the schema needs a database session of its own, but this connection goes through a connection"
                        + " pooler (PgBouncer or the like), where each transaction may run in another session: connect to PostgreSQL"
                        + " directly (the server's own host and port in --database-url)");
        assertThatThrownBy(pooled::verify).isInstanceOf(MigrationException.class).hasMessageStartingWith("verifying the schema needs");
        assertThat(pooled.status().steps()).isNotEmpty();
    }

    private PgBouncer bouncer(int port, PgBouncer.PoolMode mode, int serverConnections) {
        return open(PgBouncer.start(port, serverPort, mode, serverConnections));
    }

    private <T extends AutoCloseable> T open(T resource) {
        opened.add(resource);
        return resource;
    }

    private static HikariDataSource pool(String jdbcUrl, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    private static long succeeded(Postpone client, List<Long> ids) {
        return ids.stream().filter(id -> client.jobs().get(id).map(Job::status).orElseThrow() == JobStatus.SUCCEEDED).count();
    }

    /** Jobs doing whose start the worker has recorded. */
    private static long running(Postpone client, List<Long> ids) {
        return ids.stream().map(id -> client.jobs().get(id).orElseThrow())
                .filter(j -> j.status() == JobStatus.DOING && j.startedAt() != null).count();
    }

    /** The port of the test server on this machine, which the PgBouncer sits in front of. */
    private static int serverPort(TestDatabase db) {
        java.net.URI uri = java.net.URI.create(db.jdbcUrl().substring("jdbc:".length()));
        return uri.getPort() < 0 ? 5432 : uri.getPort();
    }

}
