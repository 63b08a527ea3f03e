package dev.postpone.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpone.Postpone;
import dev.postpone.SchemaNotReadyException;
import dev.postpone.dashboard.Authenticator;
import dev.postpone.dashboard.Dashboard;
import dev.postpone.dashboard.DashboardServer;
import dev.postpone.dashboard.PeriodicSchedules;
import dev.postpone.dashboard.SecretFields;
import dev.postpone.demo.DemoTasks;
import dev.postpone.schema.MigrationTarget;
import dev.postpone.schema.Migrator;
import dev.postpone.schema.Release;
import dev.postpone.worker.PeriodicTask;
import dev.postpone.worker.Worker;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code postpone dashboard}: the web dashboard on the configured database, or a live demo. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {
                "Serve the web dashboard: queues, jobs, workers, periodic tasks and the schema.",
                "It retries, cancels and deletes jobs (one by one and in bulk). It listens on 127.0.0.1 unless",
                "--bind says otherwise; binding another address needs a password in POSTPONE_DASHBOARD_PASSWORD",
                "(HTTP basic authentication, user POSTPONE_DASHBOARD_USER or 'postpone'). Argument fields whose",
                "names look secret are never shown.",
                "With --demo it runs the demo's tasks on a worker and defers a mix of jobs every second, on an",
                "embedded PostgreSQL when no database is configured. Stop it with Ctrl-C."})
final class DashboardCommand implements Callable<Integer> {

    static final String PASSWORD_ENV = "POSTPONE_DASHBOARD_PASSWORD";
    static final String USER_ENV = "POSTPONE_DASHBOARD_USER";

    @Spec
    CommandSpec spec;

