package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpone.cli.e2e.EndToEndTasks;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code postpone worker} as a separate JVM, the way it runs in production: it loads the application's
 * tasks from {@code --classpath}, runs jobs deferred with {@code postpone defer}, shows up in
 * {@code postpone workers}, and on SIGTERM hands back the job it could not finish, unregisters and
 * exits with 143. Its {@code --log-format json} output is one JSON object per line.
 */
@ExtendWith(PostgresExtension.class)
class WorkerEndToEndTest {

    static Map<String, String> env;
    static InProcessCli cli;

    Process worker;

    @BeforeAll
    static void migrate(TestDatabase db) throws Exception {
        env = Map.of("POSTPONE_DATABASE_URL", InProcessCli.urlWithUser(db));
        cli = new InProcessCli(db);
        CliResult migrate = JarProcess.run(env, null, "schema", "migrate", "--phase", "all");
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
    }

    @AfterEach
    void stopWorker() {
        if (worker != null) worker.destroyForcibly();
    }

    @Test
    void runsDeferredJobsThenShutsDownCleanlyOnSigterm() throws Exception {
        Path logs = CapturedOutput.directory("WorkerEndToEndTest");
        Path stderr = logs.resolve("worker.err");
        worker = JarProcess.start(env, logs.resolve("worker.out"), stderr, "worker",
                "--app", EndToEndTasks.class.getName(), "--classpath", JarProcess.testClasses(),
                "--concurrency", "4", "--name", "e2e", "--shutdown-timeout", "1s", "--log-format", "json");

        CliResult echoes = JarProcess.run(env, "{\"n\": 1}\n{\"n\": 2}\n{\"n\": 3}\n", "defer", "e2e-echo", "-");
        assertThat(echoes.exitCode()).as(echoes.toString()).isZero();
        Eventually.await("the echo jobs succeeding", Duration.ofSeconds(30), () -> jobs("e2e-echo"),
                jobs -> jobs.size() == 3 && jobs.stream().allMatch(j -> j.path("status").asText().equals("succeeded")));
        // Periodic tasks come from the --app class too (PeriodicTaskProvider).
        Eventually.await("a periodic tick deferred and run", Duration.ofSeconds(30), () -> jobs("e2e-tick"),
                jobs -> jobs.stream().anyMatch(j -> j.path("status").asText().equals("succeeded")));

        CliResult nap = JarProcess.run(env, null, "defer", "e2e-nap", "{\"millis\": 60000}");
        assertThat(nap.exitCode()).as(nap.toString()).isZero();
        long napId = Long.parseLong(nap.out().strip());
        Eventually.await("the nap job running", Duration.ofSeconds(30), () -> jobs("e2e-nap"),
                jobs -> jobs.size() == 1 && jobs.getFirst().path("status").asText().equals("doing"));

        assertThat(workers()).as("postpone workers while it runs")
                .anySatisfy(w -> {
                    assertThat(w.path("name").asText()).isEqualTo("e2e");
                    assertThat(w.path("release").asText()).isEqualTo(dev.postpone.schema.LibraryVersion.current());
                });

        worker.destroy(); // SIGTERM
        assertThat(worker.waitFor(30, TimeUnit.SECONDS)).as("worker exits after SIGTERM").isTrue();
        assertThat(worker.exitValue()).as("exit code after a clean SIGTERM shutdown; stderr:%n%s", Files.readString(stderr))
                .isEqualTo(ExitCode.TERMINATED.code());

        assertThat(workers()).as("postpone workers after shutdown").noneMatch(w -> w.path("name").asText().equals("e2e"));
        JsonNode napJob = Json.parse(JarProcess.run(env, null, "jobs", "show", String.valueOf(napId), "--json").out());
        assertThat(napJob.path("status").asText()).as("the job running at SIGTERM is handed back").isEqualTo("todo");
        assertThat(napJob.path("attempts").asInt()).as("a handed-back attempt is not counted (docs/workers.md, Shutdown)").isZero();

        List<JsonNode> logLines = Files.readAllLines(stderr).stream().filter(l -> !l.isBlank()).map(Json::parse).toList();
        assertThat(logLines).as("--log-format json: the worker's start, as a JSON line on stderr")
                .anySatisfy(line -> {
                    assertThat(line.path("level").asText()).isEqualTo("INFO");
                    assertThat(line.path("formattedMessage").asText()).startsWith("worker.started worker=e2e ");
                });
    }

    /**
     * A worker whose functions a newer release's post step removed drains, unregisters and exits with
     * the schema code (4), not 0, so a supervisor starts the newer release instead of restarting it.
     */
    @Test
    void aWorkerStoppedByAPostMigrationExitsWithTheSchemaCode(TestDatabase db) throws Exception {
        Path logs = CapturedOutput.directory("WorkerEndToEndTest");
        CliResult migrate = JarProcess.run(env, null, "schema", "migrate", "--phase", "all", "--schema", "retiring");
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        Path stderr = logs.resolve("worker.err");
        worker = JarProcess.start(env, logs.resolve("worker.out"), stderr, "worker", "--schema", "retiring", "--name", "retiring",
                "--app", EndToEndTasks.class.getName(), "--classpath", JarProcess.testClasses());
        Eventually.await("the worker registered", Duration.ofSeconds(30), () -> JarProcess.run(env, null, "workers", "--json",
                "--schema", "retiring").out(), out -> out.contains("\"retiring\""));

        // What a later release's post step does: drop a function this release calls, record it, announce it.
        try (var c = db.connect(); var st = c.createStatement()) {
            // One query string: one transaction, as the migrator applies a step with its ledger row.
            st.execute("drop function retiring.periodic_last_ticks_v2();"
                    + " insert into retiring.schema_migrations (release, phase, seq, name, checksum, state, transactional,"
                    + " finished_at, migrator_release) values ('9.0.0', 'post', 1, 'drop_v1', 'x', 'applied', true, now(), '9.0.0')");
            st.execute("select pg_notify('" + dev.postpone.schema.Channels.schema(dev.postpone.schema.SchemaName.of("retiring"))
                    + "', '9.0.0/post')");
        }
        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("the worker stops by itself").isTrue();
        String err = Files.readString(stderr);
        assertThat(worker.exitValue()).as(err).isEqualTo(ExitCode.SCHEMA_NOT_READY.code());
        assertThat(err).contains("worker stopped: schema retiring is newer than release")
                .contains("upgrade this worker to release 9.0.0 or newer");
    }

    /** The directory with this module's compiled test classes, where {@link EndToEndTasks} lives. */
    /** Polled often, so it runs in the test JVM: the same command without a JVM start per poll. */
    private static List<JsonNode> jobs(String task) {
        CliResult list = cli.run("jobs", "list", "--task", task, "--json");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        return StreamSupport.stream(Json.parse(list.out()).spliterator(), false).toList();
    }

    private static List<JsonNode> workers() throws Exception {
        CliResult workers = JarProcess.run(env, null, "workers", "--json");
        assertThat(workers.exitCode()).as(workers.toString()).isZero();
        return StreamSupport.stream(Json.parse(workers.out()).spliterator(), false).toList();
    }
}
