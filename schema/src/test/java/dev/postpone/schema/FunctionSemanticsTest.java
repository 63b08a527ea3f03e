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
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;

/** What every function of the 1.0.0 contract does, called as the Java code calls it. */
@ExtendWith(PostgresExtension.class)
class FunctionSemanticsTest {

    private Connection c;

    @BeforeAll
    static void install(TestDatabase db) {
        // The mixed window of a rolling upgrade: 1.0.0's functions (which its workers call) beside 1.1.0's.
        Migrator.builder(db.dataSource()).build().migrate(MigrationTarget.PRE, Release.current());
    }

    @BeforeEach
    void connect(TestDatabase db) throws SQLException {
        c = db.connect();
        run("truncate postpone.jobs, postpone.workers, postpone.periodic_runs restart identity");
        run("set search_path to public");
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    @Test
    void deferReturnsIdsInInputOrderAndNullElementsTakeDefaults() throws SQLException {
        List<Long> ids = longs("select id from postpone.defer_jobs_v1(array['b', 'a', 'c'], array['t1', 't2', 't3'],"
                + " array['{\"x\": 1}'::jsonb, null, null], array[5, null, null], null, array[null, 'L', null],"
                + " null, array[null, 3, null])");

        assertThat(ids).hasSize(3).isSorted();
        assertThat(strings("select queue || ' ' || task || ' ' || args::text || ' ' || priority || ' ' || coalesce(lock, '-')"
                + " || ' ' || max_attempts || ' ' || status || ' ' || (scheduled_at <= now()) from postpone.jobs order by id"))
                .containsExactly("b t1 {\"x\": 1} 5 - 1 todo true", "a t2 {} 0 L 3 todo true", "c t3 {} 0 - 1 todo true");
    }

    @Test
    void deferNotifiesOncePerQueuePerStatementAndNotForFutureJobs(TestDatabase db) throws SQLException {
        try (Connection listener = db.connect()) {
            try (Statement st = listener.createStatement()) {
                st.execute("listen " + Channels.jobs(SchemaName.DEFAULT));
            }
            defer("q1", 0, null, null, null);
            longs("select id from postpone.defer_jobs_v1(array['q1', 'q1', 'q2', 'q3'], array['t', 't', 't', 't'], null, null,"
                    + " array[null, null, null, now() + interval '1 hour'], null, null, null)");

            assertThat(notifications(listener)).containsExactly("q1", "q1", "q2");
            assertThat(fetch(1, null, 10)).as("every due job, not the future one").hasSize(4);
            assertThat(count("select count(*) from postpone.jobs where queue = 'q3' and status = 'todo'")).isEqualTo(1);
        }
    }

    @Test
    void fetchHonoursLimitPriorityThenIdQueuesAndScheduleTime() throws SQLException {
        long low = defer("a", 0, null, null, null);
        long high = defer("b", 10, null, null, null);
        long lowToo = defer("a", 0, null, null, null);
        long other = defer("c", 5, null, null, null);
        long future = defer("a", 100, Instant.now().plusSeconds(3600), null, null);

        assertThat(fetch(1, new String[] {"a", "b"}, 2)).containsExactly(high, low);
        assertThat(fetch(1, new String[] {"a"}, 10)).containsExactly(lowToo);
        assertThat(fetch(1, null, 10)).containsExactly(other);
        assertThat(fetch(1, null, 10)).isEmpty();
        run("update postpone.jobs set scheduled_at = now() - interval '1 second' where id = " + future);
        assertThat(fetch(1, null, 10)).containsExactly(future);
        assertThat(strings("select status || ' ' || attempts || ' ' || worker_id from postpone.jobs where id = " + future))
                .containsExactly("doing 1 1");
    }

    @Test
    void lockRunsOneJobAtATimeInPriorityThenIdOrderWhileOtherJobsAreFetched() throws SQLException {
        long first = defer("q", 0, null, "L", null);
        long urgent = defer("q", 9, null, "L", null);
        long second = defer("q", 0, null, "L", null);
        long free = defer("q", 0, null, null, null);

        assertThat(fetch(1, null, 10)).containsExactly(urgent, free);
        assertThat(fetch(2, null, 10)).as("the lock is busy").isEmpty();
        complete(1, urgent, "succeeded");
        assertThat(fetch(2, null, 10)).containsExactly(first);
        complete(2, first, "succeeded");
        assertThat(fetch(2, null, 10)).containsExactly(second);
    }

    @Test
    void queueingLockAllowsOneWaitingJobPerValue() throws SQLException {
        long first = defer("q", 0, null, null, "only-one");

        assertThatThrownBy(() -> defer("q", 0, null, null, "only-one"))
                .isInstanceOfSatisfying(PSQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("23505");
                    assertThat(e.getServerErrorMessage().getConstraint()).isEqualTo("jobs_queueing_lock_v1");
                });
        assertThat(fetch(1, null, 10)).containsExactly(first);
        assertThat(defer("q", 0, null, null, "only-one")).isGreaterThan(first);
    }

