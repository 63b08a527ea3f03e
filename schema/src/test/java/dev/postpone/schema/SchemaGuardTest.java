package dev.postpone.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract of 1.0.0 matches the migrated catalog, and the guard explains each way a schema can fail it. */
@ExtendWith(PostgresExtension.class)
class SchemaGuardTest {

    private static final Contract CONTRACT = Contract.load(Release.parse("1.0.0"));

    @Test
    void everyContractLineExistsExactlyAfterMigratingTo100(TestDatabase db) throws Exception {
        Sql.migrator(db, "postpone").build().migrate(MigrationTarget.PRE, Release.parse("1.0.0"));
        List<Object> catalog = Sql.column(db, "select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') -> '"
                + " || pg_get_function_result(p.oid) from pg_proc p where p.pronamespace = 'postpone'::regnamespace");

        assertThat(CONTRACT.functions()).hasSize(16);
        assertThat(catalog).containsAll(CONTRACT.functions());
        SchemaCheck check = SchemaGuard.check(db.dataSource(), SchemaName.DEFAULT, CONTRACT);
        assertThat(check.ok()).isTrue();
        assertThat(check.missingFunctions()).isEmpty();
    }

    @Test
    void theCurrentContractIsTheNewestReleasesAndExistsAfterItsPreSteps(TestDatabase db) throws Exception {
        Release newest = MigrationCatalog.bundled().latest();
        assertThat(Contract.current().release()).isEqualTo(newest).isEqualTo(Release.current());
        Sql.migrator(db, "newest").build().migrate(MigrationTarget.PRE, newest);

        assertThat(SchemaGuard.check(db.dataSource(), SchemaName.of("newest"), Contract.current()).ok()).isTrue();
        assertThat(SchemaGuard.check(db.dataSource(), SchemaName.of("newest"), CONTRACT).ok())
                .as("pre steps keep the previous release's contract").isTrue();
    }

    @Test
    void missingSchemaAndMissingLedgerNameTheInstallCommand(TestDatabase db) throws Exception {
        SchemaCheck none = SchemaGuard.check(db.dataSource(), SchemaName.of("nothing"), CONTRACT);
        assertThat(none.ok()).isFalse();
        assertThat(none.message()).matches("schema nothing does not exist in database \"" + db.databaseName() + "\" on 127\\.0\\.0\\.1:\\d+:"
                + " install it with postpone schema migrate --phase all --to 1\\.0\\.0 --schema nothing");
        assertThat(none.fixCommand()).hasValue("postpone schema migrate --phase all --to 1.0.0 --schema nothing");

        Sql.execute(db, "create schema bare");
        SchemaCheck bare = SchemaGuard.check(db.dataSource(), SchemaName.of("bare"), CONTRACT);
        assertThat(bare.message()).contains("has no Postpone migration ledger");
        assertThat(bare.fixCommand()).hasValue("postpone schema migrate --phase all --to 1.0.0 --schema bare");
    }

    @Test
    void tooOldSchemaNamesTheMissingFunctionsAndTheMigrateCommand(TestDatabase db) throws Exception {
        List<MigrationStep> tablesOnly = MigrationCatalog.bundled().steps().subList(0, 2);
        Migrator.builder(db.dataSource()).schema("old").catalog(MigrationCatalog.of(tablesOnly)).build().migrate();

        SchemaCheck check = SchemaGuard.check(db.dataSource(), SchemaName.of("old"), CONTRACT);

        assertThat(check.ok()).isFalse();
        assertThat(check.missingFunctions()).isEqualTo(CONTRACT.functions());
        assertThat(check.message()).isEqualTo("schema old is older than release 1.0.0 needs (16 functions missing, e.g."
                + " cancel_job_v1, complete_jobs_v1, defer_jobs_v1; postpone schema status --schema old shows the schema's state):"
                + " run postpone schema migrate --phase pre --to 1.0.0 --schema old");
        assertThat(check.fixCommand()).hasValue("postpone schema migrate --phase pre --to 1.0.0 --schema old");
    }

    @Test
    void functionDroppedByALaterPostStepTellsTheWorkerToUpgrade(TestDatabase db) throws Exception {
        MigrationCatalog catalog = Sql.releasedPlus(Release.parse("1.0.0"),
                "8.0.0/pre/010_cancel_v2.sql", "-- postpone:phase pre\ncreate function cancel_job_v2(p_id bigint) returns text"
                        + " language sql set search_path from current as $$ select status from jobs where id = p_id $$;",
                "8.0.0/post/010_drop_cancel_v1.sql", "-- postpone:phase post\ndrop function cancel_job_v1(bigint);");
        Migrator.builder(db.dataSource()).schema("newer").catalog(catalog).build().migrate(MigrationTarget.ALL, Release.parse("8.0.0"));

        SchemaCheck check = SchemaGuard.check(db.dataSource(), SchemaName.of("newer"), CONTRACT);

        assertThat(check.missingFunctions()).containsExactly("cancel_job_v1(p_id bigint) -> text");
        assertThat(check.message()).isEqualTo("schema newer is newer than release 1.0.0 supports: the post steps of 8.0.0 removed"
                + " missing cancel_job_v1(p_id bigint) -> text; upgrade this worker to release 8.0.0 or newer");
        assertThat(check.fixCommand()).hasValue("upgrade this worker to release 8.0.0 or newer");
    }

    @Test
    void functionDroppedOrChangedByHandIsNamedWithVerifyAsTheNextStep(TestDatabase db) throws Exception {
        Sql.migrator(db, "hand").build().migrate(MigrationTarget.PRE, Release.current());
        Sql.execute(db, "drop function hand.heartbeat_worker_v1(bigint);"
                + " drop function hand.cancel_job_v1(bigint);"
                + " create function hand.cancel_job_v1(p_id integer) returns text language sql as $$ select null::text $$");

        SchemaCheck check = SchemaGuard.check(db.dataSource(), SchemaName.of("hand"), CONTRACT);

        assertThat(check.ok()).isFalse();
        assertThat(check.missingFunctions()).containsExactly("cancel_job_v1(p_id bigint) -> text",
                "heartbeat_worker_v1(p_worker_id bigint) -> boolean");
        assertThat(check.message()).isEqualTo("schema hand has the steps of release " + CONTRACT.release() + " applied but its"
                + " functions differ (different cancel_job_v1(p_id bigint) -> text (the catalog has cancel_job_v1(p_id integer) -> text);"
                + " missing heartbeat_worker_v1(p_worker_id bigint) -> boolean): it was changed by hand;"
                + " see postpone schema verify --schema hand, then restore the functions");
        assertThat(check.fixCommand()).hasValue("postpone schema verify --schema hand");
    }
}
