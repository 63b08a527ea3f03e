package dev.postpone.schema;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies Postpone's bundled schema migrations: one migrator at a time, each step under a lock
 * timeout and retried when it times out, each transactional step committed together with its ledger
 * row, checksums of applied steps verified, post steps refused while older workers are alive.
 *
 * <pre>{@code
 * Migrator migrator = Migrator.builder(dataSource).schema("postpone").build();
 * migrator.migrate();                                              // a fresh install: everything this release knows
 * migrator.check().ok();                                           // can this release's workers run against it?
 * migrator.migrate(MigrationTarget.PRE, Release.parse("1.1.0"));   // before rolling out 1.1.0 workers
 * migrator.migrate(MigrationTarget.POST, Release.parse("1.1.0"));  // once no 1.0.x worker is left
 * migrator.grant(RoleName.of("app"), RoleAccess.CLIENT);           // a role that may only call the contract
 * }</pre>
 */
public final class Migrator {

    private static final Logger log = LoggerFactory.getLogger(Migrator.class);
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final Pattern CONCURRENT_INDEX = Pattern.compile(
            "create\\s+(?:unique\\s+)?index\\s+concurrently\\s+(?:if\\s+not\\s+exists\\s+)?([a-z_][a-z0-9_]*)",
            Pattern.CASE_INSENSITIVE);

    private final DataSource dataSource;
    private final SchemaName schema;
    private final MigrationCatalog catalog;
    private final Duration lockTimeout;
    private final Duration statementTimeout;
    private final Duration lockWait;
    private final int stepAttempts;
    private final Duration liveWorkerWindow;
    private final MigrationListener listener;
    private final Ledger ledger;
    private final PostGuard postGuard;

    private Migrator(Builder b) {
        // Status and plan work through a transaction pooler; migrate and verify refuse it (ConnectionPooler).
        this.dataSource = PoolerAwareDataSource.wrap(b.dataSource);
        this.schema = b.schema;
        this.catalog = b.catalog;
        this.lockTimeout = b.lockTimeout;
        this.statementTimeout = b.statementTimeout;
        this.lockWait = b.lockWait;
        this.stepAttempts = b.stepAttempts;
        this.liveWorkerWindow = b.liveWorkerWindow;
        this.listener = b.listener;
        this.ledger = new Ledger(schema);
        this.postGuard = new PostGuard(schema, liveWorkerWindow);
    }

    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    public SchemaName schema() {
        return schema;
    }

    public MigrationCatalog catalog() {
        return catalog;
    }

    /** Applies everything up to the latest release this library knows ({@code ALL}). */
    public MigrationResult migrate() {
        return migrate(MigrationTarget.ALL, catalog.latest(), false);
    }

    public MigrationResult migrate(MigrationTarget target, Release release) {
        return migrate(target, release, false);
    }

