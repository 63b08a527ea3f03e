package dev.postpone.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Eight workers fetch and complete the same backlog at once: no job is handed out twice, every job
 * completes exactly once, and no two jobs of one lock are ever doing at the same time.
 */
@ExtendWith(PostgresExtension.class)
class FetchConcurrencyTest {

    private static final int WORKERS = 8;
    private static final int JOBS = 3000;
    private static final int LOCKS = 5;

    private static final String FETCH_V1 = "select id, lock from postpone.fetch_jobs_v1(?, null, 5)";
    private static final String FETCH_V2 =
            "select id, lock from postpone.fetch_jobs_v2(jsonb_build_object('worker_id', ?::bigint, 'limit', 5), null)";

    @Test
    void concurrentFetchersNeverShareAJobNorRunTwoJobsOfOneLock(TestDatabase db) throws Exception {
        fetchConcurrently(db, worker -> FETCH_V1);
    }

    /** The mixed window of a rolling upgrade: 1.0.0 workers (v1) and 1.1.0 workers (v2) on the same rows. */
    @Test
    void fetchV1AndV2TogetherKeepTheSameRules(TestDatabase db) throws Exception {
        fetchConcurrently(db, worker -> worker % 2 == 0 ? FETCH_V2 : FETCH_V1);
    }

    private void fetchConcurrently(TestDatabase db, java.util.function.IntFunction<String> fetchSql) throws Exception {
        // The mixed window of the 1.1.0 upgrade: 1.0.0's functions with 1.1.0's pre steps (its post drops fetch_jobs_v1).
        Migrator.builder(db.dataSource()).build().migrate(MigrationTarget.PRE, Release.parse("1.1.0"));
        Sql.execute(db, "truncate postpone.jobs");
        Sql.execute(db, "select postpone.defer_jobs_v1(array_agg('q'::text), array_agg('t'::text), null, null, null,"
                + " array_agg(case when i % 3 = 0 then 'lock-' || (i % " + LOCKS + ") end), null, null)"
                + " from generate_series(1, " + JOBS + ") i");

        Map<Long, Integer> fetchedBy = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> doingPerLock = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger lockRaces = new AtomicInteger();
        Map<String, List<Long>> startOrderPerLock = new ConcurrentHashMap<>();
        List<Future<?>> workers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(WORKERS)) {
            for (int w = 1; w <= WORKERS; w++) {
                int worker = w;
                workers.add(threads.submit(() -> {
                    work(db, worker, fetchSql.apply(worker), fetchedBy, doingPerLock, startOrderPerLock, overlaps, lockRaces);
                    return null;
                }));
            }
            for (Future<?> f : workers) f.get(90, TimeUnit.SECONDS);
        }

        System.out.println("FetchConcurrencyTest: fetch hit the jobs_lock_doing_v1 race " + lockRaces.get() + " time(s)");
        assertThat(fetchedBy).hasSize(JOBS);
        assertThat(overlaps.get()).as("two jobs of one lock doing at once").isZero();
        assertThat(Sql.value(db, "select count(*) from postpone.jobs where status = 'succeeded'")).isEqualTo((long) JOBS);
        assertThat(Sql.value(db, "select count(*) from postpone.jobs where attempts <> 1")).isEqualTo(0L);
        // Jobs of a lock ran in id order (all have priority 0). Not checked with started_at/finished_at: now() is the
        // transaction's start, which can precede the snapshot that saw the previous job finish.
        assertThat(startOrderPerLock).hasSize(LOCKS).allSatisfy((lock, ids) -> assertThat(ids).isSorted());
    }

    /** Fetches up to 5, marks their locks busy, completes them, until the backlog is empty. */
    private static void work(TestDatabase db, int worker, String fetchSql, Map<Long, Integer> fetchedBy, Map<String, AtomicInteger> doingPerLock,
                             Map<String, List<Long>> startOrderPerLock, AtomicInteger overlaps, AtomicInteger lockRaces) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement fetch = c.prepareStatement(fetchSql);
             PreparedStatement complete = c.prepareStatement("select id from postpone.complete_jobs_v1(?, ?, ?, null, null, null)");
             // A 1.1.0 worker records the start of what it claimed (a claim counts no attempt).
             PreparedStatement start = c.prepareStatement("select count(*) from postpone.start_jobs_v1((select jsonb_agg(jsonb_build_object("
                     + "'id', j, 'worker_id', ?::bigint, 'started_at', now())) from unnest(?::bigint[]) j), now())")) {
            while (true) {
                List<Long> ids = new ArrayList<>();
                List<String> locks = new ArrayList<>();
                try {
                    fetch.setLong(1, worker);
                    try (ResultSet rs = fetch.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                            locks.add(rs.getString(2));
                        }
                    }
                } catch (SQLException e) {
                    // Two fetches may both take the head of a lock the moment it frees; the unique index refuses one.
                    if (!"23505".equals(e.getSQLState())) throw e;
                    lockRaces.incrementAndGet();
                    continue;
                }
                if (ids.isEmpty()) {
                    if (remaining(c) == 0) return;
                    continue;
                }
                for (int i = 0; i < ids.size(); i++) {
                    Integer previous = fetchedBy.putIfAbsent(ids.get(i), worker);
                    assertThat(previous).as("job %d fetched twice", ids.get(i)).isNull();
                    if (locks.get(i) != null) {
                        // Appended after the fetch committed, so in the order the database handed the lock's jobs out.
                        startOrderPerLock.computeIfAbsent(locks.get(i), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                                .add(ids.get(i));
                    }
                    if (locks.get(i) != null && doingPerLock.computeIfAbsent(locks.get(i), k -> new AtomicInteger()).incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                }
                if (fetchSql.equals(FETCH_V2)) {
                    start.setLong(1, worker);
                    start.setArray(2, c.createArrayOf("bigint", ids.toArray()));
                    start.executeQuery().close();
                }
                // Leave the lock before completing: once the completion commits, another worker may take the next job.
                for (String lock : locks) if (lock != null) doingPerLock.get(lock).decrementAndGet();
                complete.setLong(1, worker);
                complete.setArray(2, c.createArrayOf("bigint", ids.toArray()));
                complete.setArray(3, c.createArrayOf("text", ids.stream().map(id -> "succeeded").toArray()));
                int completed = 0;
                try (ResultSet rs = complete.executeQuery()) {
                    while (rs.next()) completed++;
                }
                assertThat(completed).isEqualTo(ids.size());
            }
        }
    }

    private static long remaining(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from postpone.jobs where status in ('todo', 'doing')")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
