package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.testing.PgBouncer;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The jar through a real PgBouncer in transaction pooling mode (2 server connections): defer, list, status
 * and a worker work through it; the worker polls and goes by its heartbeat alone unless
 * {@code --session-database-url} gives it a direct connection for LISTEN and its liveness lock; migrate
 * refuses the pooler in one line and changes nothing. Port 25710 (track infra).
 */
@ExtendWith(PostgresExtension.class)
class PgBouncerEndToEndTest {

    static TestDatabase db;
    static PgBouncer bouncer;
    static Map<String, String> pooled;

    @BeforeAll
    static void start(TestDatabase database) {
        db = database;
        java.net.URI server = java.net.URI.create(db.jdbcUrl().substring("jdbc:".length()));
        bouncer = PgBouncer.start(25710, server.getPort() < 0 ? 5432 : server.getPort(), PgBouncer.PoolMode.TRANSACTION, 2);
        // The URL a user would give: through the pooler, password included.
        pooled = Map.of("POSTPONE_DATABASE_URL", bouncer.jdbcUrl(db.databaseName()) + "&password=" + CapturedOutput.PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (bouncer != null) bouncer.close();
    }

    @Test
    void migrateRefusesThePoolerInOneLineAndEverythingElseWorksThroughIt() throws Exception {
        CliResult refused = JarProcess.run(pooled, null, "schema", "migrate", "--phase", "all");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.FAILED.code());
        assertThat(refused.errLines()).singleElement().asString()
                .startsWith("postpone: migrating the schema needs a database session of its own")
                .contains("connect to PostgreSQL directly");
        CliResult nothing = JarProcess.run(pooled, null, "schema", "status");
        assertThat(nothing.out()).as("the refused migrate applied nothing").contains("next: fresh install");

        Map<String, String> direct = Map.of("POSTPONE_DATABASE_URL", InProcessCli.urlWithUser(db));
        assertThat(JarProcess.run(direct, null, "schema", "migrate", "--phase", "all").exitCode()).isZero();
        CliResult status = JarProcess.run(pooled, null, "schema", "status");
        assertThat(status.exitCode()).as(status.toString()).isZero();

        CliResult pooledWorker = runWorker("pooled-worker", "bouncer-a", null);
        assertThat(pooledWorker.err()).contains("worker.behind_pooler worker=pooled-worker liveness_lock=false listen=off")
                .contains("--session-database-url");

        CliResult sessionWorker = runWorker("session-worker", "bouncer-b", InProcessCli.urlWithUser(db));
        assertThat(sessionWorker.err()).contains("listen=PGJDBC").contains("liveness_lock=true pooler=true")
                .doesNotContain("worker.behind_pooler");
    }

    /**
     * Defers 20 jobs through the pooler, runs a worker through it until they are done, stops it; returns what
     * it logged (stderr as err).
     */
    private CliResult runWorker(String name, String queue, String sessionUrl) throws Exception {
        String ndjson = String.join("\n", java.util.stream.IntStream.range(0, 20).mapToObj(i -> "{\"n\": " + i + "}").toList());
        CliResult defer = JarProcess.run(pooled, ndjson, "defer", "e2e-echo", "-", "--queue", queue);
        assertThat(defer.exitCode()).as(defer.toString()).isZero();
        Path logs = CapturedOutput.directory("PgBouncerEndToEndTest-" + name);
        Path err = logs.resolve("worker.err");
        List<String> args = new java.util.ArrayList<>(List.of("worker", "--app", dev.postpone.cli.e2e.EndToEndTasks.class.getName(),
                "--classpath", JarProcess.testClasses(), "--queues", queue, "--name", name));
        if (sessionUrl != null) args.addAll(List.of("--session-database-url", sessionUrl));
        Process worker = JarProcess.start(pooled, logs.resolve("worker.out"), err, args.toArray(String[]::new));
        try {
            Eventually.await("the worker ran the 20 jobs", Duration.ofSeconds(60),
                    () -> JarProcess.run(pooled, null, "jobs", "list", "--queue", queue, "--status", "SUCCEEDED", "--json").out(),
                    json -> Json.parse(json).size() == 20);
        } finally {
            worker.destroy();
            worker.waitFor();
        }
        assertThat(worker.exitValue()).as("SIGTERM: a clean stop").isEqualTo(143);
        String log = Files.readString(err);
        assertThat(log).doesNotContain("fetch_failed").doesNotContain("write_failed").doesNotContain("housekeeping.failed")
                .contains("worker.stopped");
        return new CliResult(worker.exitValue(), "", log);
    }
}
