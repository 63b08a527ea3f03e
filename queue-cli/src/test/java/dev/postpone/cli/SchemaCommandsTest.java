package dev.postpone.cli;

import dev.postpone.schema.MigrationCatalog;
import dev.postpone.schema.Phase;
import dev.postpone.schema.Release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** The schema commands as a deploy script uses them: plan's exit codes, migrate in phases, status, verify, print. */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchemaCommandsTest {

    private static final int STEPS = (int) MigrationCatalog.bundled().steps().stream().filter(s -> s.phase() == Phase.PRE).count();

    @Test
    @Order(1)
    void freshDatabasePlansThePreSteps(TestDatabase db) {
        InProcessCli cli = new InProcessCli(db);
        CliResult plan = cli.run("schema", "plan", "--phase", "pre");
        assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(ExitCode.PENDING.code());
        assertThat(plan.out()).contains(STEPS + " steps pending").contains("1.0.0/pre/010_tables").contains("1.1.0/pre/010_clients");

        CliResult withSql = cli.run("schema", "plan", "--sql");
        assertThat(withSql.out()).contains("create table jobs");

        CliResult status = cli.run("schema", "status");
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).contains("pending").contains("next: fresh install; run: postpone schema migrate --phase all --to " + Release.current());
    }

    @Test
    @Order(2)
    void migrateThenNothingPendingAndVerifyMatches(TestDatabase db) {
        InProcessCli cli = new InProcessCli(db);
        assertThat(cli.run("schema", "migrate", "--phase", "pre").exitCode()).isZero();
        CliResult post = cli.run("schema", "plan", "--phase", "post");
        assertThat(post.exitCode()).as("the post steps wait").isEqualTo(ExitCode.PENDING.code());
        assertThat(Json.parse(cli.run("schema", "status", "--json").out()).get("nextSafeAction").asText())
                .isEqualTo("run: postpone schema migrate --phase post --to " + Release.current());
        assertThat(cli.run("schema", "migrate", "--phase", "post").exitCode()).isZero();
        CliResult plan = cli.run("schema", "plan", "--json");
        assertThat(plan.exitCode()).isZero();
        JsonNode json = Json.parse(plan.out());
        assertThat(json.get("release").asText()).isEqualTo(Release.current().toString());
        assertThat(json.get("steps").size()).isZero();

        JsonNode status = Json.parse(cli.run("schema", "status", "--json").out());
        assertThat(status.get("schema").asText()).isEqualTo("postpone");
        assertThat(status.get("nextSafeAction").asText()).isEqualTo("up to date");

        CliResult verify = cli.run("schema", "verify");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("matches");
    }

    @Test
    @Order(3)
    void verifyFindsAHandMadeChange(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("alter table postpone.jobs add column surprise text");
        }
        CliResult verify = new InProcessCli(db).run("schema", "verify");
        assertThat(verify.exitCode()).isEqualTo(ExitCode.SCHEMA_DIFFERS.code());
        assertThat(verify.out()).contains("surprise");
    }

    @Test
    @Order(4)
    void printIsCompleteSqlWithLedgerRows() {
        CliResult print = InProcessCli.runRaw("schema", "print", "--schema", "app_jobs");
        assertThat(print.exitCode()).isZero();
        assertThat(print.out()).contains("create schema if not exists app_jobs;")
                .contains("create table if not exists schema_migrations")
                .contains("-- step 1.0.0/pre/030_functions")
                .contains("insert into app_jobs.schema_migrations");
    }

    @Test
    @Order(5)
    void printedSqlInstallsASchemaTheMigratorAccepts(TestDatabase db) throws Exception {
        String sql = InProcessCli.runRaw("schema", "print", "--schema", "by_hand").out();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            // As psql runs it: a step marked "not in a transaction" (CREATE INDEX CONCURRENTLY) is its own
            // statement, outside any transaction block (which one multi-statement JDBC call would open).
            for (String chunk : sql.split("(?m)^(?=-- step )")) {
                if (chunk.lines().findFirst().orElse("").endsWith("(not in a transaction)")) {
                    for (String statement : chunk.split(";\\s*\\n")) {
                        if (!statement.strip().lines().allMatch(l -> l.isBlank() || l.startsWith("--"))) st.execute(statement);
                    }
                } else {
                    st.execute(chunk);
                }
            }
            st.execute("reset search_path");
        }
        CliResult plan = new InProcessCli(db).run("--schema", "by_hand", "schema", "plan");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(new InProcessCli(db).run("--schema", "by_hand", "healthcheck").exitCode()).isZero();
    }
}