    @Test
    void completeAppliesOutcomesOnlyToJobsDoingForThatWorker() throws SQLException {
        long ok = defer("q", 0, null, null, null);
        long bad = defer("q", 0, null, null, null);
        long gone = defer("q", 0, null, null, null);
        long again = defer("q", 0, null, null, null);
        long others = defer("q", 0, null, null, null);
        long waiting = defer("q", 0, Instant.now().plusSeconds(60), null, null);
        assertThat(fetch(1, null, 4)).containsExactly(ok, bad, gone, again);
        assertThat(fetch(2, null, 4)).containsExactly(others);

        List<String> changed = strings("select id || ' ' || status from postpone.complete_jobs_v1(1,"
                + " array[" + ok + ", " + bad + ", " + gone + ", " + again + ", " + others + ", " + waiting + "],"
                + " array['succeeded', 'failed', 'cancelled', 'retry', 'succeeded', 'succeeded'],"
                + " array[null, null, null, now() + interval '1 minute', null, null]::timestamptz[],"
                + " array[null, 'boom', null, 'flaky', null, null], array[null, 'trace', null, null, null, null])");

        assertThat(changed).containsExactlyInAnyOrder(ok + " succeeded", bad + " failed", gone + " cancelled", again + " todo");
        assertThat(strings("select status || ' ' || coalesce(last_error, '-') || ' ' || coalesce(last_error_trace, '-')"
                + " || ' ' || (finished_at is not null) || ' ' || coalesce(worker_id::text, '-') from postpone.jobs order by id"))
                .containsExactly("succeeded - - true 1", "failed boom trace true 1", "cancelled - - true 1",
                        "todo flaky - false -", "doing - - false 2", "todo - - false -");
        assertThatThrownBy(() -> strings("select id from postpone.complete_jobs_v1(2, array[" + others + "], array['done'], null, null, null)"))
                .hasMessageContaining("outcome must be");
    }

    @Test
    void cancelTouchesOnlyWaitingJobsAndRetryGivesAFailedJobOneMoreAttempt() throws SQLException {
        long waiting = defer("q", 0, null, null, null);
        long running = defer("q", 0, null, null, null);
        run("update postpone.jobs set status = 'doing', worker_id = 1, attempts = 1 where id = " + running);

        assertThat(strings("select postpone.cancel_job_v1(" + waiting + ")")).containsExactly("cancelled");
        assertThat(strings("select postpone.cancel_job_v1(" + running + ")")).containsExactly("doing");
        assertThat(strings("select postpone.cancel_job_v1(999)")).containsOnlyNulls();

        complete(1, running, "failed");
        assertThat(strings("select postpone.retry_job_v1(" + running + ", null)")).containsExactly("todo");
        assertThat(fetch(3, null, 10)).containsExactly(running);
        assertThat(strings("select attempts || '/' || max_attempts from postpone.jobs where id = " + running)).containsExactly("2/2");
        assertThat(strings("select postpone.retry_job_v1(" + running + ", null)")).as("not failed: unchanged").containsExactly("doing");
    }