    @Mixin
    LogFormatOption logFormat;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", converter = PortConverter.OrAny.class,
            description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1", converter = InetAddressConverter.class,
            description = "Address to listen on (default: ${DEFAULT-VALUE}). Another address needs " + PASSWORD_ENV + ".")
    InetAddress bind;

    @Option(names = "--path", paramLabel = "PATH", defaultValue = "/",
            description = "Path to serve it under, e.g. /postpone behind a proxy (default: ${DEFAULT-VALUE}).")
    String path;

    @Option(names = "--read-only", description = "Hide every action; the server refuses them too.")
    boolean readOnly;

    @Option(names = "--secret-fields", paramLabel = "REGEX",
            description = "Argument fields whose names this regular expression finds are shown as [secret]"
                    + " (default: password, secret, token, api key, credential, private key, authorization, cookie, …).")
    String secretFields;

    @Option(names = "--demo", description = "Run the demo's tasks on a worker and defer jobs continuously, to see the dashboard live.")
    boolean demo;

    @Override
    public Integer call() throws Exception {
        boolean verbose = spec.commandLine().getParseResult().hasMatchedOption("--verbose");
        Logging.configureLongRunning(logFormat.format, verbose);
        if (demo && !verbose) {
            // The demo's jobs log every run; keep the terminal for the URL and the dashboard's own action log.
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.postpone.job")).setLevel(ch.qos.logback.classic.Level.WARN);
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.postpone.worker")).setLevel(ch.qos.logback.classic.Level.ERROR);
        }
        Authenticator auth = authenticator(System.getenv());
        SecretFields secrets = secretFields();
        String mount = path.startsWith("/") ? path : "/" + path;
        PrintWriter out = spec.commandLine().getOut();
        ConnectionOptions db = ConnectionOptions.of(spec);
        List<AutoCloseable> open = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closeAll(open);
            stopped.countDown();
        }, "postpone-dashboard-shutdown"));
        try {
            DatabaseTarget target;
            if (demo) {
                // Our shutdown hook closes the worker and pools, then the database (closeAll's order).
                DatabaseOrEmbedded database = DatabaseOrEmbedded.open(db.databaseUrl, System.getenv(), out, false);
                open.addFirst(database);
                target = database.target();
            } else {
                target = db.target();
            }
            ConnectionOptions.probe(target.dataSource(), target);
            HikariDataSource pool = Pools.open(target, demo ? 8 : 4, "postpone-dashboard");
            open.addFirst(pool);
            PeriodicSchedules schedules = PeriodicSchedules.none();
            if (demo) {
                Migrator.builder(pool).schema(db.schemaName()).listener(new MigrationProgress(spec.commandLine().getErr()))
                        .build().migrate(MigrationTarget.ALL, Release.current());
                HikariDataSource workerPool = Pools.open(target, Worker.CONNECTIONS + 4, "postpone-demo-worker");
                open.addFirst(workerPool);
                Worker worker = Worker.builder(workerPool, new DemoTasks().tasks()).schema(db.schemaName().value())
                        .name("demo-worker").concurrency(8).pollInterval(Duration.ofMillis(250))
                        .shutdownTimeout(Duration.ofSeconds(2)).periodic(DemoTasks.EVERY_TWO_SECONDS).start();
                open.addFirst(worker);
                schedules = schedulesOf(List.of(DemoTasks.EVERY_TWO_SECONDS));
            }
            Postpone client;
            try {
                client = Postpone.builder(pool).schema(db.schemaName().value()).clientName("postpone-dashboard").build();
            } catch (SchemaNotReadyException e) {
                throw ConnectionOptions.schemaNotReady(e);
            }
            open.addFirst(client);
            if (demo) {
                DemoTraffic traffic = DemoTraffic.start(client);
                open.addFirst(traffic);
            }
            Dashboard dashboard = Dashboard.builder(client).authenticator(auth).readOnly(readOnly).secretFields(secrets)
                    .periodicSchedules(schedules).database(target.jdbcUrl()).build();
            DashboardServer server;
            try {
                server = DashboardServer.start(dashboard, new InetSocketAddress(bind, port), mount.equals("/") ? "/" : mount);
            } catch (BindException e) {
                throw new CliException(ExitCode.FAILED, "cannot listen on " + hostPort(bind, port) + ": " + e.getMessage()
                        + "; choose another --port (or --bind)", e);
            } catch (IOException e) {
                throw new CliException(ExitCode.FAILED, "cannot start the dashboard on " + hostPort(bind, port) + ": " + e.getMessage(), e);
            }
            open.addFirst(server);
            out.println("dashboard: http://" + hostPort(bind, server.port()) + (mount.equals("/") ? "/" : mount + "/")
                    + (readOnly ? " (read-only)" : "") + (System.getenv(PASSWORD_ENV) == null ? "" : " (basic authentication)")
                    + "; stop it with Ctrl-C");
            out.flush();
        } catch (RuntimeException | Error e) {
            closeAll(open);
            throw e;
        }
        stopped.await();
        return ExitCode.OK.code();
    }

    /** Basic authentication when a password is set; otherwise open, which only a loopback address may be. */
    Authenticator authenticator(Map<String, String> env) {
        String password = env.get(PASSWORD_ENV);
        if (password != null && !password.isEmpty()) {
            return Authenticator.basic(env.getOrDefault(USER_ENV, "postpone"), password);
        }
        if (!bind.isLoopbackAddress()) {
            throw new CliException(ExitCode.USAGE, "--bind " + bind.getHostAddress() + " would let anyone on the network use the"
                    + " dashboard: set " + PASSWORD_ENV + " (and optionally " + USER_ENV + ") to require a password");
        }
        return Authenticator.anyone();
    }

    private SecretFields secretFields() {
        if (secretFields == null) return SecretFields.defaults();
        try {
            return SecretFields.matching(Pattern.compile(secretFields));
        } catch (PatternSyntaxException e) {
            throw new CliException(ExitCode.USAGE, "--secret-fields is not a regular expression: " + e.getDescription());
        }
    }

    static PeriodicSchedules schedulesOf(List<PeriodicTask<?>> tasks) {
        return now -> tasks.stream().map(t -> new PeriodicSchedules.Schedule(t.task().name(), t.key(), t.schedule().expression(),
                t.schedule().zone().getId(), t.schedule().nextAfter(now))).toList();
    }

    private static String hostPort(InetAddress address, int port) {
        String host = address.getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static void closeAll(List<AutoCloseable> open) {
        for (AutoCloseable c : List.copyOf(open)) {
            try {
                c.close();
            } catch (Exception e) {
                // Shutting down: nothing more to do about it.
            }
            open.remove(c);
        }
    }
}
