package dev.postpone.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.internal.JobStore;
import dev.postpone.schema.Migrator;
import dev.postpone.schema.SchemaName;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import dev.postpone.worker.Retention;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cleaner deletes finished jobs past retention, in batches, keeps failed ones by default, catches up
 * with a backlog without waiting for its next interval, and reads no more for the jobs it keeps.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(60)
class CleanerTest {

    @Test
    void deletesSucceededAndCancelledPastRetentionAndKeepsTheRest(TestDatabase db) throws Exception {
        migrateEmpty(db);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // Test fixtures written directly: 2 500 old succeeded, 10 old cancelled, 10 old failed, 10 recent succeeded, 10 todo.
            s.execute("""
                    insert into postpone.jobs (queue, task, status, finished_at)
                    select 'q', 't', status, finished_at from (
                        select 'succeeded' as status, now() - interval '8 days' as finished_at from generate_series(1, 2500)
                        union all select 'cancelled', now() - interval '8 days' from generate_series(1, 10)
                        union all select 'failed', now() - interval '8 days' from generate_series(1, 10)
                        union all select 'succeeded', now() - interval '1 day' from generate_series(1, 10)
                        union all select 'todo', null from generate_series(1, 10)) f""");
            new Cleaner(new JobStore(SchemaName.DEFAULT), Retention.defaults(), Duration.ofMinutes(1)).run(c);
            try (ResultSet rs = s.executeQuery("select status, count(*) from postpone.jobs group by status order by status")) {
                StringBuilder left = new StringBuilder();
                while (rs.next()) left.append(rs.getString(1)).append('=').append(rs.getLong(2)).append(' ');
                assertThat(left.toString().trim()).isEqualTo("failed=10 succeeded=10 todo=10");
            }
        }
    }

    @Test
    void aCleanerLeftBehindRunsAgainAtOnceUntilItHasCaughtUp(TestDatabase db) throws Exception {
        migrateEmpty(db);
        int backlog = Cleaner.BATCH_SIZE * Cleaner.MAX_BATCHES_PER_RUN + 5_000;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("insert into postpone.jobs (queue, task, status, finished_at) select 'q', 't', 'succeeded',"
                    + " now() - interval '8 days' from generate_series(1, " + backlog + ")");
        }
        Cleaner cleaner = new Cleaner(new JobStore(SchemaName.DEFAULT), Retention.defaults(), Duration.ofHours(1));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        Housekeeper housekeeper = new Housekeeper(db.dataSource(), Duration.ofSeconds(30), timer, "cleaner-test");
        try {
            housekeeper.start(List.of(cleaner), Duration.ZERO);
            // The interval is an hour: only the catch-up runs can delete more than one run's 20 000 jobs.
            while (count(db, "status = 'succeeded' and finished_at < now() - interval '7 days'") > 0) Thread.sleep(100);
            assertThat(cleaner.behind()).isFalse();
        } finally {
            housekeeper.stop();
            timer.shutdownNow();
        }
    }

    @Test
    void aBatchDoesNotReadTheFinishedJobsTheRetentionKeeps(TestDatabase db) throws Exception {
        migrateEmpty(db);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // 200 000 failed jobs older than any deletable one: kept by the default retention, forever.
            s.execute("insert into postpone.jobs (queue, task, status, finished_at) select 'q', 't', 'failed',"
                    + " now() - interval '30 days' from generate_series(1, 200000)");
            s.execute("insert into postpone.jobs (queue, task, status, finished_at) select 'q', 't', 'succeeded',"
                    + " now() - interval '8 days' from generate_series(1, 3000)");
            s.execute("vacuum analyze postpone.jobs");
            c.setAutoCommit(false);
            long buffers = 0;
            for (int i = 0; i < 3; i++) { // plans warm; each batch rolled back
                try (ResultSet rs = s.executeQuery("explain (analyze, buffers, format json) select postpone.delete_finished_jobs_v2("
                        + "'{\"older_than_ms\": 604800000, \"statuses\": [\"succeeded\", \"cancelled\"], \"batch_size\": 1000}', null)")) {
                    rs.next();
                    var plan = new com.fasterxml.jackson.databind.ObjectMapper().readTree(rs.getString(1)).get(0).get("Plan");
                    buffers = plan.get("Shared Hit Blocks").asLong() + plan.get("Shared Read Blocks").asLong();
                }
                c.rollback();
            }
            // Deleting 1 000 rows touches a few thousand buffers; reading past the failed jobs would add their 200 000 index entries.
            assertThat(buffers).isLessThan(8_000);
        }
    }

    /** The tests share a database: each starts from an empty jobs table. */
    private static void migrateEmpty(TestDatabase db) throws Exception {
        Migrator.builder(db.dataSource()).build().migrate();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("truncate postpone.jobs cascade");
        }
    }

    private static long count(TestDatabase db, String where) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from postpone.jobs where " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
