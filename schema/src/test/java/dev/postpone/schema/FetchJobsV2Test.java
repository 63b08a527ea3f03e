package dev.postpone.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * fetch_jobs_v2: which jobs it hands out (priority, due time, id; lock heads only; queue filter;
 * paused queues; scheduled jobs once due), and that its cost stays bounded behind every kind of
 * backlog (measured in shared buffers from EXPLAIN (ANALYZE, BUFFERS), not in wall-clock time).
 */
@ExtendWith(PostgresExtension.class)
class FetchJobsV2Test {

    private static final Pattern HIT = Pattern.compile("\"Shared Hit Blocks\": (\\d+)");
    private static final Pattern READ = Pattern.compile("\"Shared Read Blocks\": (\\d+)");
    private static final Pattern ROWS = Pattern.compile("\"Actual Rows\": (\\d+)");

    private TestDatabase db;

    @BeforeEach
    void migrate(TestDatabase db) throws SQLException {
        this.db = db;
        Migrator.builder(db.dataSource()).build().migrate(MigrationTarget.PRE, Release.parse("1.1.0"));
        Sql.execute(db, "truncate postpone.jobs; delete from postpone.queue_pauses");
    }

    @Test
    void highestPriorityFirstThenLongestDueThenId() throws Exception {
        Sql.execute(db, "insert into postpone.jobs (id, queue, task, priority, scheduled_at) overriding system value values"
                + " (1, 'q', 't', 0, now() - interval '1 minute'), (2, 'q', 't', 5, now()), (3, 'q', 't', 0, now() - interval '2 minutes'),"
                + " (4, 'q', 't', 5, now() - interval '1 second'), (5, 'q', 't', 0, now() + interval '1 hour')");
        assertThat(fetch("{\"worker_id\": 1, \"limit\": 3}", null)).containsExactly(4L, 2L, 3L);
        assertThat(fetch("{\"worker_id\": 1, \"limit\": 10}", null)).containsExactly(1L);
        assertThat(Sql.value(db, "select worker_id from postpone.jobs where id = 4")).isEqualTo(1L);
        // A claim is not a start: no attempt counted until the worker records it (JobStartsFunctionsTest).
        assertThat(Sql.value(db, "select attempts from postpone.jobs where id = 4")).isEqualTo(0);
    }

    @Test
    void scheduledJobsBecomeDueAtTheirTime() throws Exception {
        Sql.execute(db, "insert into postpone.jobs (id, queue, task, scheduled_at) overriding system value values"
                + " (1, 'q', 't', '2030-01-01T00:00:00Z'), (2, 'q', 't', '2030-01-01T00:01:00Z')");
        assertThat(fetch("{\"worker_id\": 1, \"limit\": 10}", null)).isEmpty();
        assertThat(fetch("{\"worker_id\": 1, \"limit\": 10}", "2030-01-01T00:00:30Z")).containsExactly(1L);
        assertThat(fetch("{\"worker_id\": 1, \"limit\": 10}", "2030-01-01T00:01:00Z")).containsExactly(2L);
    }

    @Test
    void queueFilterAndPausedQueues() throws Exception {
        Sql.execute(db, "insert into postpone.jobs (id, queue, task) overriding system value values"
                + " (1, 'a', 't'), (2, 'b', 't'), (3, 'c', 't'), (4, 'c', 't')");
        Sql.execute(db, "select postpone.pause_queue_v1('{\"queue\": \"c\", \"by\": \"test\"}', now())");
        assertThat(fetch("{\"worker_id\": 1, \"limit\": 10, \"queues\": [\"b\", \"c\"]}", null)).containsExactly(2L);
        // A served queue without waiting jobs does not hide the others.
        assertThat(fetch("{\"worker_id\": 1, \"limit\": 10, \"queues\": [\"a\", \"empty\"]}", null)).containsExactly(1L);
        Sql.execute(db, "update postpone.jobs set status = 'todo' where id = 1");
        assertThat(fetch("{\"worker_id\": 1, \"limit\": 10}", null)).containsExactly(1L);
        assertThat(Sql.value(db, "select paused_by from postpone.queue_pauses_v1()")).isEqualTo("test");

        assertThat(Sql.value(db, "select postpone.resume_queue_v1('{\"queue\": \"c\"}', now())")).isEqualTo(true);
        assertThat(Sql.value(db, "select postpone.resume_queue_v1('{\"queue\": \"c\"}', now())")).isEqualTo(false);
        assertThat(fetch("{\"worker_id\": 1, \"limit\": 10, \"queues\": [\"c\"]}", null)).containsExactly(3L, 4L);
    }

