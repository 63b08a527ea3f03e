package dev.postpone.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.JobStatus;
import dev.postpone.schema.Migrator;
import dev.postpone.schema.SchemaName;
import dev.postpone.worker.Retention;
import dev.postpone.worker.Worker;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * {@code postpone bench --scenario soak}: a jobs table that starts with {@code finished} finished jobs
 * spread over the retention window, then takes {@code rate} new jobs per second for {@code duration},
 * run by a worker (default settings, concurrency 10) whose cleaner deletes what ages out of a retention
 * of {@code finished / rate} seconds — so at a steady state the cleaner must delete as fast as jobs
 * arrive. Prints table and index sizes, dead tuples, what waits, the oldest finished job and the cost
 * of one fetch at the start and the end. Runs in a scratch schema it creates and drops.
 */
public final class SoakBench {

    /** The sizes of one soak run. */
    public record Config(long finished, int rate, Duration duration) {
        public Config {
            if (finished < 1) throw new IllegalArgumentException("--soak-finished must be at least 1");
            if (rate < 10) throw new IllegalArgumentException("--soak-rate must be at least 10 jobs/s");
            if (duration.toSeconds() < 1) throw new IllegalArgumentException("--soak-duration must be at least 1 s");
        }

        Duration retention() {
            return Duration.ofMillis(finished * 1000 / rate);
        }
    }

    /** Readings of the table at one moment, by name, in the order they are printed. */
    public record Reading(Map<String, Double> values) {}

    private static final int TICKS_PER_SECOND = 10;
    /** How often the table is sampled during the run, for the peak column. */
    private static final int SAMPLE_SECONDS = 10;

    /** The largest value of each reading taken during the run: bloat and backlog come and go between vacuums. */
    private static final class Peak {
        private final Map<String, Double> values = new LinkedHashMap<>();

        void add(Reading r) {
            r.values().forEach((k, v) -> values.merge(k, v, Math::max));
        }

        Reading reading() {
            return new Reading(values);
        }
    }

    private final DatabaseAddress database;
    private final Config config;
    private final PrintWriter progress;
    private final String schema = "postpone_bench_" + UUID.randomUUID().toString().substring(0, 8);
    private final SchemaName name = SchemaName.of(schema);
    private String autovacuum = "?";

    public SoakBench(DatabaseAddress database, Config config, PrintWriter progress) {
        this.database = database;
        this.config = config;
        this.progress = progress;
    }

    /** The server's autovacuum setting during the run (the table's own settings apply only when it is on). */
    public String autovacuum() {
        return autovacuum;
    }

