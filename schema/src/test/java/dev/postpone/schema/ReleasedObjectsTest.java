package dev.postpone.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a release created stays as it was after every later step: checked on the catalog, so a
 * {@code create or replace} of a released function is caught, and replacing a CHECK across pre and
 * post (the way to admit a new job status) is allowed.
 */
@ExtendWith(PostgresExtension.class)
class ReleasedObjectsTest {

    @Test
    void noBundledStepChangesWhatAnEarlierReleaseCreated(TestDatabase db) throws Exception {
        assertThat(ReleasedObjects.problems(db.dataSource(), SchemaName.of("bundled"), MigrationCatalog.bundled())).isEmpty();
    }

    @Test
    void aPreStepThatReplacesAReleasedFunctionIsNamed(TestDatabase db) throws Exception {
        MigrationCatalog catalog = Sql.bundledPlus("8.0.0/pre/010_faster_cancel.sql", """
                -- postpone:phase pre
                create or replace function cancel_job_v1(p_id bigint) returns text
                language sql set search_path from current
                as $$ update jobs set status = 'cancelled' where id = p_id returning status $$;
                """);

        assertThat(ReleasedObjects.problems(db.dataSource(), SchemaName.of("replaced"), catalog)).singleElement().asString()
                .startsWith("step 8.0.0/pre/010_faster_cancel changes function cancel_job_v1(p_id bigint), created by release 1.0.0");
    }

    @Test
    void aPreStepThatDropsAReleasedIndexIsNamedButAPostStepMayDropIt(TestDatabase db) throws Exception {
        MigrationCatalog inPre = Sql.bundledPlus("8.0.0/pre/010_drop.sql", "-- postpone:phase pre\ndrop index jobs_worker_v1;");
        assertThat(ReleasedObjects.problems(db.dataSource(), SchemaName.of("dropped_pre"), inPre)).singleElement().asString()
                .startsWith("pre step 8.0.0/pre/010_drop drops index jobs_worker_v1, created by release 1.0.0");

        MigrationCatalog inPost = Sql.bundledPlus("8.0.0/post/010_drop.sql", "-- postpone:phase post\ndrop index jobs_worker_v1;");
        assertThat(ReleasedObjects.problems(db.dataSource(), SchemaName.of("dropped_post"), inPost)).isEmpty();
    }

    @Test
    void replacingACheckToAdmitANewStatusAcrossPreAndPostIsAllowed(TestDatabase db) throws Exception {
        MigrationCatalog catalog = Sql.bundledPlus(
                "8.0.0/pre/010_status_check.sql", """
                        -- postpone:phase pre
                        alter table jobs add constraint jobs_status_check_v2
                            check (status in ('todo', 'doing', 'succeeded', 'failed', 'cancelled', 'aborted')) not valid;
                        """,
                "8.0.0/post/010_validate.sql", "-- postpone:phase post\nalter table jobs validate constraint jobs_status_check_v2;",
                "8.0.0/post/020_drop_old.sql", "-- postpone:phase post\nalter table jobs drop constraint jobs_status_check;");

        assertThat(ReleasedObjects.problems(db.dataSource(), SchemaName.of("status"), catalog)).isEmpty();
    }
}
