package dev.postpone.cli;

import dev.postpone.schema.MigrationCatalog;
import dev.postpone.schema.Release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin commands in-process against a real database: what an operator sees in tables and what a
 * script gets with --json, and the exit codes both rely on.
 */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliCommandsTest {

    static InProcessCli cli;

    @BeforeAll
    static void migrate(TestDatabase db) {
        cli = new InProcessCli(db);
        CliResult migrate = cli.run("schema", "migrate", "--phase", "all");
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        int steps = MigrationCatalog.bundled().steps().size();
        assertThat(migrate.out()).contains("applied " + steps + " steps; schema postpone is now at " + Release.current() + " (all phases)");
        assertThat(migrate.err()).contains("[1/" + steps + "] 1.0.0/pre/010_tables").contains("done in");
    }

    @Test
    @Order(1)
    void migrateAgainHasNothingToDo() {
        CliResult again = cli.run("schema", "migrate", "--phase", "all");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("schema postpone: nothing pending up to " + Release.current() + " (all phases)");
    }

    @Test
    @Order(2)
    void deferPrintsTheIdAndJobsShowsIt() {
        CliResult defer = cli.run("defer", "send-report", "{\"day\": \"2030-01-01\"}", "--queue", "reports",
                "--priority", "7", "--lock", "reports", "--in", "1h", "--max-attempts", "3");
        assertThat(defer.exitCode()).as(defer.toString()).isZero();
        long id = Long.parseLong(defer.out().strip());

        CliResult show = cli.run("jobs", "show", Long.toString(id));
        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).contains("task:          send-report").contains("queue:         reports")
                .contains("priority:      7").contains("attempts:      0 of 3").contains("lock:          reports")
                .contains("\"day\"");

        JsonNode json = Json.parse(cli.run("jobs", "show", Long.toString(id), "--json").out());
        assertThat(json.get("id").asLong()).isEqualTo(id);
        assertThat(json.get("status").asText()).isEqualTo("todo");
        assertThat(json.get("args").get("day").asText()).as("args embedded as JSON, not as a string").isEqualTo("2030-01-01");
        assertThat(json.get("scheduledAt").asText()).endsWith("Z");
    }

    @Test
    @Order(3)
    void listFiltersAndAligns() {
        cli.run("defer", "other-task", "{}", "--queue", "misc");
        CliResult list = cli.run("jobs", "list", "--queue", "reports");
        assertThat(list.exitCode()).isZero();
        assertThat(list.outLines()).hasSize(2);
        assertThat(list.outLines().get(0)).startsWith("ID  QUEUE    TASK");
        assertThat(list.outLines().get(1).indexOf("send-report")).isEqualTo(list.outLines().get(0).indexOf("TASK"));

        JsonNode all = Json.parse(cli.run("jobs", "list", "--json", "--status", "todo").out());
        assertThat(all.size()).isEqualTo(2);
    }

    @Test
    @Order(4)
    void cancelThenRetry() {
        long id = Long.parseLong(cli.run("defer", "to-cancel", "{}").out().strip());
        assertThat(cli.run("jobs", "cancel", Long.toString(id)).out()).contains("job " + id + " cancelled");
        assertThat(cli.run("jobs", "cancel", Long.toString(id)).out()).contains("already cancelled");
        assertThat(Json.parse(cli.run("jobs", "show", Long.toString(id), "--json").out()).get("status").asText()).isEqualTo("cancelled");

        CliResult retry = cli.run("jobs", "retry", Long.toString(id));
        assertThat(retry.exitCode()).isZero();
        assertThat(Json.parse(cli.run("jobs", "show", Long.toString(id), "--json").out()).get("status").asText()).isEqualTo("todo");

        CliResult retryTodo = cli.run("jobs", "retry", "999999");
        assertThat(retryTodo.exitCode()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(retryTodo.errLines()).containsExactly("postpone: no job 999999 in schema postpone");
    }

    @Test
    @Order(5)
    void queueingLockTakenIsAConflict() {
        assertThat(cli.run("defer", "nightly", "{}", "--queueing-lock", "nightly").exitCode()).isZero();
        CliResult second = cli.run("defer", "nightly", "{}", "--queueing-lock", "nightly");
        assertThat(second.exitCode()).isEqualTo(ExitCode.CONFLICT.code());
        assertThat(second.errLines()).singleElement().asString().contains("queueing lock 'nightly' is taken");
    }

    @Test
    @Order(6)
    void queuesCountsPerQueueAndStatus() {
        CliResult queues = cli.run("queues");
        assertThat(queues.exitCode()).isZero();
        assertThat(queues.outLines().getFirst()).isEqualTo("QUEUE    TODO  DOING  SUCCEEDED  FAILED  CANCELLED  PAUSED");
        assertThat(queues.out()).contains("reports  1     0      0          0       0          -");
        JsonNode json = Json.parse(cli.run("queues", "--json").out());
        assertThat(json.isArray()).isTrue();
    }

    @Test
    @Order(7)
    void deleteOnlyTouchesFinishedJobs() {
        CliResult refused = cli.run("jobs", "delete", "--older-than", "0s", "--status", "todo");
        assertThat(refused.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(refused.errLines()).singleElement().asString().contains("not a finished status");

        CliResult deleted = cli.run("jobs", "delete", "--older-than", "7d", "--json");
        assertThat(deleted.exitCode()).isZero();
        assertThat(Json.parse(deleted.out()).get("deleted").asLong()).isZero();
    }

    @Test
    @Order(7)
    void retentionByAgeDeletesWithoutAsking() {
        long id = Long.parseLong(cli.run("defer", "to-expire", "{}", "--queue", "retention").out().strip());
        assertThat(cli.run("jobs", "cancel", Long.toString(id)).exitCode()).isZero();

        CliResult deleted = cli.run("jobs", "delete", "--older-than", "0s", "--status", "cancelled");
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(deleted.err()).as("no question, as its help says: it is meant for cron").isEmpty();
        assertThat(deleted.out().strip()).isEqualTo("deleted 1 job");
        assertThat(cli.run("jobs", "show", Long.toString(id)).exitCode()).isEqualTo(ExitCode.NOT_FOUND.code());

        String help = cli.run("jobs", "delete", "--help").out().replaceAll("\\s+", " ");
        assertThat(help).contains("With filters it prints how many jobs match and asks first")
                .contains("With --older-than (retention, e.g. from cron): delete the jobs that finished more than that long ago,"
                        + " in small batches, without asking.");
    }

    @Test
    @Order(8)
    void workersAndHealthcheck() {
        CliResult workers = cli.run("workers");
        assertThat(workers.exitCode()).isZero();
        assertThat(workers.out()).contains("no workers registered");
        CliResult health = cli.run("healthcheck");
        assertThat(health.exitCode()).isZero();
        assertThat(health.out()).startsWith("ok: ").contains("serves release");
    }

    @Test
    @Order(9)
    void optionsMayStandBeforeOrAfterTheCommand() {
        CliResult after = InProcessCli.runRaw("jobs", "list", "--database-url", cli.databaseUrl(), "--limit", "1");
        assertThat(after.exitCode()).as(after.toString()).isZero();
        assertThat(after.outLines()).hasSize(2);
    }

    @Test
    @Order(10)
    void otherSchemaIsNotInstalled() {
        CliResult missing = cli.run("--schema", "elsewhere", "jobs", "list");
        assertThat(missing.exitCode()).isEqualTo(ExitCode.SCHEMA_NOT_READY.code());
        assertThat(missing.errLines()).singleElement().asString()
                .contains("schema elsewhere does not exist").contains("--schema elsewhere");
    }
}