    @Test
    void workersRegisterHeartbeatAndUnregisterHandingTheirJobsBack() throws SQLException {
        long worker = longs("select postpone.register_worker_v1('w', 'host', 11, '1.0.0', array['q'], 3)").getFirst();
        long job = defer("q", 0, null, null, null);
        assertThat(fetch(worker, null, 1)).containsExactly(job);

        assertThat(strings("select postpone.heartbeat_worker_v1(" + worker + ")::text")).containsExactly("true");
        assertThat(strings("select name || ' ' || host || ' ' || pid || ' ' || release || ' ' || queues::text || ' ' || concurrency"
                + " from postpone.list_workers_v1()")).containsExactly("w host 11 1.0.0 {q} 3");
        assertThat(longs("select postpone.unregister_worker_v1(" + worker + ")")).containsExactly(1L);

        assertThat(strings("select status || ' ' || attempts || ' ' || coalesce(worker_id::text, '-') from postpone.jobs"))
                .containsExactly("todo 0 -");
        assertThat(strings("select postpone.heartbeat_worker_v1(" + worker + ")::text")).containsExactly("false");
        assertThat(count("select count(*) from postpone.list_workers_v1()")).isZero();
    }

    @Test
    void rescueReturnsJobsOfStaleWorkersCountingTheAttemptAndLeavesFreshWorkersAlone() throws SQLException {
        long stale = longs("select postpone.register_worker_v1('stale', 'h', 1, '1.0.0', null, 1)").getFirst();
        long fresh = longs("select postpone.register_worker_v1('fresh', 'h', 2, '1.0.0', null, 1)").getFirst();
        long retried = defer("q", 0, null, null, null);
        long exhausted = defer("q", 0, null, null, null);
        long kept = defer("q", 0, null, null, null);
        run("update postpone.jobs set max_attempts = 2 where id = " + retried);
        assertThat(fetch(stale, null, 2)).containsExactly(retried, exhausted);
        assertThat(fetch(fresh, null, 1)).containsExactly(kept);
        run("update postpone.workers set last_heartbeat = now() - interval '10 minutes' where id = " + stale);

        List<String> rescued = strings("select id || ' ' || status || ' ' || worker_id from postpone.rescue_stalled_jobs_v1(interval '1 minute')");

        assertThat(rescued).containsExactlyInAnyOrder(retried + " todo " + stale, exhausted + " failed " + stale);
        assertThat(strings("select status || ' ' || attempts from postpone.jobs order by id")).containsExactly("todo 1", "failed 1", "doing 1");
        assertThat(strings("select name from postpone.workers")).containsExactly("fresh");
        assertThat(fetch(fresh, null, 5)).containsExactly(retried);
    }

    @Test
    void periodicJobIsDeferredOncePerTick() throws SQLException {
        String call = "select postpone.defer_periodic_job_v1('report', null, ?::timestamptz, 'q', null, null, null, null, null)";
        Timestamp tick = Timestamp.from(Instant.parse("2030-01-01T10:00:00Z"));

        Long first = longOrNull(call, tick);
        Long sameTick = longOrNull(call, tick);
        Long earlier = longOrNull(call, Timestamp.from(tick.toInstant().minusSeconds(60)));
        Long later = longOrNull(call, Timestamp.from(tick.toInstant().plusSeconds(60)));

        assertThat(first).isNotNull();
        assertThat(sameTick).isNull();
        assertThat(earlier).isNull();
        assertThat(later).isNotNull().isNotEqualTo(first);
        assertThat(count("select count(*) from postpone.jobs where task = 'report'")).isEqualTo(2);
        assertThat(strings("select task || ' ' || key || ' ' || (last_tick = '2030-01-01T10:01:00Z') from postpone.periodic_last_ticks_v1()"))
                .containsExactly("report  true");
    }

