package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.cli.e2e.BadCronTasks;
import dev.postpone.cli.e2e.EndToEndTasks;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The mistakes a newcomer made (issue 9, items 6 to 9), through the real jar: each is answered with one
 * line that names what is wrong and the option to change, and with the documented exit code.
 */
@ExtendWith(PostgresExtension.class)
class ClearErrorsEndToEndTest {

    static Map<String, String> env;

    @BeforeAll
    static void migrate(TestDatabase db) throws Exception {
        env = Map.of("POSTPONE_DATABASE_URL", InProcessCli.urlWithUser(db));
        CliResult migrate = JarProcess.run(env, null, "schema", "migrate", "--phase", "all");
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
    }

    record Case(List<String> args, ExitCode exitCode, String message) {
        Case(ExitCode exitCode, String message, String... args) {
            this(List.of(args), exitCode, message);
        }
    }

    private static void assertOneLine(Case c) throws Exception {
        CliResult r = JarProcess.run(env, null, c.args().toArray(String[]::new));
        assertThat(r.exitCode()).as("exit code of %s%n%s", c.args(), r).isEqualTo(c.exitCode().code());
        assertThat(r.errLines()).as("stderr of %s", c.args()).singleElement().asString()
                .startsWith("postpone: ").contains(c.message());
    }

    @Test
    void usageMistakesNameTheOptionOrCommand() throws Exception {
        for (Case c : List.of(
                new Case(ExitCode.USAGE, "unknown option '--queue'; did you mean '--queues'?", "worker", "--queue", "emails"),
                new Case(ExitCode.USAGE, "unknown command 'frobnicate' for postpone", "frobnicate"),
                new Case(ExitCode.USAGE, "unknown command 'lst' for postpone jobs, whose commands are list, show, cancel,"
                        + " retry and delete; did you mean 'list'? (see 'postpone jobs --help')", "jobs", "lst"),
                new Case(ExitCode.USAGE, "option '--limit': must be between 1 and 10000, not 0", "jobs", "list", "--limit", "0"),
                new Case(ExitCode.USAGE, "option '--max-attempts': must be at least 1, not 0", "defer", "t", "{}", "--max-attempts", "0"),
                new Case(ExitCode.USAGE, "option '--metrics-port': a port is between 1 and 65535, not 70000",
                        "worker", "--metrics-port", "70000"),
                new Case(ExitCode.USAGE, "'q' is not a job id", "jobs", "show", "q"),
                new Case(ExitCode.USAGE, "option '--to': no such release 0.9.0", "schema", "plan", "--to", "0.9.0"))) {
            assertOneLine(c);
        }
        for (String[] alone : List.of(new String[] {}, new String[] {"jobs"})) {
            CliResult r = JarProcess.run(env, null, alone);
            assertThat(r.exitCode()).as("exit code of %s%n%s", List.of(alone), r).isEqualTo(ExitCode.USAGE.code());
            assertThat(r.out()).as("nothing on stdout").isEmpty();
            assertThat(r.err()).as("the usage, with its command list, on stderr").startsWith("Usage: postpone")
                    .contains("Commands:").doesNotContain("Missing required subcommand");
        }
        assertThat(JarProcess.run(env, null).err()).contains("  schema ").contains("  worker ");
        assertThat(JarProcess.run(env, null, "jobs").err()).contains("  list ").contains("  delete ");
        CliResult unmatched = JarProcess.run(env, null, "frobnicate");
        assertThat(unmatched.err()).doesNotContain("Unmatched argument").doesNotContain("index 0");
        CliResult attempts = JarProcess.run(env, null, "defer", "t", "{}", "--max-attempts", "0");
        assertThat(attempts.err()).as("no Java builder method names").doesNotContain("maxAttempts");
    }

    @Test
    void aMissingSchemaSaysWhereItLookedAndVerifyExitsWithTheMissingSchemaCode() throws Exception {
        String where = "does not exist in database \"";
        assertOneLine(new Case(ExitCode.SCHEMA_NOT_READY, "schema not_here does not exist", "--schema", "not_here", "schema", "verify"));
        assertOneLine(new Case(ExitCode.SCHEMA_NOT_READY, where, "--schema", "not_here", "schema", "verify"));
        assertOneLine(new Case(ExitCode.SCHEMA_NOT_READY, where, "--schema", "not_here", "jobs", "list"));
        String url = env.get("POSTPONE_DATABASE_URL");
        if (!url.contains("password=")) url += (url.contains("?") ? "&" : "?") + "password=s3cret-not-shown";
        CliResult r = JarProcess.run(Map.of("POSTPONE_DATABASE_URL", url), null, "--schema", "not_here", "jobs", "list");
        assertThat(r.err()).as("never the password").doesNotContain("s3cret-not-shown");
    }

