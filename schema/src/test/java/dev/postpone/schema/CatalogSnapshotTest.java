package dev.postpone.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A fresh install equals a step-by-step one, and verify finds drift without leaking its scratch schema. */
@ExtendWith(PostgresExtension.class)
class CatalogSnapshotTest {

    @Test
    void freshInstallAndStepByStepInstallHaveIdenticalCatalogs(TestDatabase db) throws Exception {
        Migrator.builder(db.dataSource()).schema("fresh").build().migrate();
        List<MigrationStep> steps = MigrationCatalog.bundled().steps();
        for (int i = 1; i <= steps.size(); i++) {
            MigrationResult result = Migrator.builder(db.dataSource()).schema("stepwise")
                    .catalog(MigrationCatalog.of(steps.subList(0, i))).build().migrate();
            assertThat(result.applied()).containsExactly(steps.get(i - 1));
        }

        try (Connection c = db.connect()) {
            CatalogSnapshot fresh = CatalogSnapshot.take(c, SchemaName.of("fresh"));
            CatalogSnapshot stepwise = CatalogSnapshot.take(c, SchemaName.of("stepwise"));

            assertThat(stepwise.differencesFrom(fresh)).isEmpty();
            assertThat(fresh.objects()).containsKeys("table jobs", "column jobs.queue", "constraint jobs.jobs_status_check",
                    "index jobs_lock_doing_v1", "function fetch_jobs_v2(p_fetch jsonb, p_now timestamp with time zone)",
                    "table schema_migrations");
            assertThat(fresh.objects().get("column jobs.queue")).isEqualTo("#2 text not null");
            assertThat(fresh.objects().get("table jobs")).contains("fillfactor=85");
            assertThat(fresh.objects().get("index jobs_lock_doing_v1")).isEqualTo("CREATE UNIQUE INDEX jobs_lock_doing_v1 ON"
                    + " @schema.jobs USING btree (lock) WHERE ((status = 'doing'::text) AND (lock IS NOT NULL))");
            assertThat(fresh.objects().get("function jobs_channel_v1()"))
                    .contains("SET search_path TO '@schema'").contains("'postpone_jobs_'").doesNotContain("fresh");
        }
    }

    @Test
    void verifyReportsDriftAndLeavesNoScratchSchema(TestDatabase db) throws Exception {
        Migrator migrator = Sql.migrator(db, "drift").build();
        migrator.migrate();
        assertThat(migrator.verify().ok()).isTrue();

        Sql.execute(db, "drop index drift.jobs_worker_v1; alter table drift.jobs add column extra int;"
                + " create or replace function drift.jobs_channel_v1() returns text language sql as $$ select 'x' $$");
        VerifyReport report = migrator.verify();

        assertThat(report.ok()).isFalse();
        assertThat(report.differences()).anySatisfy(d -> assertThat(d).startsWith("missing index jobs_worker_v1"))
                .anySatisfy(d -> assertThat(d).startsWith("unexpected column jobs.extra: #21 integer null"))
                .anySatisfy(d -> assertThat(d).startsWith("different function jobs_channel_v1()"))
                .hasSize(3)
                .noneSatisfy(d -> assertThat(d).contains("postpone_verify_"));
        assertThat(Sql.value(db, "select count(*) from pg_namespace where nspname like 'postpone_verify_%'")).isEqualTo(0L);
    }

    @Test
    void verifyOfAMissingSchemaSaysHowToInstallIt(TestDatabase db) {
        VerifyReport report = Sql.migrator(db, "absent").build().verify();

        assertThat(report.problems()).singleElement().asString()
                .matches("schema absent does not exist in database \"" + db.databaseName() + "\" on 127\\.0\\.0\\.1:\\d+; install it with"
                        + " postpone schema migrate --phase all --to 1\\.1\\.0 --schema absent");
    }
}
