package dev.postpone.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;

/**
 * Release 1.1.0's error codes and counts: defer_jobs_v2 refuses a taken queueing lock with SQLSTATE
 * PP001 and the value in a DETAIL it writes itself (so under any lc_messages); fetch_jobs_v2 survives a
 * lost race on jobs_lock_doing_v1; queue_counts_v2 counts waiting and running jobs exactly and says
 * when finished ones are estimated.
 */
@ExtendWith(PostgresExtension.class)
class ErrorCodesAndCountsTest {

    private TestDatabase db;

    @BeforeEach
    void migrate(TestDatabase db) throws SQLException {
        this.db = db;
        Migrator.builder(db.dataSource()).build().migrate(MigrationTarget.PRE, Release.parse("1.1.0"));
        Sql.execute(db, "truncate postpone.jobs; delete from postpone.queue_pauses");
    }

    @Test
    void deferJobsV2InsertsInInputOrderWithDefaults() throws SQLException {
        List<Object> ids = Sql.column(db, "select id from postpone.defer_jobs_v2(?::jsonb, null)",
                "[{\"queue\": \"b\", \"task\": \"t1\", \"args\": {\"n\": 1}, \"priority\": 5, \"lock\": \"L\","
                        + " \"max_attempts\": 3, \"scheduled_at\": \"2030-01-01T00:00:00Z\", \"future_key\": 1},"
                        + " {\"queue\": \"a\", \"task\": \"t2\"}, {\"queue\": \"c\", \"task\": \"t3\", \"queueing_lock\": \"once\"}]");
        assertThat(ids).hasSize(3).isSorted();
        assertThat(Sql.column(db, "select queue || ' ' || task || ' ' || args::text || ' ' || priority || ' ' || coalesce(lock, '-')"
                + " || ' ' || coalesce(queueing_lock, '-') || ' ' || max_attempts || ' ' || (scheduled_at <= now())"
                + " from postpone.jobs order by id")).containsExactly(
                "b t1 {\"n\": 1} 5 L - 3 false", "a t2 {} 0 - - 1 true", "c t3 {} 0 - once 1 true");
    }

    @Test
    void aTakenQueueingLockIsPP001WithTheValueInTheDetail() throws SQLException {
        Sql.execute(db, "select postpone.defer_jobs_v2('[{\"queue\": \"q\", \"task\": \"t\", \"queueing_lock\": \"nightly\"}]', null)");

        PSQLException taken = deferError("[{\"queue\": \"q\", \"task\": \"t\"}, {\"queue\": \"q\", \"task\": \"t\", \"queueing_lock\": \"nightly\"}]");
        assertThat(taken.getSQLState()).isEqualTo("PP001");
        assertThat(taken.getServerErrorMessage().getDetail()).isEqualTo("{\"job\": 2, \"queueing_lock\": \"nightly\"}");
        assertThat(taken.getServerErrorMessage().getConstraint()).isEqualTo("jobs_queueing_lock_v1");
        // The same value twice in one batch is refused the same way; nothing of either batch was inserted.
        PSQLException twice = deferError("[{\"queue\": \"q\", \"task\": \"t\", \"queueing_lock\": \"x\"}, {\"queue\": \"q\", \"task\": \"t\", \"queueing_lock\": \"x\"}]");
        assertThat(twice.getSQLState()).isEqualTo("PP001");
        assertThat(twice.getServerErrorMessage().getDetail()).isEqualTo("{\"job\": 2, \"queueing_lock\": \"x\"}");
        assertThat(Sql.value(db, "select count(*) from postpone.jobs")).isEqualTo(1L);
    }

