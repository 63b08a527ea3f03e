package dev.postpone.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postpone.bench.BacklogBench;
import dev.postpone.bench.BenchConfig;
import dev.postpone.bench.BenchReport;
import dev.postpone.bench.Benchmark;
import dev.postpone.bench.DatabaseAddress;
import dev.postpone.bench.SoakBench;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code postpone bench}: throughput and latency next to the PostgreSQL ceiling measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
                "Measure throughput and latency next to the PostgreSQL ceiling measured in the same run.",
                "Ceiling: minimal queue SQL over JDBC, one job per round trip and batched by 100.",
                "Enqueue: defer one job per call, deferAll in batches of 1 000, and deferAll of all jobs at once.",
                "Work: a worker JVM draining no-op jobs at concurrency 10, 10 with prefetch off, 50 and 200,",
                "and two worker processes at concurrency 10; worker CPU per 1 000 jobs, heap and RSS.",
                "Latency: enqueue to start on an idle worker, with LISTEN via pgjdbc or pgjdbc-ng, and poll only;",
                "and in a fresh application JVM, one second after its worker started (cold) and after warm-up jobs (warm).",
                "Runs in a scratch schema it creates and drops.",
                "Without a configured database it starts an embedded PostgreSQL.",
                "Each scenario is repeated; medians are shown."})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--jobs", paramLabel = "N", description = "Jobs per throughput scenario (default: ${DEFAULT-VALUE}).")
    int jobs = BenchConfig.defaults().jobs();

    @Option(names = "--repetitions", paramLabel = "N", description = "Runs of each scenario (default: ${DEFAULT-VALUE}).")
    int repetitions = BenchConfig.defaults().repetitions();

    @Option(names = "--latency-jobs", paramLabel = "N", description = "Jobs of each latency run (default: ${DEFAULT-VALUE}).")
    int latencyJobs = BenchConfig.defaults().latencyJobs();

    @Option(names = "--warm-up-jobs", paramLabel = "N",
            description = "Jobs each worker JVM runs before its measured window, for JIT warm-up (default: ${DEFAULT-VALUE}).")
    int warmUpJobs = BenchConfig.defaults().warmUpJobs();

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "queue",
            description = "queue: the scenarios above (default); backlog: the cost of one fetch and a worker's throughput"
                    + " behind --backlog-jobs jobs of each kind it must skip (scheduled, behind a busy lock, sharing a free"
                    + " lock, finished, another queue, a paused queue), next to the same run without a backlog;"
                    + " soak: --soak-finished finished jobs, then --soak-rate new jobs/s for --soak-duration, run and cleaned"
                    + " by a worker; table and index sizes, dead tuples and fetch cost at the start and the end;"
                    + " dashboard: server time of the dashboard's pages over"
                    + " --dashboard-jobs jobs, in a schema filled once and kept (postpone_bench_dashboard).")
    String scenario;

    @Option(names = "--backlog-jobs", paramLabel = "N", defaultValue = "300000",
            description = "Jobs of each kind of backlog in the backlog scenario (default: ${DEFAULT-VALUE}).")
    int backlogJobs;

    @Option(names = "--soak-finished", paramLabel = "N", defaultValue = "10000000",
            description = "Finished jobs in the table when the soak scenario starts (default: ${DEFAULT-VALUE}).")
    long soakFinished;

    @Option(names = "--soak-rate", paramLabel = "JOBS_PER_S", defaultValue = "2000",
            description = "New jobs per second in the soak scenario (default: ${DEFAULT-VALUE}).")
    int soakRate;

    @Option(names = "--soak-duration", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long the soak scenario defers jobs, e.g. 10m or 1h (default: ${DEFAULT-VALUE}).")
    Duration soakDuration;

    @Option(names = "--dashboard-jobs", paramLabel = "N", defaultValue = "10000000",
            description = "Jobs in the dashboard scenario's table (default: ${DEFAULT-VALUE}).")
    long dashboardJobs;

    @Option(names = "--smoke", description = "Tiny sizes that finish in seconds (checks the bench works, measures nothing useful).")
    boolean smoke;

    @Override
    public Integer call() throws Exception {
        Logging.configure(Logging.Format.TEXT, ch.qos.logback.classic.Level.WARN);
        ConnectionOptions db = ConnectionOptions.of(spec);
        PrintWriter err = spec.commandLine().getErr();
        BenchConfig defaults = BenchConfig.defaults();
        BenchConfig config = smoke ? BenchConfig.smoke()
                : new BenchConfig(jobs, repetitions, defaults.connections(), latencyJobs, defaults.latencyGapMillis(),
                        defaults.memoryConcurrency(), warmUpJobs);
        if (!List.of("queue", "backlog", "soak", "dashboard").contains(scenario)) {
            throw new CliException(ExitCode.USAGE, "unknown --scenario '" + scenario + "': expected queue, backlog, soak or dashboard");
        }
        SoakBench.Config soak;
        try {
            soak = smoke ? new SoakBench.Config(20_000, 200, Duration.ofSeconds(5)) : new SoakBench.Config(soakFinished, soakRate, soakDuration);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage());
        }
        if (backlogJobs < 1) throw new CliException(ExitCode.USAGE, "--backlog-jobs must be at least 1: " + backlogJobs);
        try (DatabaseOrEmbedded database = DatabaseOrEmbedded.open(db.databaseUrl, System.getenv(), err)) {
            DatabaseTarget target = database.target();
            ConnectionOptions.probe(target.dataSource(), target);
            if (scenario.equals("dashboard")) {
                long n = smoke ? 20_000 : dashboardJobs;
                var results = new dev.postpone.bench.DashboardBench(new DatabaseAddress(target.jdbcUrl(), target.user(),
                        target.password()), n, err).run();
                spec.commandLine().getOut().print(dev.postpone.bench.DashboardBench.table(results, n));
                spec.commandLine().getOut().flush();
                return ExitCode.OK.code();
            }
            if (scenario.equals("soak")) {
                SoakBench bench = new SoakBench(new DatabaseAddress(target.jdbcUrl(), target.user(), target.password()), soak, err);
                var readings = bench.run();
                spec.commandLine().getOut().print(SoakBench.table(readings, soak, bench.autovacuum()));
                spec.commandLine().getOut().flush();
                return ExitCode.OK.code();
            }
            if (scenario.equals("backlog")) {
                int backlog = smoke ? 2_000 : backlogJobs;
                var results = new BacklogBench(new DatabaseAddress(target.jdbcUrl(), target.user(), target.password()),
                        backlog, config.jobs(), config.warmUpJobs(), err).run();
                spec.commandLine().getOut().print(BacklogBench.table(results, backlog, config.jobs()));
                spec.commandLine().getOut().flush();
                return ExitCode.OK.code();
            }
            BenchReport report = new Benchmark(new DatabaseAddress(target.jdbcUrl(), target.user(), target.password()),
                    config, new ProgressBar(err)).run();
            err.println();
            PrintWriter out = spec.commandLine().getOut();
            out.print(output.json ? report.json(new ObjectMapper()) + "\n" : report.table());
            out.flush();
            return ExitCode.OK.code();
        }
    }

    /** A one-line progress bar on stderr. */
    private record ProgressBar(PrintWriter err) implements Benchmark.Progress {
        @Override
        public void step(String description, int index, int total) {
            int width = 30;
            int filled = Math.min(width, width * (index - 1) / Math.max(1, total));
            err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + index + "/" + total + " "
                    + String.format("%-60.60s", description));
            err.flush();
        }
    }
}
