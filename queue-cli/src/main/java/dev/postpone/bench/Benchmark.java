package dev.postpone.bench;

import dev.postpone.DeferOptions;
import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.schema.Migrator;
import dev.postpone.schema.SchemaName;
import dev.postpone.worker.Worker;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/**
 * {@code postpone bench}: Postpone's throughput and latency next to what PostgreSQL itself allows,
 * measured in the same run on the same database, in a scratch schema created for the run and
 * dropped afterwards. Each scenario runs {@code repetitions} times; the median is reported.
 */
public final class Benchmark {

    /** Reports which step is running, for a progress bar. */
    public interface Progress {
        void step(String description, int index, int total);
    }

    private static final int STEPS_PER_REPETITION = 16;

    private final DatabaseAddress database;
    private final BenchConfig config;
    private final Progress progress;
    private final DataSource dataSource;
    private final String schema = "postpone_bench_" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Measurement> results = new LinkedHashMap<>();
    private int step;

    public Benchmark(DatabaseAddress database, BenchConfig config, Progress progress) {
        this.database = database;
        this.config = config;
        this.progress = progress;
        this.dataSource = database.dataSource();
    }

    public BenchReport run() throws Exception {
        Map<String, String> environment = environment();
        Migrator.builder(dataSource).schema(schema).build().migrate();
        // The client gets a pool, as in an application; the worker components hold their own connections.
        try (HikariDataSource pool = database.pool(4); Postpone client = Postpone.builder(pool).schema(schema).build()) {
            CeilingBench ceiling = new CeilingBench(dataSource, SchemaName.of(schema).quoted());
            ceiling.createTable();
            Task<NoOp.Args> noOp = NoOp.task(() -> { });
            EnqueueBench enqueue = new EnqueueBench(client, noOp);
            WorkBench work = new WorkBench(database, schema);
            LatencyBench latency = new LatencyBench(dataSource, database.urlWithCredentials(), schema);
            WorkerLatencyBench processLatency = new WorkerLatencyBench(database, schema);
            int n = config.jobs();
            for (int r = 0; r < config.repetitions(); r++) {
                record("ceiling", "insert, one per round trip, 1 connection", "jobs/s", null, () -> ceiling.insertOneByOne(n));
                record("ceiling", "job, one per round trip", "jobs/s", null, () -> ceiling.oneByOne(n, config.connections()));
                record("ceiling", "job, batched by 100", "jobs/s", null, () -> ceiling.batched(n, config.connections()));

                record("enqueue", "defer, one call per job, 1 thread", "jobs/s",
                        "ceiling/insert, one per round trip, 1 connection", () -> clean(() -> enqueue.single(n)));
                record("enqueue", "deferAll, 1 000 per call", "jobs/s", null, () -> clean(() -> enqueue.batches(n)));
                record("enqueue", "deferAll, all in one call", "jobs/s", null, () -> clean(() -> enqueue.bulk(n)));

                // Default settings (prefetch on, Worker.DEFAULT_MAX_PREFETCH), then prefetch off for comparison.
                WorkBench.Drain c10 = drain(client, work, noOp, n, 10, Worker.DEFAULT_MAX_PREFETCH, 1, "concurrency 10, 1 worker");
                drain(client, work, noOp, n, 10, 0, 1, "concurrency 10, 1 worker, prefetch off");
                add("work", "worker CPU per 1 000 jobs (concurrency 10)", "s", null, c10.cpuSecondsPerThousand());
                add("memory", "worker heap used after work, concurrency 10", "MB", null, c10.heapMb());
                add("memory", "worker RSS after work, concurrency 10", "MB", null, c10.rssMb());
                drain(client, work, noOp, n, 50, Worker.DEFAULT_MAX_PREFETCH, 1, "concurrency 50, 1 worker");
                drain(client, work, noOp, n, 10, Worker.DEFAULT_MAX_PREFETCH, 2, "concurrency 10, 2 worker processes");
                WorkBench.Drain big = drain(client, work, noOp, n, config.memoryConcurrency(), Worker.DEFAULT_MAX_PREFETCH, 1,
                        "concurrency " + config.memoryConcurrency() + ", 1 worker");
                add("memory", "worker heap used after work, concurrency " + config.memoryConcurrency(), "MB", null, big.heapMb());
                add("memory", "worker RSS after work, concurrency " + config.memoryConcurrency(), "MB", null, big.rssMb());

                latency(client, latency, LatencyBench.Mode.LISTEN_PGJDBC, "LISTEN (pgjdbc)", Duration.ofSeconds(2));
                latency(client, latency, LatencyBench.Mode.LISTEN_PGJDBC_NG, "LISTEN (pgjdbc-ng)", Duration.ofSeconds(2));
                latency(client, latency, LatencyBench.Mode.POLL_ONLY, "poll only, 2 s interval", Duration.ofSeconds(2));
                processLatency("cold worker process (from the defer call)", processLatency, 0);
                processLatency("warm worker process (from the defer call)", processLatency, config.warmUpJobs());
            }
        } finally {
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                st.execute("drop schema if exists " + SchemaName.of(schema).quoted() + " cascade");
            }
        }
        return new BenchReport(environment, new ArrayList<>(results.values()));
    }

    private WorkBench.Drain drain(Postpone client, WorkBench work, Task<NoOp.Args> task, int jobs, int concurrency,
                                  int maxPrefetch, int processes, String name) throws Exception {
        progress.step("work: " + name, ++step, total());
        truncateJobs();
        client.deferAll(task, LongStream.range(0, config.warmUpJobs()).mapToObj(i -> new NoOp.Args((int) i)).toList(),
                DeferOptions.defaults().priority(WorkBench.WARM_UP_PRIORITY));
        client.deferAll(task, LongStream.range(0, jobs).mapToObj(i -> new NoOp.Args((int) i)).toList());
        vacuum();
        WorkBench.Drain d = work.drain(jobs, concurrency, maxPrefetch, processes);
        add("work", name, "jobs/s", "ceiling/job, batched by 100", d.jobsPerSecond());
        return d;
    }

    private void latency(Postpone client, LatencyBench bench, LatencyBench.Mode mode, String name, Duration poll) throws Exception {
        progress.step("latency: " + name, ++step, total());
        truncateJobs();
        add(name, bench.measure(client, mode, config.latencyJobs(), config.latencyGapMillis(), poll));
    }

    /** A fresh application JVM (client and worker): cold when it runs no warm-up jobs before the measured ones. */
    private void processLatency(String name, WorkerLatencyBench bench, int warmUpJobs) throws Exception {
        progress.step("latency: " + name, ++step, total());
        truncateJobs();
        add(name, bench.measure(warmUpJobs, config.latencyJobs(), config.latencyGapMillis()));
    }

    private void add(String name, LatencyBench.Percentiles p) {
        add("latency", name + " p50", "ms", null, p.p50());
        add("latency", name + " p95", "ms", null, p.p95());
        add("latency", name + " p99", "ms", null, p.p99());
        add("latency", name + " max", "ms", null, p.max());
    }

    private interface Run {
        double run() throws Exception;
    }

    private void record(String scenario, String name, String unit, String ratioTo, Run run) throws Exception {
        progress.step(scenario + ": " + name, ++step, total());
        add(scenario, name, unit, ratioTo, run.run());
    }

    private double clean(Run run) throws Exception {
        truncateJobs();
        return run.run();
    }

    private void add(String scenario, String name, String unit, String ratioTo, double value) {
        String key = scenario + "/" + name;
        Measurement old = results.get(key);
        List<Double> values = new ArrayList<>(old == null ? List.of() : old.values());
        values.add(value);
        results.put(key, new Measurement(scenario, name, unit, values, ratioTo));
    }

    private int total() {
        return STEPS_PER_REPETITION * config.repetitions();
    }

    private void truncateJobs() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("truncate " + SchemaName.of(schema).qualify("jobs"));
        }
    }

    private void vacuum() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("vacuum analyze " + SchemaName.of(schema).qualify("jobs"));
        }
    }

    private Map<String, String> environment() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select version(), current_setting('synchronous_commit'), current_setting('fsync')")) {
            rs.next();
            env.put("postgresql", rs.getString(1).replaceAll(" on .*", "") + " (synchronous_commit=" + rs.getString(2)
                    + ", fsync=" + rs.getString(3) + ")");
        }
        env.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        env.put("cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        env.put("sizes", "jobs=" + config.jobs() + " (after " + config.warmUpJobs() + " warm-up jobs per worker JVM)"
                + " repetitions=" + config.repetitions() + " ceiling connections="
                + config.connections() + " latency jobs=" + config.latencyJobs() + " every " + config.latencyGapMillis() + " ms");
        return env;
    }
}