    @Test
    void aLockHandsOutOnlyItsHeadAndOnlyWhenFree() throws Exception {
        // Lock x: head is 3 (priority 1), then 1, 2. Lock y is busy. Lock z's head is scheduled for later: z waits.
        Sql.execute(db, "insert into postpone.jobs (id, queue, task, lock, priority, status, worker_id, scheduled_at)"
                + " overriding system value values"
                + " (1, 'q', 't', 'x', 0, 'todo', null, now()), (2, 'q', 't', 'x', 0, 'todo', null, now()),"
                + " (3, 'q', 't', 'x', 1, 'todo', null, now()), (4, 'q', 't', 'y', 0, 'doing', 9, now()),"
                + " (5, 'q', 't', 'y', 9, 'todo', null, now()), (6, 'q', 't', 'z', 5, 'todo', null, now() + interval '1 hour'),"
                + " (7, 'q', 't', 'z', 0, 'todo', null, now()), (8, 'q', 't', null, 0, 'todo', null, now())");
        assertThat(fetch("{\"worker_id\": 1, \"limit\": 10}", null)).containsExactly(3L, 8L);
        assertThat(fetch("{\"worker_id\": 1, \"limit\": 10}", null)).isEmpty();
        Sql.execute(db, "update postpone.jobs set status = 'succeeded' where id in (3, 4)");
        assertThat(fetch("{\"worker_id\": 1, \"limit\": 10}", null)).containsExactly(5L, 1L);
    }

    @Test
    void manyDistinctLocksStillGiveHeadsInPriorityOrder() throws Exception {
        // More locks than the per-lock visit covers: the priority-order path finds the heads.
        Sql.execute(db, "insert into postpone.jobs (queue, task, lock, priority) select 'q', 't', 'k' || (g % 500), g % 3"
                + " from generate_series(1, 3000) g");
        List<Long> ids = fetch("{\"worker_id\": 1, \"limit\": 20}", null);
        assertThat(ids).hasSize(20);
        assertThat(Sql.value(db, "select count(distinct lock) from postpone.jobs where status = 'doing'")).isEqualTo(20L);
        assertThat(Sql.value(db, "select min(priority) from postpone.jobs where status = 'doing'")).isEqualTo(2);
        // Each is its lock's first job by priority, then id.
        assertThat(Sql.value(db, "select count(*) from postpone.jobs d where d.status = 'doing' and exists (select 1 from"
                + " postpone.jobs e where e.lock = d.lock and e.status = 'todo' and (e.priority > d.priority"
                + " or (e.priority = d.priority and e.id < d.id)))")).isEqualTo(0L);
    }

    /** 200 000 skipped rows of each kind; ten due jobs are fetched at a cost close to the empty case. */
    @Test
    void costStaysBoundedBehindEveryKindOfBacklog() throws Exception {
        int n = 200_000;
        String[] backlogs = {
                "insert into postpone.jobs (queue, task, scheduled_at) select 'q', 't', now() + interval '1 day' from generate_series(1, " + n + ")",
                "insert into postpone.jobs (queue, task, lock, status, worker_id) values ('q', 't', 'busy', 'doing', 9);"
                        + " insert into postpone.jobs (queue, task, lock) select 'q', 't', 'busy' from generate_series(1, " + n + ")",
                "insert into postpone.jobs (queue, task, lock) select 'q', 't', 'free' from generate_series(1, " + n + ")",
                "insert into postpone.jobs (queue, task, status, finished_at) select 'q', 't', 'succeeded', now() from generate_series(1, " + n + ")",
                "insert into postpone.jobs (queue, task) select 'other', 't' from generate_series(1, " + n + ")",
                "insert into postpone.queue_pauses values ('paused', now(), null);"
                        + " insert into postpone.jobs (queue, task) select 'paused', 't' from generate_series(1, " + n + ")",
        };
        for (String backlog : backlogs) {
            Sql.execute(db, "truncate postpone.jobs; delete from postpone.queue_pauses; " + backlog
                    + "; insert into postpone.jobs (queue, task) select 'q', 't' from generate_series(1, 100)");
            Sql.execute(db, "vacuum analyze postpone.jobs");
            long queueFilter = buffers("{\"worker_id\": 1, \"limit\": 10, \"queues\": [\"q\"]}");
            long allQueues = buffers("{\"worker_id\": 1, \"limit\": 10, \"queues\": [\"q\", \"paused\"]}");
            System.out.printf("FetchJobsV2Test: %s -> %d / %d shared buffers%n", backlog.substring(0, 60), queueFilter, allQueues);
            // Without a backlog a fetch of 10 costs about 150-200 buffers (most of it the update of the 10 rows).
            assertThat(queueFilter).as(backlog).isLessThan(400);
            assertThat(allQueues).as(backlog).isLessThan(400);
        }
        Sql.execute(db, "truncate postpone.jobs; delete from postpone.queue_pauses");
    }

    /** Shared buffers (hit + read) of one fetch of 10, after warming the function's plans; rolled back. */
    private long buffers(String parameters) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            long last = 0;
            for (int i = 0; i < 4; i++) {
                try (ResultSet rs = st.executeQuery("explain (analyze, buffers, format json) select id from"
                        + " postpone.fetch_jobs_v2('" + parameters + "', null)")) {
                    rs.next();
                    // The first occurrences are the top plan node's (the function scan, which includes its statements).
                    String plan = rs.getString(1);
                    last = first(HIT, plan) + first(READ, plan);
                    assertThat(first(ROWS, plan)).isEqualTo(10);
                }
                c.rollback();
            }
            return last;
        }
    }

    private static long first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as(p.pattern()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private List<Long> fetch(String parameters, String now) throws SQLException {
        try (Connection c = db.connect()) {
            return Sql.column(c, "select id from postpone.fetch_jobs_v2(?::jsonb, ?::timestamptz) order by priority desc,"
                    + " scheduled_at, id", parameters, now).stream().map(Long.class::cast).toList();
        }
    }
}
