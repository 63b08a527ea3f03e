package dev.postpone.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postpone.SchemaNotReadyException;
import dev.postpone.TaskSet;
import dev.postpone.internal.Json;
import dev.postpone.schema.SchemaName;
import dev.postpone.worker.internal.WorkerRuntime;
import dev.postpone.worker.internal.WorkerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A running worker: fetches jobs of its queues, runs them on virtual threads, writes their outcomes,
 * and keeps itself registered. {@link #close()} stops it gracefully.
 *
 * <pre>{@code
 * try (Worker worker = Worker.builder(dataSource, TaskSet.of(SEND_EMAIL, RESIZE_IMAGE))
 *         .queues("emails", "images")
 *         .concurrency(20)
 *         .start()) {
 *     ... // until the application stops
 * }
 * }</pre>
 *
 * <p>Delivery is at-least-once: a job whose worker dies after running it but before its outcome is
 * written runs again. Make handlers idempotent.
 */
public final class Worker implements AutoCloseable {

    /**
     * Most connections a running worker takes from its data source, each held for as long as it runs:
     * the producer's (fetch), the completer's (outcomes), the housekeeping one (heartbeat, rescuer,
     * periodic tasks, cleaner, queue depth, schema checks, registering) and the LISTEN connection (not
     * taken with {@code listen(false)} or the pgjdbc-ng listener). Job handlers use none of them. A pool
     * only for the worker needs this many; one shared with the handlers needs this many more than they use.
     * With a {@linkplain Builder#sessionDataSource session data source} the last two come from that one.
     */
    public static final int CONNECTIONS = 4;

    /**
     * The default of {@link Builder#maxPrefetch}, which the command line's {@code worker --max-prefetch}
     * and the Spring Boot property {@code postpone.worker.prefetch} take too.
     */
    public static final int DEFAULT_MAX_PREFETCH = 100;

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final WorkerRuntime runtime;

    private Worker(WorkerRuntime runtime) {
        this.runtime = runtime;
    }

    /** Settings of a worker for {@code tasks}, taking connections from {@code dataSource}. */
    public static Builder builder(DataSource dataSource, TaskSet tasks) {
        return new Builder(dataSource, tasks);
    }

    /** The worker's current id in the workers table (it changes if the worker has to register again). */
    public long id() {
        return runtime.id();
    }

    public String name() {
        return runtime.name();
    }

    /** False once stopping began (close, a signal, or an incompatible schema migration). */
    public boolean isRunning() {
        return runtime.isRunning();
    }

    /** Jobs running right now. */
    public int inFlight() {
        return runtime.inFlight();
    }

    /** The port serving {@code /metrics}, or -1 when the worker has no Prometheus endpoint. */
    public int prometheusPort() {
        return runtime.prometheusPort();
    }

    /**
     * Why the worker stopped by itself because a migration (a newer release's post step) removed
     * functions it calls, with what to do; empty while it runs or when it was stopped otherwise. A
     * supervisor should then start the newer release, not restart this one.
     */
    public java.util.Optional<String> schemaIncompatibility() {
        return runtime.schemaIncompatibility();
    }

    /**
     * True while the worker cannot prove it is alive (its last heartbeat failed, or succeeded too long
     * ago) and so takes no new jobs: others may be taking its jobs over. A health check should report it.
     */
    public boolean isFenced() {
        return runtime.isFenced();
    }

    /** Waits until the worker has stopped, whoever stopped it. */
    public void awaitStopped() throws InterruptedException {
        runtime.awaitStopped();
    }

    /**
     * Stops gracefully: no more fetching, running jobs get up to the shutdown timeout to finish, the
     * rest are interrupted and handed back to {@code todo} (attempt not counted), outcomes are
     * written, the worker unregisters. A second {@code close()} from another thread while the first
     * still waits (or a second SIGTERM with {@link Builder#registerShutdownHook()}) skips the wait.
     */
    @Override
    public void close() {
        runtime.close();
    }

    /** Settings of a {@link Worker}; every one has a default. */
    public static final class Builder {
        private final DataSource dataSource;
        private DataSource sessionDataSource;
        private final TaskSet tasks;
        private List<String> queues;
        private int concurrency = 10;
        private int maxPrefetch = DEFAULT_MAX_PREFETCH;
        private String name;
        private Duration pollInterval = Duration.ofSeconds(2);
        private boolean listen = true;
        private ListenerKind listenerKind = ListenerKind.PGJDBC;
        private String listenerUrl;
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        private Duration stalledThreshold = Duration.ofSeconds(30);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private StatementTimeouts statementTimeouts = StatementTimeouts.defaults();
        private Retention retention = Retention.defaults();
        private SchemaName schema = SchemaName.DEFAULT;
        private MeterRegistry meterRegistry;
        private ObjectMapper objectMapper;
        private final List<PeriodicTask<?>> periodicTasks = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private int prometheusPort;
        private InetAddress prometheusBind = InetAddress.getLoopbackAddress();
        private boolean shutdownHook;

        private Builder(DataSource dataSource, TaskSet tasks) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.tasks = Objects.requireNonNull(tasks, "tasks");
        }

        /** Queues to serve (default: all queues). */
        public Builder queues(String... queues) {
            return queues(Arrays.asList(queues));
        }

        public Builder queues(Collection<String> queues) {
            if (queues.isEmpty()) throw new IllegalArgumentException("queues must not be empty; leave it unset to serve all queues");
            this.queues = List.copyOf(queues);
            return this;
        }

        /** Jobs run at once, each on a virtual thread (default 10). */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
            this.concurrency = concurrency;
            return this;
        }

        /**
         * Most claimed jobs held waiting for a free slot, beyond {@code concurrency} (default
         * {@value Worker#DEFAULT_MAX_PREFETCH}; 0 turns prefetch off). A slot is then refilled without a
         * database round trip, and one fetch claims many jobs while others run, which makes short jobs
         * about 3× faster (see docs/benchmarks.md). The buffer adapts to the jobs' run time: it holds
         * about 20 ms of work, so jobs that run long get no prefetch. A waiting job is claimed
         * ({@code doing}) by this worker but not started, and a claim counts no attempt: if the process
         * dies, the rescue puts it back to todo as it was, and a graceful stop hands it back.
         */
        public Builder maxPrefetch(int maxPrefetch) {
            if (maxPrefetch < 0) throw new IllegalArgumentException("maxPrefetch must not be negative: " + maxPrefetch);
            this.maxPrefetch = maxPrefetch;
            return this;
        }

        /** Name shown in the workers table and logs (default: host, process id and a sequence number). */
        public Builder name(String name) {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("worker name must not be blank");
            this.name = name;
            return this;
        }

        /** How often to look for jobs without a notification: covers lost notifications, scheduled jobs and retries (default 2 s). */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = positive("pollInterval", interval);
            return this;
        }

        /** LISTEN for "jobs are due" notifications (default true); without it the worker only polls. */
        public Builder listen(boolean listen) {
            this.listen = listen;
            return this;
        }

        /**
         * Connections that keep their server session: PostgreSQL directly, or a session-pooling PgBouncer. The
         * LISTEN connection and the housekeeping connection, whose heartbeats hold the worker's liveness lock,
         * come from it; fetches and outcomes still go through {@code dataSource}. Set it when {@code dataSource}
         * goes through a transaction-pooling PgBouncer: without it such a worker (which finds the pooler out at
         * start) only polls, and is declared dead only by its heartbeat threshold, not the moment its process
         * dies. Behind session pooling, pass the same data source to say sessions hold.
         */
        public Builder sessionDataSource(DataSource sessionDataSource) {
            this.sessionDataSource = Objects.requireNonNull(sessionDataSource, "sessionDataSource");
            return this;
        }

        /** Which driver listens (default {@link ListenerKind#PGJDBC}, on one connection of the data source). */
        public Builder listener(ListenerKind kind) {
            this.listenerKind = Objects.requireNonNull(kind, "listener");
            return this;
        }

        /**
         * The database URL the pgjdbc-ng listener connects to: {@code jdbc:pgsql://host:port/db?user=...}
         * or the same as a {@code jdbc:postgresql:} URL. Implies {@code listener(PGJDBC_NG)}.
         */
        public Builder pgjdbcNgUrl(String jdbcUrl) {
            this.listenerUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            this.listenerKind = ListenerKind.PGJDBC_NG;
            return this;
        }

        /**
         * How often the worker says it is alive and checks for dead workers (default 1 s). A killed
         * worker's liveness lock is released at once; its jobs are rescued about 1.5 heartbeat intervals
         * after its last heartbeat, so this also sets how fast another worker takes them over.
         */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = positive("heartbeatInterval", interval);
            return this;
        }

        /**
         * A worker whose heartbeats stop for longer is declared dead and its jobs are handed out again,
         * even though its session still holds its liveness lock (a half-open connection); default 30 s.
         * A worker that cannot heartbeat for half of it stops taking jobs (fencing).
         */
        public Builder stalledThreshold(Duration threshold) {
            this.stalledThreshold = positive("stalledThreshold", threshold);
            return this;
        }

        /**
         * How long stopping may take (default 30 s): running jobs get until then before they are interrupted,
         * and the final writes (outcomes, unregistering) what is left of it, but at least 2 s.
         */
        public Builder shutdownTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "shutdownTimeout");
            if (timeout.isNegative()) throw new IllegalArgumentException("shutdownTimeout must not be negative: " + timeout);
            this.shutdownTimeout = timeout;
            return this;
        }

        /**
         * How long the worker's own statements may run before they are cancelled and logged (default
         * {@link StatementTimeouts#defaults()}: fetch 30 s, complete 30 s, maintenance 10 s).
         */
        public Builder statementTimeouts(StatementTimeouts timeouts) {
            this.statementTimeouts = Objects.requireNonNull(timeouts, "statementTimeouts");
            return this;
        }

        /** Which finished jobs the cleaner deletes (default {@link Retention#defaults()}: succeeded and cancelled after 7 days). */
        public Builder retention(Retention retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /** The PostgreSQL schema Postpone is installed in (default {@code postpone}). */
        public Builder schema(String schema) {
            this.schema = SchemaName.of(schema);
            return this;
        }

        /** Where job meters go; also enables the queue-depth gauges (default: no meters). */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /**
         * The JSON mapper for job arguments. Default: the mapper shared by the clients and workers of this JVM
         * that were given none ({@code Json.defaultMapper()}), so a client's first defer finds the argument
         * writers this worker's start built.
         */
        public Builder objectMapper(ObjectMapper mapper) {
            this.objectMapper = Objects.requireNonNull(mapper, "objectMapper");
            return this;
        }

        /** Tasks to defer on a cron schedule, once per tick across all workers. */
        public Builder periodic(PeriodicTask<?>... tasks) {
            this.periodicTasks.addAll(List.of(tasks));
            return this;
        }

        /** The clock for periodic ticks, deadlines and retry times (default: system UTC); for tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Serve Prometheus metrics on {@code http://127.0.0.1:port/metrics} (needs micrometer-registry-prometheus).
         * Only this host can scrape it unless {@link #prometheusBind} opens it to others.
         */
        public Builder prometheusPort(int port) {
            if (port < 1 || port > 65535) throw new IllegalArgumentException("prometheusPort must be 1-65535: " + port);
            this.prometheusPort = port;
            return this;
        }

        /**
         * The address the metrics endpoint listens on (default: the loopback address, so metrics are not
         * exposed to the network by accident); e.g. {@code InetAddress.getByName("0.0.0.0")} for every interface.
         */
        public Builder prometheusBind(InetAddress address) {
            this.prometheusBind = Objects.requireNonNull(address, "prometheusBind");
            return this;
        }

        /**
         * Stop the worker gracefully when the JVM shuts down (SIGTERM, SIGINT, System.exit); a second
         * SIGTERM or SIGINT while it drains stops it hard.
         */
        public Builder registerShutdownHook() {
            this.shutdownHook = true;
            return this;
        }

        /**
         * Checks the schema, registers the worker and starts it.
         *
         * @throws SchemaNotReadyException with the command to run when the schema is missing, too old,
         *                                 or past a migration that removed what this release needs
         * @throws IllegalStateException   when the pgjdbc-ng listener is asked for but not usable
         * @throws java.io.UncheckedIOException when the Prometheus endpoint cannot listen on its address (e.g. the port is taken)
         */
        public Worker start() throws SchemaNotReadyException {
            for (PeriodicTask<?> p : periodicTasks) {
                if (tasks.find(p.task().name()).isEmpty()) {
                    throw new IllegalArgumentException("periodic task '" + p.task().name() + "' is not in the worker's task set");
                }
            }
            if (listen && listenerKind == ListenerKind.PGJDBC_NG) requirePgjdbcNg();
            if (prometheusPort > 0) requireClass("io.micrometer.prometheusmetrics.PrometheusMeterRegistry",
                    "io.micrometer:micrometer-registry-prometheus", "prometheusPort");
            WorkerSettings settings = new WorkerSettings(dataSource, sessionDataSource, tasks, queues, concurrency, maxPrefetch,
                    name != null ? name : defaultName(), pollInterval, listen, listenerKind, listenerUrl, heartbeatInterval,
                    stalledThreshold, shutdownTimeout, statementTimeouts, retention, schema, meterRegistry,
                    objectMapper != null ? objectMapper : Json.defaultMapper(), List.copyOf(periodicTasks), clock,
                    prometheusPort > 0 ? new InetSocketAddress(prometheusBind, prometheusPort) : null);
            Worker worker = new Worker(WorkerRuntime.start(settings));
            if (shutdownHook) ShutdownSignals.install(worker);
            return worker;
        }

        private void requirePgjdbcNg() {
            if (listenerUrl == null) {
                throw new IllegalStateException("the pgjdbc-ng listener needs the database URL: set pgjdbcNgUrl(\"jdbc:pgsql://host:port/db\")");
            }
            requireClass("com.impossibl.postgres.api.jdbc.PGConnection", "com.impossibl.pgjdbc-ng:pgjdbc-ng", "listener(PGJDBC_NG)");
        }

        private static void requireClass(String className, String artifact, String setting) {
            try {
                Class.forName(className, false, Worker.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(setting + " needs " + artifact + " on the classpath (class " + className
                        + " not found); add the dependency or remove the setting", e);
            }
        }

        private static String defaultName() {
            return "worker-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        }

        private static Duration positive(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive: " + d);
            return d;
        }
    }
}
