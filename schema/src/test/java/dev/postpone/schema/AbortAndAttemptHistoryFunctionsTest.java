package dev.postpone.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Release 1.1.0's abort requests (cancel_jobs_v2 on running jobs, abort_requests_v1) and attempt history
 * (complete_jobs_v2, get_job_v2), called as the Java code calls them, in the mixed window of
 * the upgrade: 1.0.0's functions are there too, and a 1.0.0 worker's completion must stay harmless.
 */
@ExtendWith(PostgresExtension.class)
class AbortAndAttemptHistoryFunctionsTest {

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
    void cancelAbortsRunningJobsOncePerAttemptAndAnnouncesThemPerWorker(TestDatabase db) throws SQLException {
        long runningA = defer(), runningB = defer(), runningOther = defer(), waiting = defer();
        fetch(1, runningA, runningB);
        fetch(2, runningOther);
        try (Connection listener = db.connect()) {
            listen(listener, Channels.aborts(SchemaName.DEFAULT));

            assertThat(strings("select id || ' ' || status from postpone.cancel_jobs_v2('{\"ids\": [" + waiting + ", " + runningA + ", "
                    + runningB + ", " + runningOther + "]}', '{\"by\": \"ada@desk\"}', now()) order by id"))
                    .containsExactly(runningA + " doing", runningB + " doing", runningOther + " doing", waiting + " cancelled");

            assertThat(Sql.notifications(listener)).containsExactlyInAnyOrder(
                    "{\"job_ids\": [" + runningA + ", " + runningB + "], \"worker_id\": 1}",
                    "{\"job_ids\": [" + runningOther + "], \"worker_id\": 2}");
        }
        assertThat(strings("select abort_request ->> 'by' || ' ' || (abort_request ->> 'attempt') from postpone.jobs where id = " + runningA))
                .containsExactly("ada@desk 1");
        assertThat(longs("select id from postpone.abort_requests_v1('{\"worker_ids\": [1]}')")).containsExactly(runningA, runningB);
        assertThat(strings("select requested_by from postpone.abort_requests_v1('{\"worker_ids\": [2, 3]}')")).containsExactly("ada@desk");

        strings("select id from postpone.cancel_jobs_v2('{\"ids\": [" + runningA + "]}', '{\"by\": \"someone else\"}', now())");
        assertThat(strings("select abort_request ->> 'by' from postpone.jobs where id = " + runningA))
                .as("asking again keeps the first request").containsExactly("ada@desk");
        assertThat(strings("select id from postpone.cancel_jobs_v2('{\"statuses\": [\"succeeded\"]}', '{}', now())")).isEmpty();
    }

    @Test
    void aRetryOfAnAbortedAttemptEndsCancelledWhileOtherOutcomesStand() throws SQLException {
        long retried = defer(), succeeded = defer(), failed = defer();
        fetch(1, retried, succeeded, failed);
        strings("select id from postpone.cancel_jobs_v2('{\"ids\": [" + retried + ", " + succeeded + ", " + failed + "]}', '{\"by\": \"ops\"}', now())");

        assertThat(strings("select id || ' ' || status from postpone.complete_jobs_v2(jsonb_build_array("
                + outcome(retried, 1, "retry", "'error', 'java.io.IOException: gone', 'trace', 'at x'") + ", "
                + outcome(succeeded, 1, "succeeded", "'result', '{\"sent\": 3}'::jsonb") + ", "
                + outcome(failed, 1, "failed", "'error', 'boom'") + "), now()) order by id"))
                .containsExactly(retried + " cancelled", succeeded + " succeeded", failed + " failed");

        assertThat(strings("select attempts_log -> 0 ->> 'outcome' || ' / ' || (attempts_log -> 0 ->> 'note') from postpone.jobs where id = " + retried))
                .containsExactly("cancelled / not retried: its cancel was requested while it ran");
        assertThat(strings("select result::text from postpone.jobs where id = " + succeeded)).containsExactly("{\"sent\": 3}");
        assertThat(longs("select id from postpone.abort_requests_v1('{\"worker_ids\": [1]}')")).as("none is running any more").isEmpty();
    }

