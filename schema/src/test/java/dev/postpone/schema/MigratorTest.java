package dev.postpone.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** migrate(): install, re-run, failures, retries, refusals. Each test uses its own schema of the class database. */
@ExtendWith(PostgresExtension.class)
class MigratorTest {

    private static final Release R801 = Release.parse("8.0.1");
    private static final String ADD_COLUMN = "8.0.1/pre/010_add_column.sql";

    private final CountDownLatch retried = new CountDownLatch(1);

    @Test
    void freshInstallAppliesEveryStepThenFindsNothingToDo(TestDatabase db) throws Exception {
        Migrator migrator = Migrator.builder(db.dataSource()).build();

        MigrationResult first = migrator.migrate();
        MigrationResult second = migrator.migrate();

        assertThat(first.applied()).extracting(MigrationStep::displayName)
                .startsWith("1.0.0/pre/010_tables", "1.0.0/pre/020_indexes", "1.0.0/pre/030_functions", "1.1.0/pre/010_clients")
                .hasSameSizeAs(MigrationCatalog.bundled().steps());
        assertThat(second.nothingToDo()).isTrue();
        assertThat(Sql.column(db, "select distinct state from postpone.schema_migrations")).containsExactly("applied");
    }

    @Test
    void checkSaysWhatToRunBeforeTheInstallAndPassesAfterIt(TestDatabase db) {
        Migrator migrator = Migrator.builder(db.dataSource()).schema("checked").build();

        SchemaCheck before = migrator.check();
        assertThat(before.ok()).isFalse();
        assertThat(before.message()).startsWith("schema checked does not exist");
        assertThat(before.fixCommand()).contains("postpone schema migrate --phase all --to " + Release.current() + " --schema checked");

        migrator.migrate();
        assertThat(migrator.check().ok()).isTrue();
    }

    @Test
    void stepWaitingForATableLockIsRetriedUntilTheBlockerCommits(TestDatabase db) throws Exception {
        Sql.migrator(db, "retry").build().migrate();
        Migrator migrator = Sql.migrator(db, "retry")
                .catalog(Sql.bundledPlus(ADD_COLUMN, "-- postpone:phase pre\nalter table jobs add column note text;"))
                .lockTimeout(Duration.ofMillis(100))
                .listener(new MigrationListener() {
                    @Override
                    public void stepRetrying(MigrationStep step, int attempt, String reason) {
                        retried.countDown();
                    }
                })
                .build();
        try (Connection blocker = db.connect()) {
            blocker.setAutoCommit(false);
            try (Statement st = blocker.createStatement()) {
                st.execute("lock table retry.jobs in access exclusive mode");
            }
            try (ExecutorService thread = Executors.newSingleThreadExecutor()) {
                Future<MigrationResult> run = thread.submit(() -> migrator.migrate(MigrationTarget.PRE, R801));
                assertThat(retried.await(30, TimeUnit.SECONDS)).as("the step hit the lock timeout and was retried").isTrue();
                blocker.commit();
                assertThat(run.get(60, TimeUnit.SECONDS).applied()).extracting(MigrationStep::displayName)
                        .containsExactly("8.0.1/pre/010_add_column");
            }
        }
        assertThat(Sql.value(db, "select count(*) from information_schema.columns where table_schema = 'retry' and column_name = 'note'"))
                .isEqualTo(1L);
    }

    @Test
    void failedTransactionalStepLeavesNoTraceAndARerunAfterTheFixFinishes(TestDatabase db) throws Exception {
        Migrator broken = Sql.migrator(db, "txfail").catalog(Sql.bundledPlus(ADD_COLUMN,
                "-- postpone:phase pre\ncreate table notes (id bigint);\nalter table jobs add column note no_such_type;")).build();

        assertThatThrownBy(() -> broken.migrate(MigrationTarget.PRE, R801))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("8.0.1/pre/010_add_column")
                .hasMessageContaining("no_such_type")
                .hasMessageContaining("nothing of it was applied");
        assertThat(Sql.value(db, "select count(*) from txfail.schema_migrations where release = '8.0.1'")).isEqualTo(0L);
        assertThat(Sql.value(db, "select to_regclass('txfail.notes')")).isNull();
        assertThat(Sql.value(db, "select count(*) from txfail.schema_migrations where state = 'applied'"))
                .isEqualTo((long) MigrationCatalog.bundled().steps().size());

        Migrator fixed = Sql.migrator(db, "txfail").catalog(Sql.bundledPlus(ADD_COLUMN,
                "-- postpone:phase pre\ncreate table notes (id bigint);\nalter table jobs add column note text;")).build();
        assertThat(fixed.migrate(MigrationTarget.PRE, R801).applied()).hasSize(1);
        assertThat(fixed.verify().ok()).isTrue();
    }

