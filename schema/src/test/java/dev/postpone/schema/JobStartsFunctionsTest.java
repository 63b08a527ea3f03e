package dev.postpone.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A claim is not a start (600_job_starts.sql): fetch_jobs_v2 counts no attempt, start_jobs_v1 (or the
 * outcome) does, and every way a job goes back without running (the rescues of both releases, hand-back,
 * unregistering) leaves a never-started job as it was, whatever its max_attempts. Called in the mixed
 * window of the upgrade, with 1.0.0's functions present.
 */
@ExtendWith(PostgresExtension.class)
class JobStartsFunctionsTest {

    private static final String RESCUE_V2 = "select id || ' ' || status || ' ' || attempts || ' ' || reason"
            + " from postpone.rescue_stalled_jobs_v2('{\"default_stalled_after_ms\": 30000}', now()) order by id";

    private Connection c;

    @BeforeAll
    static void install(TestDatabase db) {
        Migrator.builder(db.dataSource()).build().migrate(MigrationTarget.PRE, Release.parse("1.1.0"));
    }

    @BeforeEach
    void connect(TestDatabase db) throws SQLException {
        c = db.connect();
        run("truncate postpone.jobs, postpone.workers restart identity");
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    @Test
    void aClaimCountsNoAttemptAndAStartCountsOneOnce() throws SQLException {
        long job = defer(1);
        claim(7, 1);
        assertThat(row(job)).isEqualTo("doing 0 true"); // attempts 0, started_at null
        assertThat(start(job, 8)).as("another worker's start changes nothing").isEmpty();
        assertThat(start(job, 7)).containsExactly(job);
        assertThat(row(job)).isEqualTo("doing 1 false");
        assertThat(start(job, 7)).as("a start written twice counts once").isEmpty();
        assertThat(strings("select id || ' ' || status from postpone.complete_jobs_v2(jsonb_build_array(" + outcome(job, 7) + "), now())"))
                .containsExactly(job + " succeeded");
        assertThat(strings("select attempts || ' ' || (attempts_log -> 0 ->> 'attempt') from postpone.jobs where id = " + job))
                .containsExactly("1 1");
    }

    @Test
    void anOutcomeCarriesTheStartOfAShortJob() throws SQLException {
        long job = defer(1);
        claim(7, 1);
        assertThat(strings("select id || ' ' || status from postpone.complete_jobs_v2(jsonb_build_array(" + outcome(job, 7) + "), now())"))
                .containsExactly(job + " succeeded");
        assertThat(strings("select attempts || ' ' || (attempts_log -> 0 ->> 'attempt') || ' ' || (started_at is not null)"
                + " from postpone.jobs where id = " + job)).containsExactly("1 1 true");
    }

    @Test
    void theRescueReturnsNeverStartedJobsAsTheyWereAndFailsStartedOnesOutOfAttempts() throws SQLException {
        long started = defer(1), claimed = defer(1);
        claim(7, 2);
        start(started, 7);
        // Worker 7 is not registered: the rescue takes its jobs, as it would from a dead one.
        assertThat(strings(RESCUE_V2)).containsExactly(
                started + " failed 1 it is no longer registered",
                claimed + " todo 0 it is no longer registered; it had not started, so no attempt was counted");
        assertThat(strings("select coalesce(last_error, '-') || ' ' || coalesce(attempts_log::text, '-') from postpone.jobs where id = " + claimed))
                .containsExactly("- -");
        claim(9, 1);
        assertThat(start(claimed, 9)).containsExactly(claimed);
        assertThat(row(claimed)).as("its one attempt is still there to run").isEqualTo("doing 1 false");
    }

    @Test
    void aPreviousReleaseRescueReturnsANeverStartedClaimUnspent() throws SQLException {
        long claimed = defer(1);
        claim(7, 1);
        assertThat(strings("select id || ' ' || status from postpone.rescue_stalled_jobs_v1(interval '30 seconds')"))
                .containsExactly(claimed + " todo");
        assertThat(row(claimed)).isEqualTo("todo 0 true");
    }

    @Test
    void handingBackAndUnregisteringSpendNothing() throws SQLException {
        long handedBack = defer(1), startedThenReleased = defer(1), claimedThenReleased = defer(1);
        long worker = (Long) Sql.column(c, "select postpone.register_worker_v2('{\"name\": \"w\", \"host\": \"h\", \"pid\": 1, \"version\": \"1.1.0\", \"concurrency\": 3}', now())").getFirst();
        claim(worker, 3);
        start(startedThenReleased, worker);
        assertThat(longs("select id from postpone.hand_back_jobs_v1(" + worker + ", '[{\"id\": " + handedBack + "}]', now())"))
                .containsExactly(handedBack);
        assertThat(strings("select postpone.unregister_worker_v2(" + worker + ", now())::text")).containsExactly("2");
        assertThat(strings("select id || ' ' || status || ' ' || attempts from postpone.jobs order by id")).containsExactly(
                handedBack + " todo 0", startedThenReleased + " todo 0", claimedThenReleased + " todo 0");
    }

    @Test
    void aCancelOfAClaimedJobAppliesToTheAttemptItStartsAs() throws SQLException {
        long job = defer(3);
        claim(7, 1);
        strings("select id from postpone.cancel_jobs_v2('{\"ids\": [" + job + "]}', '{\"by\": \"ops\"}', now())");
        assertThat(strings("select abort_request ->> 'attempt' from postpone.jobs where id = " + job)).containsExactly("1");
        assertThat(longs("select id from postpone.abort_requests_v1('{\"worker_ids\": [7]}')")).as("before the start").containsExactly(job);
        start(job, 7);
        assertThat(longs("select id from postpone.abort_requests_v1('{\"worker_ids\": [7]}')")).as("after the start").containsExactly(job);
    }

    private long defer(int maxAttempts) throws SQLException {
        return longs("select id from postpone.defer_jobs_v1(array['q'], array['t'], null, null, null, null, null, array[" + maxAttempts + "])")
                .getFirst();
    }

    private void claim(long worker, int limit) throws SQLException {
        assertThat(longs("select id from postpone.fetch_jobs_v2('{\"worker_id\": " + worker + ", \"limit\": " + limit + "}', null)"))
                .hasSize(limit);
    }

    private List<Long> start(long job, long worker) throws SQLException {
        return longs("select id from postpone.start_jobs_v1(jsonb_build_array(jsonb_build_object('id', " + job + ", 'worker_id', "
                + worker + ", 'started_at', now())), now())");
    }

    private static String outcome(long job, long worker) {
        return "jsonb_build_object('id', " + job + ", 'worker_id', " + worker + ", 'outcome', 'succeeded', 'started_at', clock_timestamp())";
    }

    /** Status, attempts, and whether started_at is empty. */
    private String row(long job) throws SQLException {
        return strings("select status || ' ' || attempts || ' ' || (started_at is null) from postpone.jobs where id = " + job).getFirst();
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
}