    /**
     * Applies the pending steps up to {@code target} of {@code release}.
     *
     * @param force apply post steps even while workers of an older release are alive
     * @throws MigrationException with a message that says what is wrong and what to do
     */
    public MigrationResult migrate(MigrationTarget target, Release release, boolean force) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(release, "release");
        if (!catalog.releases().contains(release) && release.compareTo(catalog.latest()) > 0) {
            throw new MigrationException("release " + release + " is newer than this migrator knows (latest: "
                    + catalog.latest() + "); use the postpone CLI of release " + release + ".");
        }
        try (MigrationLock lock = MigrationLock.acquire(dataSource, schema, lockWait, applicationName(), listener);
             Connection ddl = dataSource.getConnection()) {
            // Decide before creating anything: a refused migrate leaves the database as it found it.
            StepSelection selection = StepSelection.select(catalog, ledger.read(ddl), target, release, schema);
            if (!selection.problems().isEmpty()) throw new MigrationException(String.join(" ", selection.problems()));
            List<MigrationStep> pending = selection.pending();
            olderReleasesProblem(ddl, pending).ifPresent(problem -> {
                if (!force) throw new PostBlockedException(problem);
                log.warn("migration.forced_post problem=\"{}\"", problem);
            });
            if (pending.isEmpty()) {
                log.info("migration.up_to_date schema={} target={} release={}", schema, target, release);
                return new MigrationResult(target, release, List.of());
            }
            bootstrap(ddl);
            List<MigrationStep> applied = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                MigrationStep step = pending.get(i);
                lock.ensureHeld();
                listener.stepStarted(step, i + 1, pending.size());
                long started = System.nanoTime();
                if (step.transactional()) runTransactional(ddl, step); else runNonTransactional(ddl, step);
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                log.info("migration.step_applied step={} took_ms={}", step.displayName(), took.toMillis());
                listener.stepApplied(step, took);
                applied.add(step);
                boolean phaseEnds = i + 1 == pending.size() || !pending.get(i + 1).id().phase().equals(step.phase())
                        || !pending.get(i + 1).release().equals(step.release());
                if (phaseEnds) notifyPhase(ddl, step);
            }
            return new MigrationResult(target, release, applied);
        } catch (SQLException e) {
            throw new MigrationException("migration failed: " + e.getMessage(), e);
        }
    }

    /**
     * What {@link #migrate(MigrationTarget, Release)} would run now, without running anything or taking
     * the migration lock. Where migrate would refuse (a changed or unknown applied step, post before
     * pre, older workers alive before post steps, a release newer than this jar), the plan lists the
     * reason under {@link MigrationPlan#problems()} instead of throwing: an operator who asks for a
     * plan wants to see both what is pending and what stands in the way.
     */
    public MigrationPlan plan(MigrationTarget target, Release release) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(release, "release");
        try (Connection c = dataSource.getConnection()) {
            StepSelection selection = StepSelection.select(catalog, ledger.read(c), target, release, schema);
            List<String> problems = new ArrayList<>(selection.problems());
            olderReleasesProblem(c, selection.pending()).ifPresent(p -> problems.add(p + " (migrate would refuse unless forced)"));
            return new MigrationPlan(target, release, selection.pending().stream().map(PlannedStep::of).toList(), problems);
        } catch (SQLException e) {
            throw new MigrationException("could not read the migration state of schema " + schema + ": " + e.getMessage(), e);
        }
    }

    /** Applied, pending, running and failed steps, live workers, the lock holder, and what is safe to run next. */
    public SchemaStatus status() {
        try (Connection c = dataSource.getConnection()) {
            List<AppliedStep> rows = ledger.read(c);
            Optional<String> holder = MigrationLock.holder(c, schema);
            Optional<PostGuard.Blockers> blockers = Optional.empty();
            Optional<MigrationStep> nextPost = StepSelection.select(catalog, rows, MigrationTarget.POST, catalog.latest(), schema)
                    .pending().stream().filter(s -> s.phase() == Phase.POST).findFirst();
            if (nextPost.isPresent()) blockers = Optional.of(postGuard.blockers(c, nextPost.get().release()));
            return SchemaStatus.of(schema, catalog, rows, postGuard.liveWorkers(c), postGuard.liveClients(c), blockers, holder);
        } catch (SQLException e) {
            throw new MigrationException("could not read the migration state of schema " + schema + ": " + e.getMessage(), e);
        }
    }

    /**
     * Compares the live schema with a scratch install of the same applied steps (into a temporary
     * schema of the same database, dropped afterwards) and looks for invalid indexes.
     */
    public VerifyReport verify() {
        return new SchemaVerifier(dataSource, schema, catalog).verify();
    }

    /**
     * Gives {@code role} exactly what this release's applications and workers ({@link RoleAccess#CLIENT}) or a
     * read-only dashboard ({@link RoleAccess#READ_ONLY}) need: USAGE on the schema, SELECT on the migration
     * ledger, EXECUTE on the contract's functions. No privilege on the job tables: the functions run as their
     * owner. Idempotent; adds only ({@link #verify()} reports roles that hold more).
     *
     * @return the GRANT statements run
     */
    public List<String> grant(RoleName role, RoleAccess access) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(access, "access");
        try (Connection c = dataSource.getConnection()) {
            List<String> statements = RoleGrants.grant(c, schema, role, access, Contract.current());
            log.info("schema.granted schema={} role={} access={} statements={}", schema, role, access, statements.size());
            return statements;
        } catch (SQLException e) {
            throw new MigrationException("could not grant role " + role + " access to schema " + schema + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether this release's clients and workers can run against the schema: the check they make when
     * they start, with the command that fixes it when they cannot.
     */
    public SchemaCheck check() {
        return SchemaGuard.check(dataSource, schema, Contract.current());
    }

    /** Why post steps among {@code pending} must wait: workers, clients or connections of an older release alive. */
    private Optional<String> olderReleasesProblem(Connection c, List<MigrationStep> pending) throws SQLException {
        Optional<Release> newestPost = pending.stream().filter(s -> s.phase() == Phase.POST).map(MigrationStep::release)
                .reduce((a, b) -> b);
        if (newestPost.isEmpty()) return Optional.empty();
        PostGuard.Blockers blockers = postGuard.blockers(c, newestPost.get());
        if (blockers.none()) return Optional.empty();
        return Optional.of("refusing the post steps of " + newestPost.get() + ": " + blockers.summary() + " alive ("
                + blockers.describe() + "). Stop or upgrade them first (" + Commands.workers(schema)
                + " and postpone schema status list them), or pass --force if they are gone for good.");
    }

    /** Workers whose heartbeat is within the live-worker window. Empty before the workers table exists. */
    public List<LiveWorker> liveWorkers(Connection c) throws SQLException {
        return postGuard.liveWorkers(c);
    }

    /** Clients (applications that defer, release 1.1.0 on) seen within their alive window. */
    public List<LiveClient> liveClients(Connection c) throws SQLException {
        return postGuard.liveClients(c);
    }

    private void bootstrap(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("set local lock_timeout = '" + Durations.toPostgres(lockTimeout) + "'");
            st.execute("create schema if not exists " + schema.quoted());
            st.execute("set local search_path to " + schema.quoted());
            st.execute(Ledger.bootstrapSql());
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private void runTransactional(Connection c, MigrationStep step) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                applySettings(st, step, "set local ");
                st.execute(step.sql());
                ledger.record(c, step, "applied", elapsedMillis(started), null, clientInfo());
                c.commit();
                return;
            } catch (SQLException e) {
                c.rollback();
                if (LOCK_NOT_AVAILABLE.equals(e.getSQLState()) && attempt < stepAttempts) {
                    backOff(step, attempt, e);
                    continue;
                }
                throw stepFailed(step, attempt, e, "nothing of it was applied");
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * A step that cannot run in a transaction (e.g. CREATE INDEX CONCURRENTLY): recorded as running,
     * run, checked (an index must be valid), then recorded as applied. An invalid index left by an
     * earlier failed attempt is dropped first; a valid one left by a run stopped before it recorded
     * the step counts as built.
     */
    private void runNonTransactional(Connection c, MigrationStep step) throws SQLException {
        ledger.record(c, step, "running", 0, null, clientInfo());
        Matcher index = CONCURRENT_INDEX.matcher(step.sql());
        String indexName = index.find() ? index.group(1) : null;
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            try (Statement st = c.createStatement()) {
                applySettings(st, step, "set ");
                if (indexName != null && indexValid(c, indexName)) {
                    // An earlier run built it and was stopped before recording it: record it now, rather
                    // than fail on "already exists" forever (verify still compares its definition).
                    log.warn("migration.index_already_built step={} index={}", step.displayName(), indexName);
                    ledger.record(c, step, "applied", elapsedMillis(started), null, clientInfo());
                    return;
                }
                if (indexName != null) dropInvalidIndex(c, indexName);
                st.execute(step.sql());
                if (indexName != null && !indexValid(c, indexName)) {
                    throw new SQLException("index " + indexName + " was built but is not valid", "XX000");
                }
                ledger.record(c, step, "applied", elapsedMillis(started), null, clientInfo());
                return;
            } catch (SQLException e) {
                if (LOCK_NOT_AVAILABLE.equals(e.getSQLState()) && attempt < stepAttempts) {
                    backOff(step, attempt, e);
                    continue;
                }
                ledger.record(c, step, "failed", elapsedMillis(started), e.getMessage(), clientInfo());
                throw stepFailed(step, attempt, e, "it is recorded as failed and will be re-run by the next migrate");
            } finally {
                try (Statement reset = c.createStatement()) {
                    reset.execute("reset lock_timeout; reset statement_timeout; reset search_path");
                }
            }
        }
    }

    private void applySettings(Statement st, MigrationStep step, String set) throws SQLException {
        st.execute(set + "lock_timeout = '" + Durations.toPostgres(step.lockTimeout().orElse(lockTimeout)) + "'");
        Duration statement = step.statementTimeout().orElse(step.transactional() ? statementTimeout : Duration.ZERO);
        st.execute(set + "statement_timeout = '" + Durations.toPostgres(statement) + "'");
        st.execute(set + "search_path to " + schema.quoted());
    }

    private void dropInvalidIndex(Connection c, String indexName) throws SQLException {
        String sql = "select 1 from pg_index i join pg_class ci on ci.oid = i.indexrelid join pg_namespace n on n.oid = ci.relnamespace"
                + " where n.nspname = ? and ci.relname = ? and not i.indisvalid";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema.value());
            ps.setString(2, indexName);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return;
            }
        }
        log.warn("migration.drop_invalid_index index={}", indexName);
        try (Statement st = c.createStatement()) {
            st.execute("drop index concurrently if exists " + schema.qualify(indexName));
        }
    }

    private boolean indexValid(Connection c, String indexName) throws SQLException {
        String sql = "select i.indisvalid from pg_index i join pg_class ci on ci.oid = i.indexrelid"
                + " join pg_namespace n on n.oid = ci.relnamespace where n.nspname = ? and ci.relname = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema.value());
            ps.setString(2, indexName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private void notifyPhase(Connection c, MigrationStep step) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_notify(?, ?)")) {
            ps.setString(1, Channels.schema(schema));
            ps.setString(2, step.release() + "/" + step.phase().label());
            ps.execute();
        }
    }

    private void backOff(MigrationStep step, int attempt, SQLException e) {
        long millis = Math.min(200L << Math.min(attempt - 1, 5), 5000) + ThreadLocalRandom.current().nextLong(100);
        String reason = "lock timeout (" + e.getMessage() + "); retrying in " + millis + " ms";
        log.warn("migration.step_retry step={} attempt={} reason=\"{}\"", step.displayName(), attempt, reason);
        listener.stepRetrying(step, attempt, reason);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new MigrationException("interrupted while retrying " + step.displayName(), ie);
        }
    }

    private MigrationException stepFailed(MigrationStep step, int attempts, SQLException e, String state) {
        String why = LOCK_NOT_AVAILABLE.equals(e.getSQLState())
                ? "could not get its table locks within the lock timeout after " + attempts + " attempts (a long transaction holds them)"
                : e.getMessage();
        return new MigrationException("migration step " + step.displayName() + " failed: " + why + "; " + state
                + ". Fix the cause and run migrate again.", e);
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static String applicationName() {
        return "postpone-migrator/" + LibraryVersion.current() + " " + clientInfo();
    }

    private static String clientInfo() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return host + " pid " + ProcessHandle.current().pid();
    }

    /** Settings of a {@link Migrator}; every one has a sensible default. */
    public static final class Builder {
        private final DataSource dataSource;
        private SchemaName schema = SchemaName.DEFAULT;
        private MigrationCatalog catalog = MigrationCatalog.bundled();
        private Duration lockTimeout = Duration.ofSeconds(2);
        private Duration statementTimeout = Duration.ofMinutes(1);
        private Duration lockWait = Duration.ofMinutes(2);
        private int stepAttempts = 10;
        private Duration liveWorkerWindow = Duration.ofSeconds(30);
        private MigrationListener listener = MigrationListener.NONE;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        public Builder schema(String name) {
            this.schema = SchemaName.of(name);
            return this;
        }

        public Builder schema(SchemaName name) {
            this.schema = Objects.requireNonNull(name);
            return this;
        }

        /** Steps to apply instead of the bundled ones (tests use this to add failing or slow steps). */
        public Builder catalog(MigrationCatalog catalog) {
            this.catalog = Objects.requireNonNull(catalog);
            return this;
        }

        /** How long one DDL statement may wait for a table lock before it gives up and is retried (default 2 s). */
        public Builder lockTimeout(Duration d) {
            this.lockTimeout = requirePositive(d, "lockTimeout");
            return this;
        }

        /** Statement timeout of transactional steps (default 1 min; 0 = none). */
        public Builder statementTimeout(Duration d) {
            this.statementTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** How long to wait for another migrator to finish (default 2 min). */
        public Builder lockWait(Duration d) {
            this.lockWait = Objects.requireNonNull(d);
            return this;
        }

        /** Attempts per step when it hits the lock timeout (default 10). */
        public Builder stepAttempts(int attempts) {
            if (attempts < 1) throw new IllegalArgumentException("stepAttempts must be at least 1");
            this.stepAttempts = attempts;
            return this;
        }

        /**
         * A worker that registered without a stalled threshold of its own (1.0.0) counts as alive while its
         * last heartbeat is this recent (default 30 s, the workers' own default); 1.1.0 workers by the
         * schema's liveness rule, as the rescuer judges them.
         */
        public Builder liveWorkerWindow(Duration d) {
            this.liveWorkerWindow = requirePositive(d, "liveWorkerWindow");
            return this;
        }

        public Builder listener(MigrationListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        public Migrator build() {
            return new Migrator(this);
        }

        private static Duration requirePositive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
            return d;
        }
    }
}
