package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code jobs cancel / retry / delete} over several ids and filters, through the real jar: filters print a
 * count and ask; no answer (no terminal, empty stdin) refuses with exit 7 and changes nothing; --yes or a
 * 'y' on stdin goes ahead; a status the command does not apply to is refused naming --status.
 */
@ExtendWith(PostgresExtension.class)
class BulkJobsEndToEndTest {

    static Map<String, String> env;

    @BeforeAll
    static void migrate(TestDatabase db) throws Exception {
        env = Map.of("POSTPONE_DATABASE_URL", InProcessCli.urlWithUser(db));
        CliResult migrate = JarProcess.run(env, null, "schema", "migrate", "--phase", "all");
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
    }

    private static List<String> defer(String task, String queue, int n) throws Exception {
        String ndjson = IntStream.range(0, n).mapToObj(i -> "{\"i\": " + i + "}").collect(Collectors.joining("\n"));
        CliResult r = JarProcess.run(env, ndjson, "defer", task, "-", "--queue", queue);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.outLines();
    }

    private static List<String> statuses(String queue) throws Exception {
        CliResult list = JarProcess.run(env, null, "jobs", "list", "--queue", queue, "--json", "--limit", "1000");
        return StreamSupport.stream(Json.parse(list.out()).spliterator(), false).map(j -> j.path("status").asText()).toList();
    }

    @Test
    void cancelByFilterAsksAndRefusesWithoutAnAnswer() throws Exception {
        defer("newsletter", "bulk-mail", 3);
        defer("receipt", "bulk-mail", 2);

        CliResult noAnswer = JarProcess.run(env, null, "jobs", "cancel", "--queue", "bulk-mail", "--task", "newsletter");
        assertThat(noAnswer.exitCode()).as(noAnswer.toString()).isEqualTo(ExitCode.NOT_CONFIRMED.code());
        assertThat(noAnswer.err()).contains("cancel 3 jobs (queue bulk-mail, task newsletter, status todo,doing)? [y/N]");
        assertThat(noAnswer.errLines().getLast()).isEqualTo("postpone: no answer on stdin; nothing cancelled"
                + " (3 jobs match; pass --yes to cancel them without asking)");
        assertThat(statuses("bulk-mail")).as("a refused command changes nothing").containsOnly("todo");

        CliResult no = JarProcess.run(env, "n\n", "jobs", "cancel", "--queue", "bulk-mail", "--task", "newsletter");
        assertThat(no.exitCode()).isEqualTo(ExitCode.NOT_CONFIRMED.code());
        assertThat(statuses("bulk-mail")).containsOnly("todo");

        CliResult yes = JarProcess.run(env, "y\n", "jobs", "cancel", "--queue", "bulk-mail", "--task", "newsletter");
        assertThat(yes.exitCode()).as(yes.toString()).isZero();
        assertThat(yes.out()).contains("cancelled 3 jobs");
        assertThat(statuses("bulk-mail")).containsExactlyInAnyOrder("cancelled", "cancelled", "cancelled", "todo", "todo");
    }

    @Test
    void severalIdsNeedNoQuestionAndRetryTakesFiltersWithYes() throws Exception {
        List<String> ids = defer("invoice", "bulk-ids", 3);
        CliResult cancel = JarProcess.run(env, null, "jobs", "cancel", ids.get(0), ids.get(1), "987654321");
        assertThat(cancel.exitCode()).as(cancel.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(cancel.outLines()).containsExactly("job " + ids.get(0) + " cancelled", "job " + ids.get(1) + " cancelled");
        assertThat(cancel.errLines()).singleElement().asString().contains("no job 987654321");

        CliResult retry = JarProcess.run(env, null, "jobs", "retry", "--queue", "bulk-ids", "--yes", "--json");
        assertThat(retry.exitCode()).as(retry.toString()).isZero();
        JsonNode result = Json.parse(retry.out());
        assertThat(result.path("changed").asInt()).isEqualTo(2);
        assertThat(statuses("bulk-ids")).containsOnly("todo");
    }

    @Test
    void deleteWaitingJobsInBulkAndRefuseStatusesTheCommandDoesNotApplyTo() throws Exception {
        defer("cleanup", "bulk-delete", 4);
        CliResult refused = JarProcess.run(env, null, "jobs", "cancel", "--queue", "bulk-delete", "--status", "succeeded", "--yes");
        assertThat(refused.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(refused.errLines()).singleElement().asString()
                .isEqualTo("postpone: --status: cannot cancel succeeded jobs; cancel applies to todo, doing jobs");

        CliResult nothing = JarProcess.run(env, null, "jobs", "delete", "--yes");
        assertThat(nothing.exitCode()).as("no selection, no change").isEqualTo(ExitCode.USAGE.code());
        assertThat(nothing.errLines()).singleElement().asString().contains("name job ids, or select jobs with --queue, --task or --status");

        CliResult deleted = JarProcess.run(env, null, "jobs", "delete", "--queue", "bulk-delete", "--status", "todo", "--yes");
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(deleted.out()).contains("deleted 4 jobs");
        assertThat(statuses("bulk-delete")).isEmpty();
    }
}
