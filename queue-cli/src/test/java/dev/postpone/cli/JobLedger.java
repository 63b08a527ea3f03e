package dev.postpone.cli;

import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What happened to the jobs, read the way an operator would check it with psql: counts by status, the
 * jobs behind a set of ids, and the rhythm of completions. Reads the tables of the {@code postpone}
 * schema directly (a test may; the library never does), so it is the same for every release.
 */
final class JobLedger {

    /** One job as the table has it. */
    record JobRow(long id, String status, int attempts) {
    }

    private final TestDatabase db;

    JobLedger(TestDatabase db) {
        this.db = db;
    }

    /** Jobs per status, over every task. */
    Map<String, Long> countsByStatus() {
        Map<String, Long> counts = new TreeMap<>();
        query("select status, count(*) from postpone.jobs group by status", List.of(),
                rs -> counts.put(rs.getString(1), rs.getLong(2)));
        return counts;
    }

    long succeeded(Collection<Long> ids) {
        return jobs(ids).stream().filter(j -> j.status().equals("succeeded")).count();
    }

    /** The rows of {@code ids} that exist, in id order. */
    List<JobRow> jobs(Collection<Long> ids) {
        List<JobRow> rows = new ArrayList<>();
        query("select id, status, attempts from postpone.jobs where id = any(?) order by id", List.of((Object) ids.toArray(Long[]::new)),
                rs -> rows.add(new JobRow(rs.getLong(1), rs.getString(2), rs.getInt(3))));
        return rows;
    }

    long count(String task) {
        long[] n = new long[1];
        query("select count(*) from postpone.jobs where task = ?", List.of(task), rs -> n[0] = rs.getLong(1));
        return n[0];
    }

    /** The names of the (still registered) workers that ran {@code ids}, one per job that has one. */
    List<String> workersThatRan(Collection<Long> ids) {
        List<String> names = new ArrayList<>();
        query("select w.name from postpone.jobs j join postpone.workers w on w.id = j.worker_id where j.id = any(?) order by j.id",
                List.of((Object) ids.toArray(Long[]::new)), rs -> names.add(rs.getString(1)));
        return names;
    }

    /** A succeeded job that a worker whose name starts with {@code workerPrefix} ran, if any. */
    java.util.Optional<Long> succeededBy(String workerPrefix) {
        List<Long> found = new ArrayList<>();
        query("select j.id from postpone.jobs j join postpone.workers w on w.id = j.worker_id"
                        + " where j.status = 'succeeded' and w.name like ? || '%' order by j.id desc limit 1",
                List.of(workerPrefix), rs -> found.add(rs.getLong(1)));
        return found.stream().findFirst();
    }

    /** The database's clock: completion times are the database's, so the window must be too. */
    Instant now() {
        Instant[] now = new Instant[1];
        query("select clock_timestamp()", List.of(), rs -> now[0] = rs.getTimestamp(1).toInstant());
        return now[0];
    }

    /**
     * The longest time in {@code [from, to]} during which no job finished, counting from the window's
     * edges: a stream that stalled for the whole window reports the whole window.
     */
    Duration longestPauseBetweenCompletions(Instant from, Instant to) {
        List<Instant> finished = new ArrayList<>();
        finished.add(from);
        query("select finished_at from postpone.jobs where finished_at between ? and ? order by finished_at",
                List.of(java.sql.Timestamp.from(from), java.sql.Timestamp.from(to)),
                rs -> finished.add(rs.getTimestamp(1).toInstant()));
        finished.add(to);
        Duration longest = Duration.ZERO;
        for (int i = 1; i < finished.size(); i++) {
            Duration gap = Duration.between(finished.get(i - 1), finished.get(i));
            if (gap.compareTo(longest) > 0) longest = gap;
        }
        return longest;
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, List<Object> params, RowReader reader) {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                Object p = params.get(i);
                if (p instanceof Long[] array) ps.setArray(i + 1, c.createArrayOf("bigint", array));
                else ps.setObject(i + 1, p);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) reader.read(rs);
            }
        } catch (SQLException e) {
            throw new AssertionError("reading the jobs failed: " + e.getMessage(), e);
        }
    }
}
