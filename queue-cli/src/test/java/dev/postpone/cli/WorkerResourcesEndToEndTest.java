package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.cli.e2e.EndToEndTasks;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import dev.postpone.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a {@code postpone worker} process takes from the database: {@link Worker#CONNECTIONS}
 * connections whatever its {@code --concurrency}, and no more time after SIGTERM than its
 * {@code --shutdown-timeout}, even when its fetch is stuck behind a lock.
 */
@ExtendWith(PostgresExtension.class)
class WorkerResourcesEndToEndTest {

    /** The pool name the CLI gives its connections (pg_stat_activity.application_name). */
    private static final String APPLICATION = "postpone-worker";

    static Map<String, String> env;

    TestDatabase db;
    Process worker;

    @BeforeAll
    static void migrate(TestDatabase db) throws Exception {
        env = Map.of("POSTPONE_DATABASE_URL", InProcessCli.urlWithUser(db));
        CliResult migrate = JarProcess.run(env, null, "schema", "migrate", "--phase", "all");
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
    }

    @AfterEach
    void stopWorker() throws Exception {
        if (worker != null) worker.destroyForcibly().waitFor();
    }

    @Test
    void aWorkerAtConcurrency100HoldsOnlyTheConnectionsItUses(TestDatabase db) throws Exception {
        Path logs = CapturedOutput.directory("WorkerResourcesEndToEndTest");
        this.db = db;
        worker = startWorker(logs, "100");
        Eventually.await("the worker's components connected", Duration.ofSeconds(30), this::held, n -> n >= Worker.CONNECTIONS);
        // A pool that fills itself does so within moments of its start: watch a while for more.
        long most = 0;
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); System.nanoTime() < end; Thread.sleep(100)) {
            most = Math.max(most, held());
        }
        assertThat(most).as("connections of a worker at --concurrency 100 in pg_stat_activity; stderr:%n%s",
                Files.readString(logs.resolve("worker.err"))).isEqualTo(Worker.CONNECTIONS);
    }

    @Test
    void sigtermCancelsAFetchStuckBehindALockAndExitsWithinTheShutdownTimeout(TestDatabase db) throws Exception {
        Path logs = CapturedOutput.directory("WorkerResourcesEndToEndTest");
        this.db = db;
        worker = startWorker(logs, "10");
        Eventually.await("the worker's components connected", Duration.ofSeconds(30), this::held, n -> n >= Worker.CONNECTIONS);
        try (Connection locker = db.connect()) {
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("lock table postpone.jobs in access exclusive mode");
            }
            Eventually.await("the worker's fetch waiting for the lock", Duration.ofSeconds(30), this::fetchesWaiting, n -> n > 0);

            long start = System.nanoTime();
            worker.destroy(); // SIGTERM
            boolean exited = worker.waitFor(2 + 5, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            String stderr = Files.readString(logs.resolve("worker.err"));
            assertThat(exited).as("exited within --shutdown-timeout 2s + 5 s after SIGTERM; stderr:%n%s", stderr).isTrue();
            assertThat(worker.exitValue()).as("exit code; stderr:%n%s", stderr).isEqualTo(ExitCode.TERMINATED.code());
            assertThat(stderr).contains("statement.cancelled component=producer statement=fetch_jobs_v2");
            System.out.println("SIGTERM to exit with a fetch stuck behind a lock: " + millis + " ms");
        }
        assertThat(count("select count(*) from postpone.jobs where status = 'doing'"))
                .as("jobs left doing by the stopped worker (its cancelled fetch claimed nothing)").isZero();
    }

    private Process startWorker(Path logs, String concurrency) throws Exception {
        return JarProcess.start(env, logs.resolve("worker.out"), logs.resolve("worker.err"), "worker",
                "--app", EndToEndTasks.class.getName(), "--classpath", JarProcess.testClasses(),
                "--concurrency", concurrency, "--shutdown-timeout", "2s");
    }

    private long held() throws Exception {
        return count("select count(*) from pg_stat_activity where datname = current_database() and application_name = '"
                + APPLICATION + "'");
    }

    private long fetchesWaiting() throws Exception {
        return count("select count(*) from pg_stat_activity where datname = current_database() and application_name = '"
                + APPLICATION + "' and wait_event_type = 'Lock' and query like '%fetch_jobs_v2%'");
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
