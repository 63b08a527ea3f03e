package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.JobStatus;
import dev.postpone.schema.RoleName;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import dev.postpone.worker.PeriodicTask;
import dev.postpone.worker.Retention;
import dev.postpone.worker.Worker;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The least-privilege model end to end: the owner migrates and runs {@code schema grant}; a worker, a client
 * and the CLI then run as a role that may only execute the contract's functions, in a schema and under role
 * names that need quoting; the same role is refused on the tables; a read-only role lists but cannot cancel;
 * verify names a role that holds more.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(120)
class LeastPrivilegeEndToEndTest {

    private static final String SCHEMA = "My Queue";
    // Roles belong to the server, not to the test's database: unique names, dropped afterwards.
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final RoleName APP = RoleName.of("app \"worker\" " + SUFFIX);
    private static final RoleName DASHBOARD = RoleName.of("dash board " + SUFFIX);
    private static final RoleName WIDE = RoleName.of("Wide " + SUFFIX);

    record Mail(String to) {
    }

    @BeforeAll
    static void migrateAndGrant(TestDatabase db) throws Exception {
        for (RoleName role : new RoleName[] {APP, DASHBOARD, WIDE}) execute(db, "create role " + role.quoted() + " login");
        InProcessCli owner = new InProcessCli(db);
        CliResult migrate = owner.run("--schema", SCHEMA, "schema", "migrate", "--phase", "all");
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        for (int i = 0; i < 2; i++) {
            CliResult grant = owner.run("--schema", SCHEMA, "schema", "grant", "--role", APP.value());
            assertThat(grant.exitCode()).as("idempotent: " + grant).isZero();
            assertThat(grant.out()).contains("granted role " + APP.quoted() + " client access to schema \"My Queue\"");
        }
        CliResult readOnly = owner.run("--schema", SCHEMA, "schema", "grant", "--role", DASHBOARD.value(), "--read-only");
        assertThat(readOnly.exitCode()).as(readOnly.toString()).isZero();
    }

    @AfterAll
    static void dropRoles(TestDatabase db) throws Exception {
        for (RoleName role : new RoleName[] {APP, DASHBOARD, WIDE}) {
            execute(db, "drop owned by " + role.quoted());
            execute(db, "drop role " + role.quoted());
        }
    }