    @Test
    void deleteFinishedWorksInBatchesAndRefusesUnfinishedStatuses() throws SQLException {
        for (int i = 0; i < 5; i++) defer("q", 0, null, null, null);
        defer("q", 0, null, null, null);
        run("update postpone.jobs set status = 'succeeded', finished_at = now() - interval '2 days' where id <= 5");

        assertThat(longs("select postpone.delete_finished_jobs_v1(interval '1 day', array['succeeded'], 2)")).containsExactly(2L);
        assertThat(longs("select postpone.delete_finished_jobs_v1(interval '1 day', array['succeeded'], 10)")).containsExactly(3L);
        assertThat(longs("select postpone.delete_finished_jobs_v1(interval '1 day', array['succeeded'], 10)")).containsExactly(0L);
        assertThat(count("select count(*) from postpone.jobs")).isEqualTo(1);
        for (String status : new String[] {"todo", "doing"}) {
            assertThatThrownBy(() -> longs("select postpone.delete_finished_jobs_v1(interval '0', array['" + status + "'], 10)"))
                    .hasMessageContaining("statuses must be among succeeded, failed, cancelled");
        }
    }

    @Test
    void listJobsFiltersAndPagesAndQueueCountsGroupByQueueAndStatus() throws SQLException {
        long a1 = defer("a", 0, null, "L", null);
        long a2 = defer("a", 0, null, null, null);
        long b1 = defer("b", 0, null, null, null);
        fetch(1, new String[] {"b"}, 1);

        assertThat(longs("select id from postpone.list_jobs_v1(null, null, null, null, null, null, null, 2)")).containsExactly(b1, a2);
        assertThat(longs("select id from postpone.list_jobs_v1(null, null, null, null, null, null, " + a2 + ", 2)")).containsExactly(a1);
        assertThat(longs("select id from postpone.list_jobs_v1('a', 't', 'todo', 'L', now() - interval '1 hour', now() + interval '1 hour', null, null)"))
                .containsExactly(a1);
        assertThat(longs("select id from postpone.list_jobs_v1(null, null, 'doing', null, null, null, null, null)")).containsExactly(b1);
        assertThat(longs("select id from postpone.get_job_v1(" + a2 + ")")).containsExactly(a2);
        assertThat(strings("select queue || ' ' || status || ' ' || jobs from postpone.queue_counts_v1(null)"))
                .containsExactly("a todo 2", "b doing 1");
        assertThat(strings("select queue || ' ' || status || ' ' || jobs from postpone.queue_counts_v1(array['todo'])"))
                .containsExactly("a todo 2");
    }

    // --- helpers: each is one call of a contract function as the Java code would make it ---

    private long defer(String queue, int priority, Instant at, String lock, String queueingLock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id from postpone.defer_jobs_v1(array[?], array['t'], null,"
                + " array[?], array[?::timestamptz], array[?], array[?], null)")) {
            ps.setString(1, queue);
            ps.setInt(2, priority);
            ps.setTimestamp(3, at == null ? null : Timestamp.from(at));
            ps.setString(4, lock);
            ps.setString(5, queueingLock);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private List<Long> fetch(long worker, String[] queues, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id from postpone.fetch_jobs_v1(?, ?, ?) order by priority desc, id")) {
            ps.setLong(1, worker);
            ps.setArray(2, queues == null ? null : c.createArrayOf("text", queues));
            ps.setInt(3, limit);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getLong(1));
            }
            return ids;
        }
    }

    private void complete(long worker, long job, String outcome) throws SQLException {
        assertThat(strings("select status from postpone.complete_jobs_v1(" + worker + ", array[" + job + "]::bigint[], array['"
                + outcome + "'], null, null, null)")).containsExactly(outcome);
    }

    private static List<String> notifications(Connection listener) throws SQLException {
        return Sql.notifications(listener);
    }

    private void run(String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private List<Long> longs(String sql) throws SQLException {
        return Sql.column(c, sql).stream().map(o -> ((Number) o).longValue()).toList();
    }

    private List<String> strings(String sql) throws SQLException {
        return Sql.column(c, sql).stream().map(o -> o == null ? null : o.toString()).toList();
    }

    private long count(String sql) throws SQLException {
        return longs(sql).getFirst();
    }

    private Long longOrNull(String sql, Timestamp tick) throws SQLException {
        Object value = Sql.column(c, sql, tick).getFirst();
        return value == null ? null : ((Number) value).longValue();
    }
}
