package dev.postpone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postpone.admin.JobAdmin;
import dev.postpone.internal.ClientRegistry;
import dev.postpone.internal.DatabaseErrors;
import dev.postpone.internal.JdbcJobAdmin;
import dev.postpone.internal.JobStore;
import dev.postpone.internal.Json;
import dev.postpone.internal.NewJob;
import dev.postpone.internal.SchemaCheck;
import dev.postpone.schema.PoolerAwareDataSource;
import dev.postpone.schema.SchemaName;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The Postpone client: defers jobs and manages them. Thread-safe; create one per application.
 *
 * <pre>{@code
 * try (Postpone postpone = Postpone.builder(dataSource).build()) {
 *     long id = postpone.defer(SEND_EMAIL, new SendEmail("ada@example.com", "Hello"));
 *     postpone.defer(SEND_EMAIL, email, DeferOptions.defaults().in(Duration.ofMinutes(10)));
 *     postpone.deferAll(SEND_EMAIL, emails);                     // one statement for the batch
 *     postpone.defer(connection, SEND_EMAIL, email);             // inside the caller's transaction
 * }
 * }</pre>
 *
 * <p>Every database call goes through the schema's versioned functions. A batch is atomic: if one job
 * of it cannot be deferred (queueing lock taken), none is.
 */
public final class Postpone implements AutoCloseable {

    /** Batches larger than this are sent as several statements in one transaction. */
    static final int MAX_STATEMENT_BATCH = 5_000;

    private final DataSource dataSource;
    private final AutoCloseable ownedPool;
    private final SchemaName schema;
    private final JobStore store;
    private final Json json;
    private final TaskSet tasks;
    private final MeterRegistry meters;
    private final JobAdmin admin;
    private final ClientRegistry registry;

