package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpone.cli.e2e.EndToEndTasks;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Through the real jar, against a {@code postpone worker} JVM: {@code jobs cancel} of a running job stops it
 * within seconds and it ends cancelled, with who asked on record; {@code jobs show} lists every attempt of a
 * job that failed twice then succeeded, with their traces, and its result (text and --json).
 */
@ExtendWith(PostgresExtension.class)
class AbortAndHistoryEndToEndTest {

    static Map<String, String> env;
    static InProcessCli cli;
    static Process worker;
    static Path logs;

    @BeforeAll
    static void startWorker(TestDatabase db) throws Exception {
        logs = CapturedOutput.directory("AbortAndHistoryEndToEndTest");
        env = Map.of("POSTPONE_DATABASE_URL", InProcessCli.urlWithUser(db));
        cli = new InProcessCli(db);
        CliResult migrate = JarProcess.run(env, null, "schema", "migrate", "--phase", "all");
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        worker = JarProcess.start(env, logs.resolve("worker.out"), logs.resolve("worker.err"), "worker",
                "--app", EndToEndTasks.class.getName(), "--classpath", JarProcess.testClasses(), "--name", "e2e-history");
    }

    @AfterAll
    static void stopWorker() {
        if (worker != null) worker.destroyForcibly();
    }

    @Test
    void cancelStopsARunningJob() throws Exception {
        long id = deferred(JarProcess.run(env, null, "defer", "e2e-nap", "{\"millis\": 120000}"));
        Eventually.await("the nap job running", Duration.ofSeconds(30), () -> show(id), job -> job.path("status").asText().equals("doing"));

        CliResult cancel = JarProcess.run(env, null, "jobs", "cancel", String.valueOf(id));
        assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
        assertThat(cancel.outLines()).containsExactly("job " + id + " is running: asked its worker to stop it"
                + " (it ends cancelled unless it finishes first)");
        JsonNode job = Eventually.await("the job cancelled", Duration.ofSeconds(10), () -> show(id),
                j -> j.path("status").asText().equals("cancelled"));
        // From the request (the cancel command's clock) to the attempt's end (the worker's, on the same host).
        Instant asked = Instant.parse(job.path("abortRequest").path("requestedAt").asText());
        Instant stopped = Instant.parse(job.path("attemptHistory").get(0).path("finishedAt").asText());
        assertThat(Duration.between(asked, stopped)).isLessThan(Duration.ofSeconds(2));

        assertThat(job.path("abortRequest").path("requestedBy").asText()).contains(System.getProperty("user.name"));
        assertThat(job.path("abortRequest").path("attempt").asInt()).isEqualTo(1);
        assertThat(job.path("attemptHistory")).singleElement().satisfies(a -> {
            assertThat(a.path("outcome").asText()).isEqualTo("cancelled");
            assertThat(a.path("worker").asText()).isEqualTo("e2e-history");
            assertThat(a.path("error").asText()).contains("was cancelled while it ran");
        });
        CliResult text = JarProcess.run(env, null, "jobs", "show", String.valueOf(id));
        assertThat(text.out()).contains("abort request: asked ").contains("(attempt 1)");
    }

    @Test
    void showListsEveryAttemptAndTheResult() throws Exception {
        long id = deferred(JarProcess.run(env, null, "defer", "e2e-flaky", "{\"n\": 7}", "--max-attempts", "3"));
        JsonNode job = Eventually.await("the flaky job succeeded", Duration.ofSeconds(30), () -> show(id),
                j -> j.path("status").asText().equals("succeeded"));

        assertThat(job.path("result")).as("embedded as JSON, not quoted").isEqualTo(Json.parse("{\"n\": 7, \"attempt\": 3}"));
        assertThat(job.path("attemptHistory")).hasSize(3);
        assertThat(job.path("attemptHistory").get(0).path("trace").asText()).startsWith("java.lang.IllegalStateException: flaky on attempt 1");

        CliResult show = JarProcess.run(env, null, "jobs", "show", String.valueOf(id));
        assertThat(show.exitCode()).as(show.toString()).isZero();
        List<String> lines = show.outLines();
        assertThat(lines).contains("result:        {\"n\": 7, \"attempt\": 3}", "attempts:");
        int header = lines.indexOf("attempts:") + 1;
        assertThat(lines.get(header)).startsWith("#  OUTCOME    WORKER").contains("STARTED").contains("FINISHED").contains("ERROR / NOTE");
        assertThat(lines.get(header + 1)).startsWith("1  retry      e2e-history (id ").endsWith("java.lang.IllegalStateException: flaky on attempt 1");
        assertThat(lines.get(header + 2)).startsWith("2  retry      e2e-history (id ").endsWith("flaky on attempt 2");
        assertThat(lines.get(header + 3)).startsWith("3  succeeded  e2e-history (id ").contains(" ms");
        assertThat(lines).contains("attempt 1 (retry):", "attempt 2 (retry):")
                .contains("java.lang.IllegalStateException: flaky on attempt 2");
    }

    private static long deferred(CliResult defer) {
        assertThat(defer.exitCode()).as(defer.toString()).isZero();
        return Long.parseLong(defer.out().strip());
    }

    /** Polled often, so it runs in the test JVM: the same command without a JVM start per poll. */
    private static JsonNode show(long id) {
        CliResult show = cli.run("jobs", "show", String.valueOf(id), "--json");
        assertThat(show.exitCode()).as(show.toString()).isZero();
        return Json.parse(show.out());
    }
}
