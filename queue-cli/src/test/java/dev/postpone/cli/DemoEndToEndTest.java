package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Task;
import dev.postpone.demo.DemoTasks;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code postpone demo} as a separate process: on a configured database, and on its own embedded PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class DemoEndToEndTest {

    /**
     * Mirrors the README's first command, {@code ./postpone demo}, word for word: the launcher, no arguments, and an
     * environment without POSTPONE_DATABASE_URL or PG* variables, so the demo starts an embedded PostgreSQL.
     */
    @Test
    void readmeCommandRunsTheDemoOnAnEmbeddedPostgres() throws Exception {
        CliResult demo = JarProcess.runLauncher(Map.of(), "demo");

        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        assertThat(demo.out()).contains("no database configured: starting an embedded PostgreSQL");
        assertFinishedWithSummary(demo);
    }

    @Test
    void runsTheDemoOnTheConfiguredDatabase(TestDatabase db) throws Exception {
        CliResult demo = JarProcess.run(Map.of("POSTPONE_DATABASE_URL", InProcessCli.urlWithUser(db)), null, "demo");

        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        assertThat(demo.out()).contains("(from POSTPONE_DATABASE_URL)");
        assertFinishedWithSummary(demo);
    }

    /** The summary table has a row for every demo task, and the closing line counts the one job meant to fail. */
    private static void assertFinishedWithSummary(CliResult demo) {
        List<String> taskNames = new DemoTasks().tasks().tasks().stream().map(Task::name).toList();
        assertThat(taskNames).hasSize(6);
        assertThat(demo.outLines()).as(demo.toString()).anySatisfy(l -> assertThat(l).matches("TASK +SUCCEEDED +FAILED +RETRIED"));
        for (String task : taskNames) {
            assertThat(demo.outLines()).as("summary row of %s in%n%s", task, demo).anySatisfy(l -> assertThat(l).matches(task + " +\\d+ +\\d+ +\\d+"));
        }
        assertThat(demo.out()).containsPattern(
                "all \\d+ jobs finished \\(\\d+ deferred \\+ \\d+ heartbeat ticks?\\) in [\\d.]+ s: \\d+ succeeded, 1 failed for good");
    }
}