    @Test
    void failedConcurrentIndexIsRecordedFailedThenRebuiltByTheNextRun(TestDatabase db) throws Exception {
        String uniqueIndex = "-- postpone:phase pre\n-- postpone:transactional false\n"
                + "create unique index concurrently jobs_task_unique on jobs (task);";
        Migrator migrator = Sql.migrator(db, "cic").catalog(Sql.bundledPlus("8.0.1/pre/010_task_unique.sql", uniqueIndex)).build();
        migrator.migrate(MigrationTarget.PRE, Release.parse("1.0.0"));
        Sql.execute(db, "insert into cic.jobs (queue, task) values ('q', 'same'), ('q', 'same')");

        assertThatThrownBy(() -> migrator.migrate(MigrationTarget.PRE, R801))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("8.0.1/pre/010_task_unique")
                .hasMessageContaining("recorded as failed");
        assertThat(Sql.value(db, "select state from cic.schema_migrations where release = '8.0.1'")).isEqualTo("failed");
        assertThat(Sql.value(db, "select indisvalid from pg_index where indexrelid = 'cic.jobs_task_unique'::regclass")).isEqualTo(false);
        assertThat(migrator.verify().invalidIndexes()).singleElement().asString().contains("jobs_task_unique");
        assertThat(migrator.status().nextSafeAction()).startsWith("step 8.0.1/pre/010_task_unique failed")
                .endsWith("run: postpone schema migrate --phase pre --to 8.0.1 --schema cic");

        Sql.execute(db, "delete from cic.jobs where id = (select max(id) from cic.jobs)");
        assertThat(migrator.migrate(MigrationTarget.PRE, R801).applied()).hasSize(1);
        assertThat(Sql.value(db, "select indisvalid from pg_index where indexrelid = 'cic.jobs_task_unique'::regclass")).isEqualTo(true);
        assertThat(Sql.value(db, "select state from cic.schema_migrations where release = '8.0.1'")).isEqualTo("applied");
        assertThat(migrator.verify().ok()).isTrue();
    }

    @Test
    void aConcurrentIndexBuiltByARunStoppedBeforeItsLedgerRowIsRecordedAsApplied(TestDatabase db) throws Exception {
        String path = "8.0.1/pre/010_created_idx.sql";
        String sql = "-- postpone:phase pre\n-- postpone:transactional false\n"
                + "create index concurrently jobs_created_idx on jobs (created_at);";
        Migrator migrator = Sql.migrator(db, "cicstop").catalog(Sql.bundledPlus(path, sql)).build();
        migrator.migrate(MigrationTarget.ALL, Release.current());
        // What a migrator killed between the build and the ledger update leaves: the index, a 'running' row.
        Sql.execute(db, "create index jobs_created_idx on cicstop.jobs (created_at)");
        Sql.execute(db, "insert into cicstop.schema_migrations (release, phase, seq, name, checksum, state, transactional,"
                + " migrator_release) values ('8.0.1', 'pre', 10, 'created_idx', '" + MigrationStep.parse(path, sql).checksum()
                + "', 'running', false, '1.0.0')");

        assertThat(migrator.migrate(MigrationTarget.PRE, R801).applied()).hasSize(1);
        assertThat(Sql.value(db, "select state from cicstop.schema_migrations where release = '8.0.1'")).isEqualTo("applied");
        assertThat(migrator.verify().ok()).isTrue();
    }

    @Test
    void changedAppliedStepIsRefusedByName(TestDatabase db) throws Exception {
        Migrator migrator = Sql.migrator(db, "tamper").build();
        migrator.migrate();
        Sql.execute(db, "update tamper.schema_migrations set checksum = 'abc' where release = '1.0.0' and seq = 20");

        assertThatThrownBy(migrator::migrate)
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("1.0.0/pre/020_indexes was changed after it was applied");
        assertThat(migrator.plan(MigrationTarget.ALL, Release.parse("1.0.0")).problems())
                .singleElement().asString().contains("1.0.0/pre/020_indexes");
    }