    /**
     * Under German server messages the unique violation's text is translated (what 1.0's client parsed),
     * while defer_jobs_v2's code and DETAIL stay the same. Fails, never skips, without the de_DE.UTF-8
     * locale on the database server's machine (.ci/run generates it).
     */
    @Test
    void theCodeAndDetailDoNotDependOnLcMessages() throws SQLException {
        Sql.execute(db, "select postpone.defer_jobs_v2('[{\"queue\": \"q\", \"task\": \"t\", \"queueing_lock\": \"täglich\"}]', null)");
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("set lc_messages = 'de_DE.UTF-8'");
            assertThatThrownBy(() -> st.execute("insert into postpone.jobs (queue, task, queueing_lock) values ('q', 't', 'täglich')"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getServerErrorMessage().getDetail())
                            .contains("existiert bereits").doesNotContain("already exists"));
            try (PreparedStatement ps = c.prepareStatement("select id from postpone.defer_jobs_v2(?::jsonb, null)")) {
                ps.setString(1, "[{\"queue\": \"q\", \"task\": \"t\", \"queueing_lock\": \"täglich\"}]");
                assertThatThrownBy(ps::executeQuery).isInstanceOfSatisfying(PSQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("PP001");
                    assertThat(e.getServerErrorMessage().getDetail()).isEqualTo("{\"job\": 1, \"queueing_lock\": \"täglich\"}");
                });
            }
        }
    }

    /**
     * A 1.0.0 worker's fetch claims a job of lock L (its own transaction, not yet committed) while a
     * 1.1.0 fetch, which cannot see that claim, takes L's head: jobs_lock_doing_v1 refuses the second
     * claim when the first commits. fetch_jobs_v2 catches it: it returns the jobs without a lock it
     * chose, the head stays waiting, and no error reaches the worker.
     */
    @Test
    void aLostLockRaceClaimsTheJobsWithoutALock() throws Exception {
        long head = (Long) Sql.value(db, "select id from postpone.defer_jobs_v2('[{\"queue\": \"q\", \"task\": \"t\", \"lock\": \"L\"}]', null)");
        long free = (Long) Sql.value(db, "select id from postpone.defer_jobs_v2('[{\"queue\": \"q\", \"task\": \"t\"}]', null)");
        try (Connection old = db.connect(); Connection fresh = db.connect()) {
            old.setAutoCommit(false);
            long urgent = (Long) Sql.column(old, "select id from postpone.defer_jobs_v1(array['q'], array['t'], null, array[10], null,"
                    + " array['L'], null, null)").getFirst();
            assertThat(Sql.column(old, "select id from postpone.fetch_jobs_v1(1, null, 1)")).containsExactly(urgent);

            int freshPid = (Integer) Sql.column(fresh, "select pg_backend_pid()").getFirst();
            CompletableFuture<List<Long>> fetched = CompletableFuture.supplyAsync(() -> {
                try (PreparedStatement ps = fresh.prepareStatement(
                        "select id from postpone.fetch_jobs_v2('{\"worker_id\": 2, \"limit\": 10}', null)")) {
                    List<Long> ids = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) ids.add(rs.getLong(1));
                    }
                    return ids;
                } catch (SQLException e) {
                    throw new RuntimeException(e);
                }
            });
            // The 1.1.0 fetch waits on the uncommitted doing row of lock L in jobs_lock_doing_v1.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!"Lock".equals(Sql.value(db, "select wait_event_type from pg_stat_activity where pid = ?", freshPid))) {
                assertThat(System.nanoTime()).as("the 1.1.0 fetch waits for the 1.0.0 claim").isLessThan(deadline);
                assertThat(fetched).isNotDone();
                Thread.sleep(20);
            }
            old.commit();
            assertThat(fetched.get(30, TimeUnit.SECONDS)).containsExactly(free);
        }
        assertThat(Sql.value(db, "select status from postpone.jobs where id = ?", head)).isEqualTo("todo");
        assertThat(Sql.value(db, "select worker_id from postpone.jobs where id = ?", free)).isEqualTo(2L);
    }

    @Test
    void queueCountsAreExactForWaitingAndRunningAndFlagEstimates() throws SQLException {
        Sql.execute(db, "insert into postpone.jobs (queue, task, status, worker_id) select 'q' || (i % 2), 't',"
                + " case when i <= 5 then 'todo' when i <= 7 then 'doing' when i <= 10 then 'succeeded' else 'failed' end,"
                + " case when i in (6, 7) then 1 end from generate_series(1, 11) i");
        List<Object> all = Sql.column(db, "select queue || ' ' || status || ' ' || jobs || ' ' || estimated"
                + " from postpone.queue_counts_v2('{}', null)");
        assertThat(all).containsExactly("q0 doing 1 false", "q0 succeeded 2 false", "q0 todo 2 false",
                "q1 doing 1 false", "q1 failed 1 false", "q1 succeeded 1 false", "q1 todo 3 false");
        assertThat(Sql.column(db, "select queue || ' ' || status || ' ' || jobs from postpone.queue_counts_v2('{\"statuses\": [\"todo\"]}', null)"))
                .containsExactly("q0 todo 2", "q1 todo 3");
        // Past "exact_pages" finished jobs are estimated from a sample; a sample of every page counts them all.
        assertThat(Sql.column(db, "select queue || ' ' || status || ' ' || jobs || ' ' || estimated from postpone.queue_counts_v2("
                + "'{\"exact_pages\": 0, \"sample_pages\": 1000000}', null)")).containsExactly("q0 doing 1 false",
                "q0 succeeded 2 true", "q0 todo 2 false", "q1 doing 1 false", "q1 failed 1 true", "q1 succeeded 1 true", "q1 todo 3 false");
    }

    private PSQLException deferError(String jobs) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("select id from postpone.defer_jobs_v2(?::jsonb, null)")) {
            ps.setString(1, jobs);
            ps.executeQuery().close();
        } catch (PSQLException e) {
            return e;
        }
        throw new AssertionError("defer_jobs_v2 accepted " + jobs);
    }
}