    @Test
    void planForThePostPhaseSaysPost() throws Exception {
        CliResult plan = JarProcess.run(env, null, "schema", "plan", "--phase", "post");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("nothing pending up to ").contains(" post").doesNotContain("(all phases)");
    }

    @Test
    void aBadCronExpressionInAnAppClassShowsTheCronErrorAndVerboseShowsItsCause() throws Exception {
        String[] args = {"worker", "--app", BadCronTasks.class.getName(), "--classpath", JarProcess.testClasses()};
        CliResult r = JarProcess.run(env, null, args);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.errLines()).singleElement().asString()
                .contains("--app class " + BadCronTasks.class.getName() + " failed to initialise: invalid cron expression '61 * * * *'"
                        + " of periodic task 'bad-cron-report': ")
                .doesNotContain("--classpath").doesNotContain("ExceptionInInitializerError");
        CliResult verbose = JarProcess.run(env, null, "worker", "--verbose", "--app", BadCronTasks.class.getName(), "--classpath", JarProcess.testClasses());
        assertThat(verbose.err()).as("--verbose shows the cause").contains("Caused by: java.lang.IllegalArgumentException: invalid cron expression");
    }

    @Test
    void bulkDeferErrorsGiveTheRightLineAndWhereToResume() throws Exception {
        CliResult eof = JarProcess.run(env, "{\"a\": 1}\n{\"a\": 2}\n{\"a\":\n", "defer", "ndjson-task", "-", "--queue", "ndjson-eof");
        assertThat(eof.exitCode()).as(eof.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(eof.errLines()).singleElement().asString()
                .contains("the JSON value that starts on line 3 of stdin is incomplete")
                .doesNotContain("line 4").doesNotContain("are not valid");

        CliResult array = JarProcess.run(env, "{\"a\": [1, 2}\n", "defer", "ndjson-task", "-", "--queue", "ndjson-eof");
        assertThat(array.errLines()).singleElement().asString().contains("line 1, column 12 of stdin is not valid JSON")
                .doesNotContain("StreamReadFeature").doesNotContain("Source:").doesNotContain("(code ");

        String input = "{\"a\": 1}\n{\"a\": 2}\n{\"a\": 3}\n{\"a\": 4}\n{\"a\" 5}\n{\"a\": 6}\n";
        CliResult partial = JarProcess.run(env, input, "defer", "ndjson-task", "-", "--queue", "ndjson-partial", "--chunk-size", "2");
        assertThat(partial.exitCode()).as(partial.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(partial.outLines()).as("the ids of the committed chunks").hasSize(4);
        assertThat(partial.errLines()).singleElement().asString()
                .contains("line 5, column 6 of stdin is not valid JSON")
                .contains("4 jobs were deferred before it")
                .contains("resume from line 5, e.g. tail -n +5");
        CliResult queued = JarProcess.run(env, null, "jobs", "list", "--queue", "ndjson-partial");
        assertThat(queued.outLines()).as("header and the 4 deferred jobs").hasSize(5);
    }

    @Test
    void metricsListenOnLoopbackByDefaultAndAPortInUseIsOneLine() throws Exception {
        Path logs = CapturedOutput.directory("ClearErrorsEndToEndTest");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process worker = JarProcess.start(env, logs.resolve("out"), logs.resolve("err"), "worker", "--app", EndToEndTasks.class.getName(),
                "--classpath", JarProcess.testClasses(), "--queues", "metrics-nobody", "--metrics-port", Integer.toString(port));
        try {
            Eventually.await("the metrics endpoint answering on 127.0.0.1", Duration.ofSeconds(30), () -> Loopback.accepts("127.0.0.1", port), ok -> ok);
            String lan = Loopback.nonLoopbackAddress();
            if (lan != null) assertThat(Loopback.accepts(lan, port)).as("metrics not served on %s by default", lan).isFalse();
            Eventually.await("the worker logging its metrics URL", Duration.ofSeconds(30), () -> Files.readString(logs.resolve("err")),
                    log -> log.contains("worker.metrics url=http://127.0.0.1:" + port + "/metrics"));

            CliResult taken = JarProcess.run(env, null, "worker", "--app", EndToEndTasks.class.getName(), "--classpath", JarProcess.testClasses(),
                    "--queues", "metrics-nobody", "--metrics-port", Integer.toString(port));
            assertThat(taken.exitCode()).as(taken.toString()).isEqualTo(ExitCode.FAILED.code());
            assertThat(taken.errLines().getLast())
                    .startsWith("postpone: cannot serve Prometheus metrics on 127.0.0.1:" + port + ": ")
                    .contains("choose another --metrics-port")
                    .doesNotContain("unexpected").doesNotContain("UncheckedIOException");
        } finally {
            worker.destroy();
            worker.waitFor();
        }
    }
}