    @Test
    void workerClientAndCliRunAsARoleThatCannotTouchTheTables(TestDatabase db) throws Exception {
        TestDatabase app = db.as(APP.value());
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger ticks = new AtomicInteger();
        Task<Mail> mail = Task.named("mail", Mail.class).queue("outbox").action((context, args) -> sent.incrementAndGet());
        Task<Mail> tick = Task.named("tick", Mail.class).queue("outbox").action((context, args) -> ticks.incrementAndGet());
        try (Worker worker = Worker.builder(app.dataSource(), TaskSet.of(mail, tick)).schema(SCHEMA)
                .periodic(PeriodicTask.of(tick, "* * * * * *", new Mail("cron")))
                .retention(Retention.of(Duration.ofMillis(1), JobStatus.SUCCEEDED))
                .pollInterval(Duration.ofMillis(200)).start();
             Postpone client = Postpone.builder(app.dataSource()).schema(SCHEMA).tasks(TaskSet.of(mail, tick)).build()) {
            long id = client.defer(mail, new Mail("a@example.com"));
            Eventually.await("the job ran as the restricted role", Duration.ofSeconds(30), sent::get, n -> n == 1);
            // The worker's cleaner (retention 1 ms, also as the role) may have deleted it already.
            Eventually.await("its outcome written", Duration.ofSeconds(30), () -> client.jobs().get(id).map(j -> j.status()),
                    s -> s.isEmpty() || s.get() == JobStatus.SUCCEEDED);
            Eventually.await("a periodic tick was deferred and ran", Duration.ofSeconds(30), ticks::get, n -> n > 0);
            assertThat(client.jobs().workers()).as("the worker registered").isNotEmpty();

            InProcessCli cli = new InProcessCli(app);
            CliResult status = cli.run("--schema", SCHEMA, "schema", "status");
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.out()).as("the live worker, read through live_workers_v1").doesNotContain("live workers: none");
            CliResult defer = cli.run("--schema", SCHEMA, "defer", "mail", "{\"to\": \"b@example.com\"}", "--queue", "held", "--in", "1h");
            assertThat(defer.exitCode()).as(defer.toString()).isZero();
            String deferred = defer.outLines().getLast().strip();
            CliResult list = cli.run("--schema", SCHEMA, "jobs", "list", "--queue", "held");
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.out()).contains(deferred).contains("todo");
            CliResult cancel = cli.run("--schema", SCHEMA, "jobs", "cancel", deferred);
            assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
            assertThat(cancel.out()).contains("job " + deferred + " cancelled");
            CliResult pause = cli.run("--schema", SCHEMA, "queues", "pause", "outbox");
            assertThat(pause.exitCode()).as(pause.toString()).isZero();
            assertThat(cli.run("--schema", SCHEMA, "queues").exitCode()).isZero();
            assertThat(cli.run("--schema", SCHEMA, "queues", "resume", "outbox").exitCode()).isZero();
        }
        execute(app, "select \"My Queue\".delete_finished_jobs_v2('{\"older_than_ms\": 0, \"statuses\": [\"succeeded\"], \"batch_size\": 10}', null)");
        assertRefused(app, "select * from \"My Queue\".jobs");
        assertRefused(app, "update \"My Queue\".jobs set status = 'cancelled'");
        assertRefused(app, "select * from \"My Queue\".workers");
    }

    @Test
    void aReadOnlyRoleListsJobsButCannotCancelThem(TestDatabase db) throws Exception {
        CliResult defer = new InProcessCli(db.as(APP.value())).run("--schema", SCHEMA, "defer", "mail", "{}", "--queue", "later", "--in", "1h");
        assertThat(defer.exitCode()).as(defer.toString()).isZero();
        String id = defer.outLines().getLast().strip();

        InProcessCli dashboard = new InProcessCli(db.as(DASHBOARD.value()));
        CliResult list = dashboard.run("--schema", SCHEMA, "jobs", "list", "--queue", "later");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains(id);
        CliResult cancel = dashboard.run("--schema", SCHEMA, "jobs", "cancel", id);
        assertThat(cancel.exitCode()).as(cancel.toString()).isNotZero();
        assertThat(cancel.err()).contains("permission denied");
        assertThat(new InProcessCli(db).run("--schema", SCHEMA, "jobs", "list", "--queue", "later", "--status", "todo").out())
                .as("still waiting").contains(id);
    }

    @Test
    void verifyReportsARoleWithMoreThanTheGrant(TestDatabase db) throws Exception {
        InProcessCli owner = new InProcessCli(db);
        CliResult clean = owner.run("--schema", SCHEMA, "schema", "verify");
        assertThat(clean.exitCode()).as(clean.toString()).isZero();

        execute(db, "grant usage on schema \"My Queue\" to " + WIDE.quoted());
        execute(db, "grant select, update on \"My Queue\".jobs to " + WIDE.quoted());
        CliResult verify = owner.run("--schema", SCHEMA, "schema", "verify");
        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(ExitCode.SCHEMA_DIFFERS.code());
        assertThat(verify.out()).contains("privileges: role " + WIDE.quoted() + " has more than postpone schema grant gives: table jobs (SELECT, UPDATE)");
        execute(db, "revoke all on all tables in schema \"My Queue\" from " + WIDE.quoted());
    }

    private static void assertRefused(TestDatabase as, String sql) {
        assertThatThrownBy(() -> execute(as, sql)).as(sql).isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
    }

    private static void execute(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
