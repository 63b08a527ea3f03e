package dev.postpone.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What plan and status tell an operator, and installs into schemas with unusual names. */
@ExtendWith(PostgresExtension.class)
class PlanAndStatusTest {

    private static final Release R100 = Release.parse("1.0.0");

    @Test
    void planListsThePendingStepsWithTheirSqlAndRunsNothing(TestDatabase db) throws Exception {
        Migrator migrator = Sql.migrator(db, "planned").build();

        MigrationPlan plan = migrator.plan(MigrationTarget.PRE, R100);

        assertThat(plan.runnable()).isTrue();
        assertThat(plan.steps()).extracting(PlannedStep::displayName)
                .containsExactly("1.0.0/pre/010_tables", "1.0.0/pre/020_indexes", "1.0.0/pre/030_functions");
        assertThat(plan.steps()).allSatisfy(s -> {
            assertThat(s.phase()).isEqualTo(Phase.PRE);
            assertThat(s.transactional()).isTrue();
        });
        assertThat(plan.steps().getFirst().sql()).contains("create table jobs");
        assertThat(Sql.value(db, "select count(*) from pg_namespace where nspname = 'planned'")).isEqualTo(0L);

        migrator.migrate(MigrationTarget.PRE, R100);
        assertThat(migrator.plan(MigrationTarget.PRE, R100).upToDate()).isTrue();
        assertThat(migrator.plan(MigrationTarget.POST, R100).upToDate()).as("1.0.0 has no post steps").isTrue();
    }

    @Test
    void statusSaysWhatToRunNextAndShowsTheWorkers(TestDatabase db) throws Exception {
        Migrator migrator = Sql.migrator(db, "postpone").build();

        SchemaStatus empty = migrator.status();
        assertThat(empty.nextSafeAction()).isEqualTo("fresh install; run: postpone schema migrate --phase all --to 1.1.0");
        assertThat(empty.steps()).extracting(StepStatus::state).containsOnly(StepState.PENDING);
        assertThat(empty.liveWorkers()).isEmpty();

        migrator.migrate(MigrationTarget.PRE, R100);
        assertThat(migrator.status().nextSafeAction()).isEqualTo("run: postpone schema migrate --phase pre --to 1.1.0");
        Sql.execute(db, "select postpone.register_worker_v1('w1', 'host-b', 7, '1.0.0', array['default'], 4)");
        assertThat(migrator.status().nextSafeAction()).as("a 1.0.0 worker is alive").startsWith("run: postpone schema migrate --phase pre --to 1.1.0");
        migrator.migrate(MigrationTarget.PRE, Release.current());
        assertThat(migrator.status().nextSafeAction()).startsWith("post of 1.1.0 is pending; wait for 1 worker of release 1.0.0");
        migrator.migrate(MigrationTarget.ALL, Release.current(), true);
        SchemaStatus done = migrator.status();

        assertThat(done.nextSafeAction()).isEqualTo("up to date");
        assertThat(done.byReleaseAndPhase()).containsKeys("1.0.0 pre", "1.1.0 pre");
        assertThat(done.steps()).allSatisfy(s -> {
            assertThat(s.state()).isEqualTo(StepState.APPLIED);
            assertThat(s.finishedAt()).isPresent();
        });
        assertThat(done.liveWorkers()).singleElement().satisfies(w -> {
            assertThat(w.name()).isEqualTo("w1");
            assertThat(w.host()).isEqualTo("host-b");
            assertThat(w.pid()).isEqualTo(7);
            assertThat(w.release()).isEqualTo("1.0.0");
            assertThat(w.lastHeartbeat()).isNotNull();
        });
        assertThat(done.lockHolder()).isEmpty();
    }

    @Test
    void installsIntoSchemasWithUnusualNamesAndTheFunctionsWorkFromAnySearchPath(TestDatabase db) throws Exception {
        for (String name : new String[] {"Tenant A", "jobs_x"}) {
            SchemaName schema = SchemaName.of(name);
            Migrator migrator = Migrator.builder(db.dataSource()).schema(schema).build();
            assertThat(migrator.migrate().applied()).hasSameSizeAs(MigrationCatalog.bundled().steps());
            assertThat(migrator.verify().ok()).isTrue();
            assertThat(migrator.status().nextSafeAction()).isEqualTo("up to date");
            try (Connection c = db.connect()) {
                try (Statement st = c.createStatement()) {
                    st.execute("set search_path to public");
                }
                long id;
                try (PreparedStatement ps = c.prepareStatement("select id from " + schema.quoted()
                        + ".defer_jobs_v1(array['q'], array['t'], null, null, null, null, null, null)");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                assertThat(Sql.column(c, "select id from " + schema.quoted() + ".fetch_jobs_v2('{\"worker_id\": 1, \"limit\": 10}', null)")).containsExactly(id);
                assertThat(Sql.column(c, "select " + schema.quoted() + ".jobs_channel_v1()")).containsExactly(Channels.jobs(schema));
            }
        }
        assertThat(Sql.migrator(db, "Tenant A").build().status().nextSafeAction()).isEqualTo("up to date");
        assertThat(Sql.migrator(db, "Tenant A").build().plan(MigrationTarget.PRE, Release.parse("1.0.0")).upToDate()).isTrue();
        assertThat(Commands.migrate(Phase.PRE, R100, SchemaName.of("Tenant A")))
                .isEqualTo("postpone schema migrate --phase pre --to 1.0.0 --schema 'Tenant A'");
    }
}