    /** Readings at the start, the peaks sampled every 10 s during the run, and at the end. */
    public List<Reading> run() throws Exception {
        try (HikariDataSource pool = database.pool(4)) {
            Migrator.builder(pool).schema(schema).build().migrate();
            fill(pool);
            Reading start = read(pool, true);
            Peak peak = new Peak();
            Reading end;
            AtomicLong ran = new AtomicLong();
            Task<NoOp.Args> task = NoOp.task(ran::incrementAndGet);
            Retention retention = Retention.of(config.retention(), JobStatus.SUCCEEDED, JobStatus.CANCELLED);
            try (Postpone client = Postpone.builder(pool).schema(schema).registerClient(false).build();
                 Worker worker = Worker.builder(database.dataSource(), TaskSet.of(task)).schema(schema).concurrency(10)
                         .retention(retention).name("soak").start()) {
                produce(pool, client, task, peak);
                end = read(pool, true); // while the worker still runs: what waits is what it did not keep up with
                peak.add(end);
            }
            return List.of(start, peak.reading(), end);
        } finally {
            try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("drop schema if exists " + name.quoted() + " cascade");
            }
        }
    }

    /** Finished jobs spread evenly over the retention window, newest now, as a worker and its cleaner would leave them. */
    private void fill(HikariDataSource pool) throws Exception {
        progress.printf(Locale.ROOT, "soak bench: filling %,d finished jobs over a retention of %d s…%n", config.finished(),
                config.retention().toSeconds());
        progress.flush();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("set synchronous_commit = off");
            st.execute(String.format(Locale.ROOT, """
                    insert into %s (queue, task, args, status, attempts, created_at, started_at, finished_at)
                    select 'bench', 'bench.noop', jsonb_build_object('n', i), 'succeeded', 1, t, t, t
                    from (select i, now() - %d * interval '1 millisecond' * (1 - i::float8 / %d) as t
                          from generate_series(1, %d) i) g""",
                    name.qualify("jobs"), config.retention().toMillis(), config.finished(), config.finished()));
            st.execute("vacuum analyze " + name.qualify("jobs"));
        }
    }

    /** Defers {@code rate} jobs a second in batches every 100 ms, at a fixed rate that does not drift. */
    private void produce(HikariDataSource pool, Postpone client, Task<NoOp.Args> task, Peak peak) throws Exception {
        progress.printf(Locale.ROOT, "soak bench: %,d jobs/s for %d s…%n", config.rate(), config.duration().toSeconds());
        progress.flush();
        int perTick = config.rate() / TICKS_PER_SECOND;
        List<NoOp.Args> batch = IntStream.range(0, perTick).mapToObj(NoOp.Args::new).toList();
        long tickNanos = 1_000_000_000L / TICKS_PER_SECOND;
        long begin = System.nanoTime();
        long ticks = config.duration().toSeconds() * TICKS_PER_SECOND;
        for (long tick = 0; tick < ticks; tick++) {
            long due = begin + tick * tickNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            client.deferAll(task, batch);
            if (tick % (SAMPLE_SECONDS * TICKS_PER_SECOND) == 0) peak.add(read(pool, false));
            if (tick % (60L * TICKS_PER_SECOND) == 0 && tick > 0) {
                progress.printf(Locale.ROOT, "soak bench: %d s%n", tick / TICKS_PER_SECOND);
                progress.flush();
            }
        }
    }

    /** A reading; {@code analyze} refreshes the live-tuple estimate first (too slow for the samples taken during the run). */
    private Reading read(HikariDataSource pool, boolean analyze) throws Exception {
        Map<String, Double> values = new LinkedHashMap<>();
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            if (analyze) st.execute("analyze " + name.qualify("jobs"));
            try (ResultSet rs = st.executeQuery(String.format(Locale.ROOT, """
                    select pg_relation_size('%1$s') / 1048576.0, pg_indexes_size('%1$s') / 1048576.0,
                           s.n_live_tup, s.n_dead_tup, s.autovacuum_count + s.vacuum_count,
                           (select count(*) from %1$s where status = 'todo' and scheduled_at <= now()),
                           (select count(*) from %1$s where status = 'doing'),
                           extract(epoch from now() - (select min(finished_at) from %1$s
                                                       where status in ('succeeded', 'failed', 'cancelled')))
                    from pg_stat_user_tables s where s.relid = '%1$s'::regclass""", name.qualify("jobs")))) {
                rs.next();
                values.put("jobs table, MB", rs.getDouble(1));
                values.put("jobs indexes, MB", rs.getDouble(2));
                values.put("live tuples", rs.getDouble(3));
                values.put("dead tuples", rs.getDouble(4));
                values.put("vacuums so far", rs.getDouble(5));
                values.put("jobs waiting (due)", rs.getDouble(6));
                values.put("jobs running", rs.getDouble(7));
                values.put("oldest finished job, s (retention " + config.retention().toSeconds() + " s)", rs.getDouble(8));
            }
            values.put("fetch of 10 jobs, shared buffers", FetchCost.measure(c, name, 0, List.of(), 2, 1).buffers());
            try (ResultSet rs = st.executeQuery("select current_setting('autovacuum')")) {
                rs.next();
                autovacuum = rs.getString(1);
            }
        }
        return new Reading(values);
    }

    /** Start and end side by side. */
    public static String table(List<Reading> readings, Config config, String autovacuum) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "soak: %,d finished jobs, then %,d jobs/s for %d s (worker concurrency 10, retention %d s,"
                        + " server autovacuum=%s)",
                config.finished(), config.rate(), config.duration().toSeconds(), config.retention().toSeconds(), autovacuum));
        lines.add(String.format(Locale.ROOT, "%-48s %14s %14s %14s", "", "START", "PEAK", "END"));
        for (String key : readings.get(0).values().keySet()) {
            lines.add(String.format(Locale.ROOT, "%-48s %14s %14s %14s", key, number(readings.get(0).values().get(key)),
                    number(readings.get(1).values().get(key)), number(readings.get(2).values().get(key))));
        }
        return String.join("\n", lines) + "\n";
    }

    /** Counts without decimals, sizes and seconds with one. */
    private static String number(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%,.1f", value);
    }
}