    /** A 1.0.0 worker knows nothing of abort requests: its completion works as before, and the job's next attempt runs normally. */
    @Test
    void a100WorkersCompletionOfAnAbortedJobIsHarmless() throws SQLException {
        long retried = defer(), succeeded = defer();
        fetch(1, retried, succeeded);
        strings("select id from postpone.cancel_jobs_v2('{\"ids\": [" + retried + ", " + succeeded + "]}', '{\"by\": \"ops\"}', now())");

        assertThat(strings("select id || ' ' || status from postpone.complete_jobs_v1(1, array[" + retried + ", " + succeeded + "]::bigint[],"
                + " array['retry', 'succeeded'], null, array['java.io.IOException: gone', null], null) order by id"))
                .containsExactly(retried + " todo", succeeded + " succeeded");
        assertThat(strings("select status || ' ' || attempts || ' ' || last_error || ' ' || (abort_request is not null)"
                + " from postpone.jobs where id = " + retried)).containsExactly("todo 1 java.io.IOException: gone true");
        assertThat(strings("select attempts_log::text from postpone.jobs")).as("1.0.0 writes no history").containsOnlyNulls();

        // Its next attempt (by any worker) is not the one the request was for: it runs and may retry.
        fetch(2, retried);
        assertThat(longs("select id from postpone.abort_requests_v1('{\"worker_ids\": [2]}')")).isEmpty();
        assertThat(strings("select status from postpone.complete_jobs_v2(jsonb_build_array(" + outcome(retried, 2, "retry", "'error', 'again'")
                + "), now())")).containsExactly("todo");
    }

    @Test
    void theHistoryKeepsEveryAttemptAndTheReadsReturnIt() throws SQLException {
        long job = defer();
        for (int attempt = 1; attempt <= 3; attempt++) {
            fetch(attempt, job);
            String o = attempt < 3 ? outcome(job, attempt, "retry", "'error', 'boom " + attempt + "', 'trace', 'at line " + attempt + "'")
                    : outcome(job, attempt, "succeeded", "'result', '[1, 2]'::jsonb");
            strings("select id from postpone.complete_jobs_v2(jsonb_build_array(" + o + "), now())");
        }

        assertThat(strings("select e ->> 'attempt' || ' ' || (e ->> 'worker_id') || ' ' || (e ->> 'worker') || ' ' || (e ->> 'outcome')"
                + " || ' ' || coalesce(e ->> 'error', '-') || ' ' || coalesce(e ->> 'trace', '-') || ' ' || ((e ->> 'started_at') is not null)"
                + " || ' ' || ((e ->> 'finished_at')::timestamptz >= (e ->> 'started_at')::timestamptz)"
                + " from postpone.get_job_v2('{\"id\": " + job + "}') j, jsonb_array_elements(j.attempts_log) e"))
                .containsExactly("1 1 w1 retry boom 1 at line 1 true true", "2 2 w2 retry boom 2 at line 2 true true",
                        "3 3 w3 succeeded - - true true");
        assertThat(strings("select status || ' ' || result::text || ' ' || last_error || ' ' || last_error_trace"
                + " from postpone.get_job_v2('{\"id\": " + job + "}')")).containsExactly("succeeded [1, 2] boom 2 at line 2");
    }

    @Test
    void theHistoryIsBounded() throws SQLException {
        String log = "(select jsonb_agg(jsonb_build_object('attempt', g, 'trace', 't')) from generate_series(1, 120) g)";
        assertThat(strings("select jsonb_array_length(postpone.append_attempt_v1(" + log + ", '{\"attempt\": 121, \"trace\": \"t\"}'))"
                + " || ' ' || (postpone.append_attempt_v1(" + log + ", '{\"attempt\": 121}') -> 0 ->> 'attempt')"
                + " || ' ' || (select count(*) from jsonb_array_elements(postpone.append_attempt_v1(" + log + ", '{\"attempt\": 121, \"trace\": \"t\"}')) e"
                + "            where e -> 'trace' is not null)"))
                .as("the newest 100 attempts, traces on the newest 20").containsExactly("100 22 20");
    }

    private static String outcome(long job, int worker, String outcome, String more) {
        return "jsonb_build_object('id', " + job + ", 'worker_id', " + worker + ", 'outcome', '" + outcome + "', 'worker', 'w" + worker
                + "', 'started_at', clock_timestamp(), 'finished_at', clock_timestamp() + interval '1 ms', " + more + ")";
    }

    private long defer() throws SQLException {
        return longs("select id from postpone.defer_jobs_v1(array['q'], array['t'], null, null, null, null, null, array[5])").getFirst();
    }

    /** Claims exactly the given jobs (the oldest waiting ones) for a worker. */
    private void fetch(long worker, long... jobs) throws SQLException {
        List<Long> claimed = longs("select id from postpone.fetch_jobs_v1(" + worker + ", null, " + jobs.length + ")");
        assertThat(claimed).containsExactly(Arrays.stream(jobs).boxed().toArray(Long[]::new));
    }

    private static void listen(Connection listener, String channel) throws SQLException {
        try (Statement st = listener.createStatement()) {
            st.execute("listen " + channel);
        }
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
