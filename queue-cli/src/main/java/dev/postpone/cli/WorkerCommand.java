package dev.postpone.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpone.SchemaNotReadyException;
import dev.postpone.worker.PeriodicTask;
import dev.postpone.worker.Worker;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code postpone worker}: runs the application's tasks until SIGTERM or SIGINT. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {
                "Run a worker for the application's tasks until SIGTERM or SIGINT.",
                "Tasks come from the classes named with --app, else from every TaskSetProvider registered in",
                "META-INF/services on the classpath (add the application's jars with --classpath).",
                "On SIGTERM/SIGINT it stops fetching, lets running jobs finish for up to --shutdown-timeout, hands",
                "the rest back, unregisters and exits with 143 (SIGTERM) or 130 (SIGINT), as JVMs do after a clean",
                "shutdown; a second signal stops it at once."})
final class WorkerCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);
    static final String SESSION_URL_VARIABLE = "POSTPONE_SESSION_DATABASE_URL";

    @Spec
    CommandSpec spec;

    @Mixin
    AppOptions app;

    @Mixin
    LogFormatOption logFormat;

    @Option(names = "--queues", paramLabel = "QUEUES", split = ",", description = "Queues to serve, comma-separated (default: all).")
    List<String> queues = new ArrayList<>();

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "10", converter = PositiveIntConverter.class,
            description = "Jobs run at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--max-prefetch", paramLabel = "N", defaultValue = "" + Worker.DEFAULT_MAX_PREFETCH,
            description = "Most claimed jobs held waiting for a free slot, adapted to about 20 ms of work; 0: off"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxPrefetch;

    @Option(names = "--name", paramLabel = "NAME", description = "Name in 'postpone workers' and logs (default: worker-<pid>-<n>).")
    String name;

    @Option(names = "--metrics-port", paramLabel = "PORT", converter = PortConverter.class,
            description = "Serve Prometheus metrics on http://ADDR:PORT/metrics (ADDR: --metrics-bind).")
    Integer metricsPort;

    @Option(names = "--metrics-bind", paramLabel = "ADDR", converter = InetAddressConverter.class,
            description = "Address the metrics endpoint listens on (default: 127.0.0.1, this host only;"
                    + " 0.0.0.0 for every interface, e.g. in a container scraped from outside).")
    InetAddress metricsBind;

    @Option(names = "--session-database-url", paramLabel = "URL",
            description = "PostgreSQL itself (or a session-pooling PgBouncer) for the LISTEN and housekeeping connections,"
                    + " when --database-url goes through a transaction-pooling PgBouncer; user and password as in --database-url"
                    + " unless this URL names them. Default: $" + SESSION_URL_VARIABLE + ".")
    String sessionDatabaseUrl;

    @Option(names = "--shutdown-timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long running jobs may finish after SIGTERM before they are handed back (default: ${DEFAULT-VALUE}).")
    Duration shutdownTimeout;

    @Override
    public Integer call() throws InterruptedException {
        Logging.configureLongRunning(logFormat.format, spec.commandLine().getParseResult().hasMatchedOption("--verbose"));
        if (metricsBind != null && metricsPort == null) {
            throw new CliException(ExitCode.USAGE, "--metrics-bind needs --metrics-port: name the port to serve metrics on");
        }
        AppTasks tasks = app.load();
        if (tasks.tasks().isEmpty()) {
            throw new CliException(ExitCode.USAGE, "no tasks to run: name a TaskSetProvider with --app (and its jar with"
                    + " --classpath), or add a jar that lists one in META-INF/services/dev.postpone.TaskSetProvider");
        }
        ConnectionOptions db = ConnectionOptions.of(spec);
        DatabaseTarget target = db.target();
        ConnectionOptions.probe(target.dataSource(), target);
        // The worker's own connections only: the application's handlers cannot reach this pool, they bring their own.
        HikariDataSource pool = Pools.open(target, Worker.CONNECTIONS, "postpone-worker");
        // Handlers may load resources or use ServiceLoader: let them see the application's classes.
        Thread.currentThread().setContextClassLoader(tasks.loader());
        Worker.Builder builder = Worker.builder(pool, tasks.tasks())
                .schema(db.schemaName().value())
                .concurrency(concurrency)
                .maxPrefetch(maxPrefetch)
                .shutdownTimeout(shutdownTimeout)
                .registerShutdownHook();
        if (!tasks.periodic().isEmpty()) builder.periodic(tasks.periodic().toArray(PeriodicTask<?>[]::new));
        if (!queues.isEmpty()) builder.queues(queues);
        if (name != null) builder.name(name);
        sessionTarget(target).ifPresent(session -> {
            ConnectionOptions.probe(session.dataSource(), session);
            builder.sessionDataSource(session.dataSource());
        });
        if (metricsPort != null) builder.prometheusPort(metricsPort);
        if (metricsBind != null) builder.prometheusBind(metricsBind);
        Worker worker;
        try {
            worker = builder.start();
        } catch (SchemaNotReadyException e) {
            pool.close();
            throw ConnectionOptions.schemaNotReady(e);
        } catch (UncheckedIOException e) {
            // The only I/O at start is binding the metrics endpoint (e.g. the port is taken).
            pool.close();
            throw new CliException(ExitCode.FAILED, ConnectionFailure.firstLine(e.getMessage())
                    + "; choose another --metrics-port (or --metrics-bind)", e);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        log.info("worker.ready name={} tasks={} periodic={} from={} queues={} concurrency={}", worker.name(),
                tasks.tasks().tasks().stream().map(t -> t.name()).toList(),
                tasks.periodic().stream().map(PeriodicTask::toString).toList(), tasks.sources(),
                queues.isEmpty() ? "all" : queues, concurrency);
        if (metricsPort != null) {
            String host = metricsBind == null ? "127.0.0.1" : metricsBind.getHostAddress();
            log.info("worker.metrics url=http://{}:{}/metrics", host.contains(":") ? "[" + host + "]" : host, worker.prometheusPort());
        }
        // Started (and warmed up): the classes a worker's start needs are loaded; its archive is worth keeping.
        ClassDataArchive.keepRecording();
        worker.awaitStopped();
        // Reached when the worker stopped by itself (e.g. a post migration removed what it needs);
        // after a signal the JVM exits from its shutdown hook with 143 or 130 instead.
        pool.close();
        // A supervisor must start the newer release now, not restart this one: say so with the schema code.
        worker.schemaIncompatibility().ifPresent(reason -> {
            throw new CliException(ExitCode.SCHEMA_NOT_READY, "worker stopped: " + reason);
        });
        return ExitCode.OK.code();
    }

    /** {@code --session-database-url} (else its variable), with the main target's credentials unless it names its own. */
    private java.util.Optional<DatabaseTarget> sessionTarget(DatabaseTarget main) {
        String url = sessionDatabaseUrl != null ? sessionDatabaseUrl : System.getenv(SESSION_URL_VARIABLE);
        if (url == null || url.isBlank()) return java.util.Optional.empty();
        return java.util.Optional.of(DatabaseTarget.parse(url, sessionDatabaseUrl != null ? "--session-database-url" : SESSION_URL_VARIABLE)
                .withCredentialsOf(main));
    }
}
