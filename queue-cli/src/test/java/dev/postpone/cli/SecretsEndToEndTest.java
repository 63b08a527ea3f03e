package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The password of the database URL never shows: not in error lines (with or without {@code --verbose}),
 * not in {@code --json} output, not in worker, dashboard or bench logs at debug level in either log
 * format, however the URL spells it ({@code password=} parameter, {@code user:password@}, libpq URI).
 * Each case asserts on its own output; {@link CapturedOutputCheck} greps all of it again, with the
 * output of every other test of the module.
 */
@ExtendWith(PostgresExtension.class)
class SecretsEndToEndTest {

    private static final String PASSWORD = CapturedOutput.PASSWORD;
    static TestDatabase db;
    static Map<String, String> env;

    @BeforeAll
    static void migrate(TestDatabase database) throws Exception {
        db = database;
        env = Map.of("POSTPONE_DATABASE_URL", InProcessCli.urlWithUser(db));
        assertThat(InProcessCli.urlWithUser(db)).contains("password=" + PASSWORD);
        CliResult migrate = JarProcess.run(env, null, "--verbose", "schema", "migrate", "--phase", "all", "--json");
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        assertClean(migrate);
    }

    @Test
    void failuresNeverQuoteThePasswordEvenWithStackTraces() throws Exception {
        record Case(String url, int exitCode, String message) {
        }
        List<Case> cases = List.of(
                new Case("jdbc:postgresql://127.0.0.1:1/postgres?user=postgres&password=" + PASSWORD, 3, "cannot connect to 127.0.0.1:1"),
                new Case("jdbc:postgresql://127.0.0.1:notaport/postgres?user=postgres&password=" + PASSWORD, 2, "URL invalid"),
                new Case("jdbc:postgresql://postgres:" + PASSWORD + "@127.0.0.1:notaport/postgres", 2, "URL invalid"),
                new Case("postgresql://postgres:" + PASSWORD + "@127.0.0.1:1/postgres", 3, "cannot connect to 127.0.0.1:1"),
                new Case("postgresql://postgres:" + PASSWORD + " @127.0.0.1/postgres", 2, "not a valid URL in --database-url"));
        for (Case c : cases) {
            for (String verbose : List.of("--verbose", "--json")) {
                CliResult r = JarProcess.run(Map.of(), null, "--database-url", c.url(), "jobs", "list", verbose);
                assertThat(r.exitCode()).as("%s %s%n%s", c.url(), verbose, r).isEqualTo(c.exitCode());
                assertThat(r.errLines()).as("%s", r).anySatisfy(l -> assertThat(l).startsWith("postpone: ").contains(c.message()));
                if (verbose.equals("--verbose")) assertThat(r.err()).as("the stack trace is printed").contains("\tat ");
                assertClean(r);
            }
        }
    }

    @Test
    void everyWayOfSpellingThePasswordWorksAndJsonOutputsLeaveItOut() throws Exception {
        for (List<String> command : List.of(List.of("schema", "status", "--json"), List.of("workers", "--json"),
                List.of("queues", "--json"), List.of("healthcheck"), List.of("defer", "secret-task", "{\"n\": 1}", "--json"),
                List.of("jobs", "list", "--json", "--verbose"))) {
            CliResult r = JarProcess.run(env, null, command.toArray(String[]::new));
            assertThat(r.exitCode()).as("%s%n%s", command, r).isZero();
            assertClean(r);
        }
        String hostPortDb = db.jdbcUrl().substring("jdbc:postgresql://".length()).replaceAll("\\?.*", "");
        for (String url : List.of("jdbc:postgresql://postgres:" + PASSWORD + "@" + hostPortDb, "postgresql://postgres:" + PASSWORD + "@" + hostPortDb)) {
            CliResult r = JarProcess.run(Map.of("POSTPONE_DATABASE_URL", url), null, "schema", "status", "--json", "--verbose");
            assertThat(r.exitCode()).as("%s%n%s", url, r).isZero();
            assertClean(r);
        }
    }

    @Test
    void aWorkerLogsNoPasswordAtDebugLevelInEitherFormat() throws Exception {
        Path logs = CapturedOutput.directory("SecretsEndToEndTest-worker");
        for (String format : List.of("text", "json")) {
            Path err = logs.resolve("worker-" + format + ".err");
            Process worker = JarProcess.start(env, logs.resolve("worker-" + format + ".out"), err, "worker", "--verbose",
                    "--app", dev.postpone.cli.e2e.EndToEndTasks.class.getName(), "--classpath", JarProcess.testClasses(),
                    "--queues", "secrets-" + format, "--log-format", format, "--name", "secrets-" + format);
            try {
                assertThat(JarProcess.run(env, null, "defer", "e2e-echo", "{\"n\": 1}", "--queue", "secrets-" + format).exitCode()).isZero();
                Eventually.await("the worker started and ran its job", Duration.ofSeconds(60), () -> Files.readString(err),
                        log -> log.contains("worker.started") && log.contains("job.succeeded"));
            } finally {
                worker.destroy();
                worker.waitFor();
            }
            String log = Files.readString(err);
            assertThat(log).as("debug lines of the pool and the driver are there").contains("DEBUG").doesNotContain(PASSWORD);
        }
    }

    @Test
    void theDashboardListensOnLoopbackAndShowsNoPassword() throws Exception {
        Path logs = CapturedOutput.directory("SecretsEndToEndTest-dashboard");
        Path out = logs.resolve("dashboard.out");
        Process dashboard = JarProcess.start(env, out, logs.resolve("dashboard.err"), "dashboard", "--verbose", "--port", "0");
        try {
            String printed = Eventually.await("the dashboard printing its address", Duration.ofSeconds(60), () -> Files.readString(out),
                    text -> text.contains("dashboard: http://"));
            Matcher address = Pattern.compile("dashboard: http://127\\.0\\.0\\.1:(\\d+)/").matcher(printed);
            assertThat(address.find()).as("listens on 127.0.0.1 by default: %s", printed).isTrue();
            int port = Integer.parseInt(address.group(1));
            String lan = Loopback.nonLoopbackAddress();
            if (lan != null) assertThat(Loopback.accepts(lan, port)).as("not served on %s by default", lan).isFalse();
            HttpClient http = HttpClient.newHttpClient();
            for (String page : List.of("/", "/schema", "/workers", "/jobs")) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + page)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(page).isEqualTo(200);
                assertThat(response.body()).as(page).doesNotContain(PASSWORD);
                Files.writeString(logs.resolve("page" + page.replace('/', '_') + ".html"), response.body());
            }
        } finally {
            dashboard.destroy();
            dashboard.waitFor();
        }
    }

    @Test
    void theBenchShowsNoPasswordInItsReportOrLogs() throws Exception {
        CliResult bench = JarProcess.run(env, null, "bench", "--verbose", "--smoke", "--json");
        assertThat(bench.exitCode()).as(bench.toString()).isZero();
        assertClean(bench);
    }

    private static void assertClean(CliResult r) {
        assertThat(r.out()).as("stdout").doesNotContain(PASSWORD);
        assertThat(r.err()).as("stderr").doesNotContain(PASSWORD);
    }
}