    @Test
    void preStepsOfANewerReleaseAreFineButItsPostStepsAreNot(TestDatabase db) throws Exception {
        Migrator migrator = Sql.migrator(db, "newer").build();
        migrator.migrate();
        Sql.execute(db, "insert into newer.schema_migrations (release, phase, seq, name, checksum, state, transactional,"
                + " migrator_release) values ('9.0.0', 'pre', 10, 'future', 'x', 'applied', true, '9.0.0')");

        // The rolling upgrade to 9.0.0 is under way: this release's tools read it calmly.
        assertThat(migrator.migrate().nothingToDo()).isTrue();
        SchemaStatus status = migrator.status();
        assertThat(status.problems()).isEmpty();
        assertThat(status.nextSafeAction()).isEqualTo("up to date; steps of a newer release are applied (pre of 9.0.0): fine for"
                + " this release, use the newer release's CLI to go on");

        Sql.execute(db, "insert into newer.schema_migrations (release, phase, seq, name, checksum, state, transactional,"
                + " migrator_release) values ('9.0.0', 'post', 10, 'future_drop', 'x', 'applied', true, '9.0.0')");
        assertThatThrownBy(migrator::migrate).hasMessageContaining("9.0.0/post/010_future_drop").hasMessageContaining("newer release");
    }

    @Test
    void postStepsWaitForOlderWorkersUnlessForcedOrTheirHeartbeatIsStale(TestDatabase db) throws Exception {
        MigrationCatalog catalog = Sql.bundledPlus(ADD_COLUMN, "-- postpone:phase pre\nalter table jobs add column note text;",
                "8.0.1/post/010_comment.sql", "-- postpone:phase post\ncomment on column jobs.note is 'since 8.0.1';");
        Migrator migrator = Sql.migrator(db, "post").catalog(catalog).build();
        migrator.migrate(MigrationTarget.PRE, R801);
        Sql.execute(db, "insert into post.workers (name, host, pid, release) values ('old', 'host-a', 42, '1.0.0')");

        assertThatThrownBy(() -> migrator.migrate(MigrationTarget.POST, R801))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("refusing the post steps of 8.0.1")
                .hasMessageContaining("'old' on host-a pid 42 release 1.0.0")
                .hasMessageContaining("postpone workers --schema post");
        assertThat(migrator.status().nextSafeAction()).isEqualTo("post of 8.0.1 is pending; wait for 1 worker of release 1.0.0"
                + " to stop or upgrade (worker 1 'old' on host-a pid 42 release 1.0.0; postpone workers --schema post lists the"
                + " workers), then run: postpone schema migrate --phase post --to 8.0.1 --schema post");

        Sql.execute(db, "update post.workers set last_heartbeat = now() - interval '10 minutes'");
        assertThat(migrator.plan(MigrationTarget.POST, R801).runnable()).isTrue();
        Sql.execute(db, "update post.workers set last_heartbeat = now()");
        assertThat(migrator.migrate(MigrationTarget.POST, R801, true).applied()).extracting(MigrationStep::displayName)
                .containsExactly("8.0.1/post/010_comment");
        assertThat(migrator.status().nextSafeAction()).isEqualTo("up to date");
    }

    @Test
    void postIsRefusedWhileThePreStepsOfTheTargetAreNotApplied(TestDatabase db) throws Exception {
        Migrator migrator = Sql.migrator(db, "early").build();

        assertThatThrownBy(() -> migrator.migrate(MigrationTarget.POST, Release.parse("1.0.0")))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("the pre steps of 1.0.0 are not applied yet")
                .hasMessageContaining("postpone schema migrate --phase pre --to 1.0.0 --schema early");
        assertThat(Sql.value(db, "select count(*) from pg_namespace where nspname = 'early'"))
                .as("a refused migrate creates neither the schema nor its ledger").isEqualTo(0L);
    }

    @Test
    void releaseNewerThanTheCatalogIsRefused(TestDatabase db) {
        assertThatThrownBy(() -> Sql.migrator(db, "future").build().migrate(MigrationTarget.PRE, Release.parse("7.0.0")))
                .hasMessageContaining("release 7.0.0 is newer than this migrator knows");
    }
}
