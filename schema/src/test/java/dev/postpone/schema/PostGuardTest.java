package dev.postpone.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Post waits for every kind of older participant: a registered client of an older version, and a
 * session of an application that never registers (1.0.0) whose last statement called a function
 * the post steps drop.
 */
@ExtendWith(PostgresExtension.class)
class PostGuardTest {

    @Test
    void anOlderRegisteredClientBlocksPostUntilItsRowGoesStale(TestDatabase db) throws Exception {
        MigrationCatalog catalog = Sql.bundledPlus("8.0.0/post/010_comment.sql", "-- postpone:phase post\ncomment on table jobs is 'x';");
        Migrator migrator = Sql.migrator(db, "clients_block").catalog(catalog).build();
        migrator.migrate(MigrationTarget.PRE, Release.parse("8.0.0"));
        Sql.execute(db, "select clients_block.record_client_v1('{\"id\": \"6f1c1a64-8a7e-4c43-9b8a-1d2f3e4a5b6c\", \"name\": \"shop-api\","
                + " \"host\": \"app-1\", \"pid\": 31, \"version\": \"1.1.0\", \"alive_window_ms\": 90000}', now())");

        assertThatThrownBy(() -> migrator.migrate(MigrationTarget.POST, Release.parse("8.0.0")))
                .isInstanceOf(PostBlockedException.class)
                .hasMessageContaining("1 client of release 1.1.0 alive")
                .hasMessageContaining("client 'shop-api' on app-1 pid 31 version 1.1.0");
        assertThat(migrator.status().liveClients()).extracting(LiveClient::name).containsExactly("shop-api");

        Sql.execute(db, "update clients_block.clients set last_seen = now() - interval '10 minutes'");
        assertThat(migrator.migrate(MigrationTarget.POST, Release.parse("8.0.0")).applied()).isNotEmpty();
    }

    /** One liveness rule: a worker the rescuer counts as dead (its liveness lock is free) does not block post either. */
    @Test
    void aWorkerWhoseLivenessLockIsFreeIsNotAliveForPostEither(TestDatabase db) throws Exception {
        MigrationCatalog catalog = Sql.bundledPlus("8.0.0/post/010_comment.sql", "-- postpone:phase post\ncomment on table jobs is 'x';");
        Migrator migrator = Sql.migrator(db, "lock_rule").catalog(catalog).build();
        migrator.migrate(MigrationTarget.PRE, Release.parse("8.0.0"));
        // Registered with a liveness lock that no session holds (its process was killed), heartbeat 5 s old:
        // within any heartbeat window, but dead by the rule the rescuer applies.
        Sql.execute(db, "select lock_rule.register_worker_v2('{\"name\": \"killed\", \"host\": \"h\", \"pid\": 1,"
                + " \"version\": \"1.1.0\", \"concurrency\": 1, \"stalled_after_ms\": 30000, \"liveness_lock\": true}',"
                + " now() - interval '5 seconds')");

        assertThat(migrator.status().liveWorkers()).isEmpty();
        assertThat(migrator.migrate(MigrationTarget.POST, Release.parse("8.0.0")).applied()).isNotEmpty();
    }

    @Test
    void aSessionThatLastCalledAFunctionPostDropsBlocksPost(TestDatabase db) throws Exception {
        Migrator migrator = Sql.migrator(db, "postpone").build();
        migrator.migrate(MigrationTarget.PRE, Release.current());
        assertThat(PostGuard.droppedFunctions(Release.current())).contains("heartbeat_worker_v1", "register_worker_v1")
                .as("what 1.1.0 stopped calling but post keeps: 1.0.0 applications still call it")
                .doesNotContain("defer_jobs_v1", "list_jobs_v1", "get_job_v1");
        try (Connection legacy = db.connect(); Statement st = legacy.createStatement()) {
            // What a 1.0.0 process leaves in pg_stat_activity: its last statement, on a connection it keeps.
            st.execute("set application_name = 'legacy-app'");
            st.execute("select postpone.heartbeat_worker_v1(42)");
            try (Connection elsewhere = db.connect(); Statement other = elsewhere.createStatement()) {
                // The same name in another schema is not a caller of this schema's functions.
                other.execute("create schema if not exists scratch;"
                        + " create or replace function scratch.rescue_stalled_jobs_v1(p interval) returns int language sql as $$ select 1 $$;"
                        + " select scratch.rescue_stalled_jobs_v1(interval '1 s')");
                assertThatThrownBy(() -> migrator.migrate(MigrationTarget.POST, Release.current()))
                        .hasMessageContaining("1 connection still calling").hasMessageNotContaining("rescue_stalled_jobs_v1");
            }

            assertThatThrownBy(() -> migrator.migrate(MigrationTarget.POST, Release.current()))
                    .isInstanceOf(PostBlockedException.class)
                    .hasMessageContaining("1 connection still calling functions of an older release")
                    .hasMessageContaining("('legacy-app')").hasMessageContaining("that last called heartbeat_worker_v1");
        }
        assertThat(migrator.migrate(MigrationTarget.POST, Release.current()).applied()).isNotEmpty();
    }

    @Test
    void theSessionsOfAListedOldWorkerAreNamedWithItNotCountedAsMoreBlockers(TestDatabase db) throws Exception {
        Migrator migrator = Sql.migrator(db, "postpone").build();
        migrator.migrate(MigrationTarget.PRE, Release.current());
        try (Connection worker = db.connect(); Statement st = worker.createStatement()) {
            // A 1.0.0 worker: registered, and its session last called a function post drops.
            st.execute("set application_name = 'postpone-worker'");
            st.execute("select postpone.register_worker_v1('billing-1', 'vm', 9913, '1.0.0', null, 10)");
            assertThatThrownBy(() -> migrator.migrate(MigrationTarget.POST, Release.current()))
                    .isInstanceOf(PostBlockedException.class)
                    .hasMessageContaining("1 worker of release 1.0.0 alive")
                    .hasMessageNotContaining("connection still calling")
                    .hasMessageContaining("their sessions (backend pids ");
        } finally {
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("delete from postpone.workers where name = 'billing-1'"); // the tests share the database
            }
        }
    }
}
