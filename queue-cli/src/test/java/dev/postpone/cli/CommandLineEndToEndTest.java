package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged jar driven as a separate process: configuration from POSTPONE_DATABASE_URL, migrate,
 * defer (single and bulk from stdin), list, show, cancel, retry; and bad inputs, each answered with
 * exactly one line on stderr and a non-zero exit code.
 */
@ExtendWith(PostgresExtension.class)
class CommandLineEndToEndTest {

    static Map<String, String> env;

    @BeforeAll
    static void migrate(TestDatabase db) throws Exception {
        env = Map.of("POSTPONE_DATABASE_URL", InProcessCli.urlWithUser(db));
        CliResult migrate = JarProcess.run(env, null, "schema", "migrate", "--phase", "all");
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
    }

    @Test
    void deferListShowCancelRetry() throws Exception {
        CliResult defer = JarProcess.run(env, null, "defer", "e2e-task", "{\"n\": 1}", "--queue", "e2e");
        assertThat(defer.exitCode()).as(defer.toString()).isZero();
        String id = defer.out().strip();

        CliResult list = JarProcess.run(env, null, "jobs", "list", "--queue", "e2e");
        assertThat(list.outLines()).hasSize(2);
        assertThat(list.outLines().get(1)).startsWith(id + " ").contains("e2e-task").contains("todo");

        assertThat(JarProcess.run(env, null, "jobs", "show", id).out()).contains("arguments:     {\"n\": 1}");
        assertThat(JarProcess.run(env, null, "jobs", "cancel", id).exitCode()).isZero();
        CliResult retry = JarProcess.run(env, null, "jobs", "retry", id);
        assertThat(retry.exitCode()).isZero();
        assertThat(retry.out()).contains("todo");
    }

    @Test
    void bulkDeferFromStdinPrintsOneIdPerJob() throws Exception {
        String ndjson = IntStream.range(0, 2500).mapToObj(i -> "{\"i\": " + i + "}").collect(Collectors.joining("\n"));
        CliResult bulk = JarProcess.run(env, ndjson, "defer", "bulk-task", "-", "--queue", "bulk");
        assertThat(bulk.exitCode()).as(bulk.toString()).isZero();
        assertThat(bulk.outLines()).hasSize(2500).doesNotHaveDuplicates();
        assertThat(bulk.err()).contains("deferred 2500 jobs");
        assertThat(JarProcess.run(env, null, "queues", "--json").out()).contains("\"queue\" : \"bulk\"").contains("\"jobs\" : 2500");
    }

    @Test
    void pauseAndResumeAQueue() throws Exception {
        CliResult pause = JarProcess.run(env, null, "queues", "pause", "paused-e2e");
        assertThat(pause.exitCode()).as(pause.toString()).isZero();
        assertThat(pause.out()).startsWith("queue paused-e2e paused since ").contains(" by ");
        assertThat(JarProcess.run(env, null, "defer", "t", "{}", "--queue", "paused-e2e").exitCode()).isZero();

        CliResult queues = JarProcess.run(env, null, "queues");
        assertThat(queues.outLines().getFirst()).contains("PAUSED");
        assertThat(queues.outLines()).anySatisfy(l -> assertThat(l).startsWith("paused-e2e").contains("since "));

        assertThat(JarProcess.run(env, null, "queues", "resume", "paused-e2e").out()).contains("queue paused-e2e resumed");
        assertThat(JarProcess.run(env, null, "queues", "resume", "paused-e2e").out()).contains("was not paused");
        assertThat(JarProcess.run(env, null, "queues").outLines())
                .anySatisfy(l -> assertThat(l).startsWith("paused-e2e").doesNotContain("since "));
    }

    @Test
    void badInputsGiveOneLineAndANonZeroExit() throws Exception {
        record Case(List<String> args, int exitCode, String message) {
        }
        List<Case> cases = List.of(
                new Case(List.of("defer", "t", "{\"a\":"), 2, "not valid JSON at line 1"),
                new Case(List.of("jobs", "list", "--no-such-option"), 2, "unknown option '--no-such-option'"),
                new Case(List.of("defer", "t", "{}", "--in", "soon"), 2, "not a duration: 'soon'"),
                new Case(List.of("--database-url", "jdbc:postgresql://127.0.0.1:1/postgres", "jobs", "list"), 3,
                        "cannot connect to 127.0.0.1:1: Connection refused; check --database-url or POSTPONE_DATABASE_URL"),
                new Case(List.of("--schema", "not_installed", "jobs", "list"), 4, "schema not_installed does not exist"),
                new Case(List.of("jobs", "show", "987654"), 5, "no job 987654"));
        for (Case c : cases) {
            CliResult r = JarProcess.run(env, null, c.args().toArray(String[]::new));
            assertThat(r.exitCode()).as("exit code of %s%n%s", c.args(), r).isEqualTo(c.exitCode());
            assertThat(r.errLines()).as("stderr of %s", c.args()).singleElement().asString()
                    .startsWith("postpone: ").contains(c.message());
        }
    }

    @Test
    void noDatabaseConfiguredSaysWhatToSet() throws Exception {
        CliResult r = JarProcess.run(Map.of(), null, "queues");
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.errLines()).singleElement().asString().contains("no database configured");
    }
}
