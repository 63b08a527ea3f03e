package dev.postpone.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpone.Postpone;
import dev.postpone.DeferOptions;
import dev.postpone.schema.Migrator;
import dev.postpone.schema.SchemaName;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.LongStream;

/**
 * {@code postpone bench --scenario backlog}: what one fetch costs, and how fast a worker drains due jobs,
 * when the table also holds a backlog the fetch must skip — jobs scheduled for later, a chain behind a
 * busy lock, a chain sharing one free lock, finished jobs, another queue's jobs, a paused queue's jobs —
 * next to the same run without a backlog. Runs in a scratch schema it creates and drops.
 *
 * <p>Fetch cost is {@code EXPLAIN (ANALYZE, BUFFERS)} of one {@code fetch_jobs_v2} call of 10 jobs, rolled
 * back, plans warm: shared buffers touched (the stable measure on a busy machine) and milliseconds.
 * Backlog jobs have priority -1 and the measured jobs 0, so the drain ends when the measured jobs are done.
 */
public final class BacklogBench {

    /** One kind of backlog: the SQL that adds it (%1$s = the jobs table, %2$d = its size) and the queues the worker serves. */
    record Kind(String name, String fillSql, List<String> queues) {}

    /** A kind's measurements. */
    public record Result(String kind, long fetchBuffers, double fetchMillis, double jobsPerSecond) {}

    static final List<Kind> KINDS = List.of(
            new Kind("none", "", List.of(NoOp.QUEUE)),
            new Kind("scheduled for later", """
                    insert into %1$s (queue, task, priority, scheduled_at)
                    select 'bench', 'bench.noop', -1, now() + interval '1 day' from generate_series(1, %2$d)""",
                    List.of(NoOp.QUEUE)),
            new Kind("behind one busy lock", """
                    insert into %1$s (queue, task, priority, lock, status, worker_id, attempts, started_at)
                    values ('bench', 'bench.noop', -1, 'busy', 'doing', %3$d, 1, now());
                    insert into %1$s (queue, task, priority, lock)
                    select 'bench', 'bench.noop', -1, 'busy' from generate_series(1, %2$d)""",
                    List.of(NoOp.QUEUE)),
            new Kind("sharing one free lock", """
                    insert into %1$s (queue, task, priority, lock)
                    select 'bench', 'bench.noop', -1, 'serial' from generate_series(1, %2$d)""",
                    List.of(NoOp.QUEUE)),
            new Kind("finished", """
                    insert into %1$s (queue, task, status, attempts, started_at, finished_at)
                    select 'bench', 'bench.noop', 'succeeded', 1, now() - interval '1 hour', now() - interval '1 hour'
                    from generate_series(1, %2$d)""",
                    List.of(NoOp.QUEUE)),
            new Kind("in another queue", """
                    insert into %1$s (queue, task, priority)
                    select 'other', 'bench.noop', -1 from generate_series(1, %2$d)""",
                    List.of(NoOp.QUEUE)),
            new Kind("in a paused queue (worker serves all)", """
                    insert into %1$s (queue, task, priority)
                    select 'paused', 'bench.noop', -1 from generate_series(1, %2$d);
                    select pause_queue_v1('{"queue": "paused", "by": "bench"}', now())""",
                    List.of()));

    private static final int FETCH_ROUNDS = 7;
    private static final int FETCH_WARM_UP = 3;

    private final DatabaseAddress database;
    private final int backlog;
    private final int jobs;
    private final int warmUpJobs;
    private final PrintWriter progress;
    private final String schema = "postpone_bench_" + UUID.randomUUID().toString().substring(0, 8);

    public BacklogBench(DatabaseAddress database, int backlog, int jobs, int warmUpJobs, PrintWriter progress) {
        this.database = database;
        this.backlog = backlog;
        this.jobs = jobs;
        this.warmUpJobs = warmUpJobs;
        this.progress = progress;
    }

    public List<Result> run() throws Exception {
        SchemaName name = SchemaName.of(schema);
        try (HikariDataSource pool = database.pool(4)) {
            Migrator.builder(pool).schema(schema).build().migrate();
            try (Postpone client = Postpone.builder(pool).schema(schema).registerClient(false).build()) {
                WorkBench work = new WorkBench(database, schema);
                List<Result> results = new ArrayList<>();
                for (Kind kind : KINDS) {
                    progress.printf(Locale.ROOT, "backlog bench: %s (%,d jobs)…%n", kind.name(), kind.fillSql().isEmpty() ? 0 : backlog);
                    progress.flush();
                    long holder = prepare(pool, name, kind);
                    client.deferAll(NoOp.task(() -> { }), LongStream.range(0, warmUpJobs).mapToObj(i -> new NoOp.Args((int) i)).toList(),
                            DeferOptions.defaults().priority(WorkBench.WARM_UP_PRIORITY));
                    client.deferAll(NoOp.task(() -> { }), LongStream.range(0, jobs).mapToObj(i -> new NoOp.Args((int) i)).toList());
                    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                        st.execute("vacuum analyze " + name.qualify("jobs"));
                    }
                    FetchCost.Cost fetch;
                    try (Connection c = pool.getConnection()) {
                        fetch = FetchCost.measure(c, name, holder, kind.queues(), FETCH_WARM_UP, FETCH_ROUNDS);
                    }
                    WorkBench.Drain drain = work.drain(jobs, 10, 0, 1, kind.queues());
                    results.add(new Result(kind.name(), (long) fetch.buffers(), fetch.millis(), drain.jobsPerSecond()));
                }
                return results;
            }
        } finally {
            try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("drop schema if exists " + name.quoted() + " cascade");
            }
        }
    }

    /** Empties the tables, registers the worker that holds the busy lock (alive for the run), adds the backlog. */
    private long prepare(HikariDataSource pool, SchemaName name, Kind kind) throws Exception {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("set search_path to " + name.quoted());
            st.execute("truncate jobs, workers, queue_pauses cascade");
            long holder;
            try (ResultSet rs = st.executeQuery("""
                    insert into workers (name, host, release, started_at, last_heartbeat, stalled_after)
                    values ('backlog-holder', 'bench', 'bench', now(), now(), interval '1 day') returning id""")) {
                rs.next();
                holder = rs.getLong(1);
            }
            if (!kind.fillSql().isEmpty()) {
                st.execute("set synchronous_commit = off");
                st.execute(String.format(Locale.ROOT, kind.fillSql(), "jobs", backlog, holder));
            }
            return holder;
        }
    }

    /** The results as a table, each kind next to the run without a backlog. */
    public static String table(List<Result> results, int backlog, int jobs) {
        Result none = results.get(0);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT,
                "fetch of 10 jobs and work (1 worker, concurrency 10, %,d no-op jobs) behind %,d backlog jobs of each kind", jobs, backlog));
        lines.add(String.format(Locale.ROOT, "%-38s %10s %6s %9s %6s %10s %6s",
                "BACKLOG", "FETCH BUF", "x", "FETCH MS", "x", "WORK JOB/S", "x"));
        for (Result r : results) {
            lines.add(String.format(Locale.ROOT, "%-38s %10d %6.2f %9.2f %6.2f %10.0f %6.2f", r.kind(),
                    r.fetchBuffers(), r.fetchBuffers() / (double) Math.max(1, none.fetchBuffers()),
                    r.fetchMillis(), r.fetchMillis() / Math.max(0.001, none.fetchMillis()),
                    r.jobsPerSecond(), r.jobsPerSecond() / Math.max(1, none.jobsPerSecond())));
        }
        return String.join("\n", lines) + "\n";
    }
}