    private Postpone(Builder b, DataSource dataSource, AutoCloseable ownedPool) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.schema = b.schema;
        this.store = new JobStore(schema);
        // The default mapper is made on first use (Json.defaultMapper()): a client that only lists jobs never needs one.
        this.json = b.objectMapper != null ? new Json(b.objectMapper) : null;
        this.tasks = b.tasks;
        this.meters = b.meterRegistry;
        this.admin = new JdbcJobAdmin(dataSource, store, b.clientName);
        this.registry = b.register ? ClientRegistry.start(dataSource, store, b.clientName) : null;
    }

    /** A client on the application's own pool (which the client does not close). */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"), null);
    }

    /** A client that opens (and on {@link #close()} closes) a small HikariCP pool for {@code jdbcUrl}. */
    public static Builder builder(String jdbcUrl) {
        return new Builder(null, Objects.requireNonNull(jdbcUrl, "jdbcUrl"));
    }

    // ---- defer, on a connection of the client's pool ------------------------------------------

    /** Defers one job with the task's defaults; returns its id. */
    public <A> long defer(Task<A> task, A args) throws QueueingLockTakenException {
        return defer(task, args, DeferOptions.defaults());
    }

    /** Defers one job; returns its id. */
    public <A> long defer(Task<A> task, A args, DeferOptions options) throws QueueingLockTakenException {
        return deferAll(List.of(JobRequest.of(task, args, options))).getFirst();
    }

    /** Defers one job per element of {@code args}, in one statement; returns the ids in order. */
    public <A> List<Long> deferAll(Task<A> task, Collection<? extends A> args) throws QueueingLockTakenException {
        return deferAll(task, args, DeferOptions.defaults());
    }

    public <A> List<Long> deferAll(Task<A> task, Collection<? extends A> args, DeferOptions options)
            throws QueueingLockTakenException {
        List<JobRequest<?>> requests = new ArrayList<>(args.size());
        for (A a : args) requests.add(JobRequest.of(task, a, options));
        return deferAll(requests);
    }

    /** Defers a batch that may mix tasks, atomically; returns the ids in order. */
    public List<Long> deferAll(Collection<? extends JobRequest<?>> requests) throws QueueingLockTakenException {
        return insertOwnTransaction(toNewJobs(requests));
    }

    // ---- defer inside the caller's transaction ---------------------------------------------------

    /**
     * Defers one job on the application's own connection, inside its current transaction: the job
     * becomes visible to workers (and they are notified) only when the application commits, and
     * disappears with a rollback. The connection's transaction state is not touched.
     * After a {@link QueueingLockTakenException} the transaction is aborted and must be rolled back.
     */
    public <A> long defer(Connection connection, Task<A> task, A args) throws QueueingLockTakenException {
        return defer(connection, task, args, DeferOptions.defaults());
    }

    public <A> long defer(Connection connection, Task<A> task, A args, DeferOptions options) throws QueueingLockTakenException {
        return deferAll(connection, List.of(JobRequest.of(task, args, options))).getFirst();
    }

    public List<Long> deferAll(Connection connection, Collection<? extends JobRequest<?>> requests)
            throws QueueingLockTakenException {
        return insert(connection, toNewJobs(requests));
    }

    // ---- defer by task name and JSON text (no task class needed) --------------------------------

    /**
     * Defers a job by task name with JSON arguments, for callers without the task's class (the CLI).
     * When the client was built with a {@link TaskSet}, the name must be one of its tasks (or aliases)
     * and the job is deferred exactly as {@link #defer(Task, Object, DeferOptions)} would: the JSON is
     * read into the task's argument type (a wrong type or an unknown field is refused here, naming the
     * field) and every default of the task applies, its lock and queueing lock included. Without a task
     * set any name is accepted and unset options take the global defaults.
     *
     * @throws IllegalArgumentException on malformed JSON, or JSON that does not match the task's argument type
     * @throws UnknownTaskException when the task set does not know the name
     */
    public long deferByName(String taskName, String jsonArgs, DeferOptions options) throws QueueingLockTakenException {
        return deferAllByName(taskName, List.of(jsonArgs), options).getFirst();
    }

    /** Defers one job per JSON text, atomically; returns the ids in order. */
    public List<Long> deferAllByName(String taskName, List<String> jsonArgs, DeferOptions options)
            throws QueueingLockTakenException {
        Names.requireValid("task name", taskName, 256);
        Task<?> task = tasks.isEmpty() ? undeclared(taskName) : tasks.require(taskName);
        return deferAll(requests(task, jsonArgs, options));
    }

    // ---- admin and accessors ---------------------------------------------------------------------

    /** Inspect and manage jobs: get, list, counts, cancel, retry, delete finished, workers. */
    public JobAdmin jobs() {
        return admin;
    }

    public SchemaName schema() {
        return schema;
    }

    /** The data source the client uses: the one it was built with, wrapped as a {@link PoolerAwareDataSource}. */
    public DataSource dataSource() {
        return dataSource;
    }

    public ObjectMapper objectMapper() {
        return json().mapper();
    }

    private Json json() {
        return json != null ? json : Json.usingDefaultMapper();
    }

    public MeterRegistry meterRegistry() {
        return meters;
    }

    /** The tasks this client was built with (possibly none). */
    public TaskSet tasks() {
        return tasks;
    }

    /** Closes the pool the client opened itself (built from a URL); a given DataSource is left open. */
    @Override
    public void close() {
        if (registry != null) registry.close();
        if (ownedPool != null) {
            try {
                ownedPool.close();
            } catch (Exception e) {
                throw new PostponeException("closing the connection pool failed: " + e.getMessage(), e);
            }
        }
    }

    // ---- internals -------------------------------------------------------------------------------

    private List<NewJob> toNewJobs(Collection<? extends JobRequest<?>> requests) {
        Instant now = Instant.now();
        List<NewJob> jobs = new ArrayList<>(requests.size());
        for (JobRequest<?> r : requests) jobs.add(newJob(r, now));
        return jobs;
    }

    private <A> NewJob newJob(JobRequest<A> r, Instant now) {
        Task<A> task = r.task();
        return NewJob.of(task, r.args(), json().write(r.args(), task.name()), r.options(), now);
    }

    /** By-name arguments read into the task's type, so they take the same path as typed ones. */
    private <A> List<JobRequest<?>> requests(Task<A> task, List<String> jsonArgs, DeferOptions options) {
        List<JobRequest<?>> requests = new ArrayList<>(jsonArgs.size());
        for (int i = 0; i < jsonArgs.size(); i++) {
            try {
                requests.add(JobRequest.of(task, json().readArguments(jsonArgs.get(i), task.argsType(), task.name()), options));
            } catch (IllegalArgumentException e) {
                if (jsonArgs.size() == 1) throw e;
                throw new IllegalArgumentException("job " + (i + 1) + " of " + jsonArgs.size() + ": " + e.getMessage(), e);
            }
        }
        return requests;
    }

    /** A name no task set declares: deferred as a task that sets nothing would be, with untyped arguments. */
    private static Task<JsonNode> undeclared(String taskName) {
        return Task.named(taskName, JsonNode.class).action((context, args) -> {
            throw new IllegalStateException("only describes the defaults of an undeclared task; never run");
        });
    }

    private List<Long> insertOwnTransaction(List<NewJob> jobs) throws QueueingLockTakenException {
        try (Connection c = dataSource.getConnection()) {
            // A connection already in a transaction (a Spring-managed one, from a transaction-aware
            // DataSource) keeps it: its owner commits or rolls back the whole batch with everything else.
            boolean batched = jobs.size() > MAX_STATEMENT_BATCH && c.getAutoCommit();
            if (batched) c.setAutoCommit(false);
            try {
                List<Long> ids = insert(c, jobs);
                if (batched) c.commit();
                return ids;
            } catch (QueueingLockTakenException | RuntimeException e) {
                if (batched) c.rollback();
                throw e;
            } finally {
                if (batched) c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw DatabaseErrors.unexpected(e, schema, "deferring jobs");
        }
    }

    private List<Long> insert(Connection c, List<NewJob> jobs) throws QueueingLockTakenException {
        if (jobs.isEmpty()) return List.of();
        List<Long> ids = new ArrayList<>(jobs.size());
        try {
            for (int from = 0; from < jobs.size(); from += MAX_STATEMENT_BATCH) {
                ids.addAll(store.defer(c, jobs.subList(from, Math.min(jobs.size(), from + MAX_STATEMENT_BATCH))));
            }
        } catch (SQLException e) {
            QueueingLockTakenException taken = DatabaseErrors.queueingLockTaken(e, describe(jobs));
            if (taken != null) throw taken;
            throw DatabaseErrors.unexpected(e, schema, "deferring " + describe(jobs));
        }
        for (NewJob j : jobs) deferredCounter(j).increment();
        return ids;
    }

    private Counter deferredCounter(NewJob j) {
        return Counter.builder("postpone.jobs.deferred").description("Jobs deferred by this client")
                .tag("task", j.task()).tag("queue", j.queue()).register(meters);
    }

    private static String describe(List<NewJob> jobs) {
        NewJob first = jobs.getFirst();
        return jobs.size() == 1
                ? "task '" + first.task() + "' on queue '" + first.queue() + "'"
                : jobs.size() + " jobs (first: task '" + first.task() + "' on queue '" + first.queue() + "')";
    }

    /** Settings of a {@link Postpone} client. */
    public static final class Builder {
        private final DataSource dataSource;
        private final String jdbcUrl;
        private SchemaName schema = SchemaName.DEFAULT;
        private ObjectMapper objectMapper;
        private TaskSet tasks = TaskSet.of();
        private MeterRegistry meterRegistry = new CompositeMeterRegistry();
        private boolean checkSchema = true;
        private int poolSize = 4;
        private boolean register = true;
        private String clientName = defaultClientName();

        private Builder(DataSource dataSource, String jdbcUrl) {
            this.dataSource = dataSource;
            this.jdbcUrl = jdbcUrl;
        }

        /** The PostgreSQL schema Postpone is installed in (default {@code postpone}). */
        public Builder schema(String name) {
            this.schema = SchemaName.of(name);
            return this;
        }

        /**
         * The JSON mapper for job arguments. Default: one mapper shared by the clients and workers of this JVM
         * that were given none ({@code Json.defaultMapper()}: java.time, Optional, lenient reads); to change
         * how arguments are written, pass your own rather than changing that one.
         */
        public Builder objectMapper(ObjectMapper mapper) {
            this.objectMapper = Objects.requireNonNull(mapper, "objectMapper");
            return this;
        }

        /** The application's tasks: lets {@link #deferByName} apply their defaults and refuse unknown names. */
        public Builder tasks(TaskSet tasks) {
            this.tasks = Objects.requireNonNull(tasks, "tasks");
            return this;
        }

        /** Where the {@code postpone.jobs.deferred} counter goes (default: nowhere). */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /** Check at build that the schema serves this release (default true). */
        public Builder checkSchema(boolean check) {
            this.checkSchema = check;
            return this;
        }

        /**
         * How this application appears in the {@code clients} table and in what blocks a post migration
         * (default: the main class).
         */
        public Builder clientName(String name) {
            this.clientName = Objects.requireNonNull(name, "clientName");
            return this;
        }

        /**
         * Record this client in the {@code clients} table (default true), so a post migration waits for
         * it. Only turn off for short-lived tools that never defer.
         */
        public Builder registerClient(boolean register) {
            this.register = register;
            return this;
        }

        private static String defaultClientName() {
            String command = System.getProperty("sun.java.command", "").strip();
            String main = command.isEmpty() ? "" : command.split("\\s+")[0];
            return main.isEmpty() ? "java-client" : main.substring(main.lastIndexOf('/') + 1);
        }

        /** Size of the pool opened for a URL (default 4); ignored with a given DataSource. */
        public Builder poolSize(int size) {
            if (size < 1) throw new IllegalArgumentException("poolSize must be at least 1");
            this.poolSize = size;
            return this;
        }

        /**
         * Builds the client.
         *
         * @throws SchemaNotReadyException when the schema is missing, too old or too new for this release
         */
        public Postpone build() throws SchemaNotReadyException {
            HikariDataSource pool = null;
            if (dataSource == null) {
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl(jdbcUrl);
                config.setMaximumPoolSize(poolSize);
                config.setPoolName("postpone-client");
                config.setInitializationFailTimeout(-1);
                pool = new HikariDataSource(config);
            }
            // Behind a transaction-pooling PgBouncer, its connections make no server-side prepared statements.
            DataSource ds = PoolerAwareDataSource.wrap(pool != null ? pool : dataSource);
            try {
                if (checkSchema) SchemaCheck.require(ds, schema);
                return new Postpone(this, ds, pool);
            } catch (SchemaNotReadyException | RuntimeException e) {
                if (pool != null) pool.close();
                throw e;
            }
        }
    }
}
