package dev.postpone.worker.internal;

import dev.postpone.SchemaNotReadyException;
import dev.postpone.internal.FetchedJob;
import dev.postpone.internal.JobRunner;
import dev.postpone.internal.JobStore;
import dev.postpone.internal.Json;
import dev.postpone.internal.SqlFunction;
import dev.postpone.internal.WorkerRegistration;
import dev.postpone.schema.Channels;
import dev.postpone.internal.Host;
import dev.postpone.schema.LibraryVersion;
import dev.postpone.schema.PoolerAwareDataSource;
import dev.postpone.schema.Release;
import dev.postpone.worker.ListenerKind;
import dev.postpone.worker.WorkerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the components of one worker together and runs its life cycle: start (schema check,
 * registration, components) and stop (stop fetching, drain, hand back what did not finish, unregister).
 * {@code dev.postpone.worker.Worker} is its public face.
 */
public final class WorkerRuntime {

    private static final Logger log = LoggerFactory.getLogger("dev.postpone.worker.Worker");
    /** Housekeeping starts a moment after the worker, so the first heartbeat and rescue do not race startup. */
    private static final Duration HOUSEKEEPING_FIRST_DELAY = Duration.ofMillis(200);
    private static final Duration PERIODIC_CHECK = Duration.ofMillis(250);
    private static final Duration CLEANER_INTERVAL = Duration.ofMinutes(1);
    private static final Duration QUEUE_DEPTH_INTERVAL = Duration.ofSeconds(10);
    /**
     * The final writes at shutdown (outcomes, unregistering) get what is left of the shutdown timeout, but
     * at least this: outcomes are worth one attempt even when running jobs used the whole timeout.
     */
    private static final Duration FINAL_WRITES_AT_LEAST = Duration.ofSeconds(2);

    private final WorkerSettings settings;
    private final WorkerConnections connections;
    private final JobStore store;
    private final WorkerIdentity identity;
    private final MeterRegistry meterRegistry;
    private final PrometheusEndpoint prometheus;
    private final Wakeup wakeup = new Wakeup();
    private final Completer completer;
    private final JobExecutor executor;
    private final Producer producer;
    private final Listener listener;
    private final Housekeeper housekeeper;
    private final WarmUp warmUp;
    private final ScheduledThreadPoolExecutor timeouts;
    private final Gauge inFlightGauge;
    private final List<Chore> chores;
    private final AtomicInteger closeRequests = new AtomicInteger();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile String schemaIncompatibility;

    private WorkerRuntime(WorkerSettings s, WorkerConnections connections) {
        this.settings = s;
        this.connections = connections;
        this.store = new JobStore(s.schema());
        Json json = new Json(s.objectMapper());
        this.identity = new WorkerIdentity(new WorkerRegistration(s.name(), Host.name(), ProcessHandle.current().pid(),
                LibraryVersion.current(), s.queues(), s.concurrency(), s.stalledThreshold(), connections.livenessLock()), store);
        this.prometheus = s.prometheusAddress() != null ? new PrometheusEndpoint(s.prometheusAddress()) : null;
        this.meterRegistry = registry(s.meterRegistry(), prometheus);
        JobMeters jobMeters = new JobMeters(meterRegistry);
        // Job timeouts and statement bounds: its tasks only flag, interrupt or start a virtual thread, so one thread serves all.
        this.timeouts = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("postpone-timeouts-" + s.name()).factory());
        timeouts.setRemoveOnCancelPolicy(true);
        this.completer = new Completer(connections.hotPath(), store, wakeup::jobsMayBeDue, s.statementTimeouts().complete(), timeouts,
                s.concurrency());
        this.executor = new JobExecutor(s.concurrency(), s.maxPrefetch(), s.tasks(), new JobRunner(s.tasks(), json, s.clock()), completer, jobMeters,
                s.name(), s.clock(), timeouts, wakeup::slotFreed);
        this.producer = new Producer(connections.hotPath(), store, identity, s.queues(), executor, wakeup, s.pollInterval(),
                s.statementTimeouts().fetch(), timeouts);
        this.housekeeper = new Housekeeper(connections.housekeeping(), s.statementTimeouts().maintenance(), timeouts, s.name());
        SchemaWatcher watcher = new SchemaWatcher(s.schema(), housekeeper,
                reason -> {
                    schemaIncompatibility = reason;
                    Thread.ofPlatform().name("postpone-stop-" + s.name()).start(() -> drainAndStop("schema_incompatible"));
                });
        Notifications notifications = new Notifications(Channels.jobs(s.schema()), Channels.aborts(s.schema()), Channels.schema(s.schema()),
                s.queues(), wakeup, executor::abort, watcher::schemaChanged);
        this.listener = !s.listen() ? null : s.listenerKind() == ListenerKind.PGJDBC_NG
                ? new PgjdbcNgListener(PgjdbcNgListener.ngUrl(s.listenerUrl()), notifications)
                : connections.listen() != null ? new PgjdbcListener(connections.listen(), notifications) : null;
        this.inFlightGauge = Gauge.builder(WorkerMetrics.JOBS_IN_FLIGHT, executor, JobExecutor::inFlight)
                .description("Jobs running in this worker").tag("worker", s.name()).register(meterRegistry);
        this.chores = chores(s, json, jobMeters);
        this.warmUp = new WarmUp(s.tasks(), json, jobMeters, s.clock(), s.name());
    }

    private List<Chore> chores(WorkerSettings s, Json json, JobMeters jobMeters) {
        List<Chore> list = new ArrayList<>();
        list.add(new Heartbeat(store, identity, s.heartbeatInterval()));
        // Aborts arrive by NOTIFY within milliseconds; this poll catches the ones a listener missed.
        list.add(new AbortPoll(store, executor, s.heartbeatInterval()));
        // Rescue as often as heartbeats go: a killed worker's lock is free at once, so its jobs wait about the grace.
        list.add(new Rescuer(store, identity, s.stalledThreshold(), lockGrace(s.heartbeatInterval()), s.heartbeatInterval(), jobMeters,
                housekeeper::reconnectedWithin));
        if (!s.periodicTasks().isEmpty()) list.add(new PeriodicScheduler(store, json, s.periodicTasks(), s.clock(), PERIODIC_CHECK));
        if (!s.retention().deletesNothing()) list.add(new Cleaner(store, s.retention(), CLEANER_INTERVAL));
        if (s.meterRegistry() != null || prometheus != null) list.add(new QueueDepthSampler(store, meterRegistry, QUEUE_DEPTH_INTERVAL));
        return list;
    }

    /**
     * How long a worker whose liveness lock is free still counts as alive after its last heartbeat: one
     * heartbeat interval and a half, so a worker whose session was cut (a server restart) takes its lock
     * again with its next heartbeat before anyone rescues its jobs.
     */
    static Duration lockGrace(Duration heartbeatInterval) {
        return heartbeatInterval.plus(heartbeatInterval.dividedBy(2));
    }

    private static MeterRegistry registry(MeterRegistry given, PrometheusEndpoint prometheus) {
        if (prometheus == null) return given != null ? given : new CompositeMeterRegistry();
        CompositeMeterRegistry both = new CompositeMeterRegistry();
        both.add(prometheus.registry());
        if (given != null) both.add(given);
        return both;
    }

    /**
     * Checks the schema, registers and starts every component.
     *
     * @throws SchemaNotReadyException with the migrate command when the schema cannot serve this release
     */
    public static WorkerRuntime start(WorkerSettings settings) throws SchemaNotReadyException {
        PoolerAwareDataSource dataSource = PoolerAwareDataSource.wrap(settings.dataSource());
        SchemaWatcher.require(dataSource, settings.schema());
        WorkerRuntime runtime = new WorkerRuntime(settings, WorkerConnections.of(settings, dataSource));
        runtime.startComponents();
        return runtime;
    }

    private void startComponents() {
        try {
            // Register and take the liveness lock at once, on the session that keeps it (see Heartbeat).
            housekeeper.call(SqlFunction.REGISTER_WORKER.functionName(),
                    c -> store.heartbeat(c, identity.register(c), java.time.Instant.now()));
        } catch (SQLException e) {
            try {
                housekeeper.stop();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            closeResources();
            throw new dev.postpone.PostponeException("cannot register worker '" + settings.name() + "': " + e.getMessage(), e);
        }
        String name = settings.name();
        warmUp.run();
        completer.start(name);
        if (listener != null) listener.start(name);
        producer.start(name);
        housekeeper.start(chores, HOUSEKEEPING_FIRST_DELAY);
        log.info("worker.started worker={} worker_id={} version={} schema_release={} queues={} concurrency={} listen={} poll_interval={}"
                        + " liveness_lock={} pooler={} tasks={} periodic={}", name, identity.id(), LibraryVersion.current(), Release.current(),
                settings.queues() == null ? "all" : settings.queues(), settings.concurrency(),
                listener != null ? settings.listenerKind() : "off", settings.pollInterval(), connections.livenessLock(),
                connections.pooled(), settings.tasks().tasks().size(), settings.periodicTasks().size());
        if (connections.pooled() && settings.sessionDataSource() == null) {
            String polls = connections.pollOnly() ? " and polls every " + settings.pollInterval() + " instead of listening" : "";
            log.info("worker.behind_pooler worker={} liveness_lock=false listen={} reason=\"its data source goes through a connection"
                    + " pooler, where a session lock (and LISTEN) does not hold: it is declared dead by its heartbeat alone (stalled"
                    + " threshold {}){}; sessionDataSource(...) (CLI: --session-database-url) gives it a direct connection for both\"",
                    name, listener != null ? settings.listenerKind() : "off", settings.stalledThreshold(), polls);
        }
    }

    public long id() {
        return identity.id();
    }

    public boolean isFenced() {
        return !identity.mayTakeJobs();
    }

    /** Set when a migration removed what this worker calls and it stopped for that. */
    public java.util.Optional<String> schemaIncompatibility() {
        return java.util.Optional.ofNullable(schemaIncompatibility);
    }

    public String name() {
        return settings.name();
    }

    public boolean isRunning() {
        return !stopping.get();
    }

    /** Jobs running right now. */
    public int inFlight() {
        return executor.inFlight();
    }

    /** The port the Prometheus endpoint listens on, or -1 when there is none. */
    public int prometheusPort() {
        return prometheus == null ? -1 : prometheus.port();
    }

    /**
     * Stops gracefully; a second call while the first still drains stops hard (skips the wait for
     * running jobs). Returns once the worker has stopped.
     */
    public void close() {
        if (closeRequests.incrementAndGet() > 1 && stopping.get() && stopped.getCount() > 0) {
            log.warn("worker.stopping_now worker={} reason=\"second stop request: not waiting for running jobs\"", settings.name());
            executor.nudge();
        }
        drainAndStop("close");
    }

    /** True while the worker drains (between the first stop request and stopped). */
    public boolean isStopping() {
        return stopping.get() && stopped.getCount() > 0;
    }

    /** Waits until the worker has stopped (after a close, or after the schema became incompatible). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    private void drainAndStop(String reason) {
        if (!stopping.compareAndSet(false, true)) {
            awaitStoppedUninterruptibly();
            return;
        }
        try {
            stopSequence(reason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("worker.stop_interrupted worker={}", settings.name());
        } finally {
            stopped.countDown();
        }
    }

    private void stopSequence(String reason) throws InterruptedException {
        String name = settings.name();
        log.info("worker.stopping worker={} reason={} in_flight={} shutdown_timeout={}", name, reason, executor.inFlight(),
                settings.shutdownTimeout());
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        producer.stop();
        List<FetchedJob> notStarted = executor.dropWaiting();
        if (!notStarted.isEmpty()) {
            log.info("worker.prefetched_jobs_dropped worker={} jobs={} reason=\"not started; handed back when the worker"
                    + " unregisters, attempt not counted\"", name, notStarted.size());
        }
        boolean idle = executor.awaitIdle(deadline, () -> closeRequests.get() > 1);
        if (!idle) {
            List<FetchedJob> abandoned = executor.abandonAll();
            log.warn("worker.jobs_interrupted worker={} jobs={} job_ids={} reason=\"still running after the shutdown timeout;"
                    + " handed back to todo, attempt not counted\"", name, abandoned.size(),
                    abandoned.stream().map(FetchedJob::id).toList());
        }
        long finalDeadline = closeRequests.get() > 1 ? System.nanoTime() + FINAL_WRITES_AT_LEAST.toNanos()
                : Math.max(deadline, System.nanoTime() + FINAL_WRITES_AT_LEAST.toNanos());
        // Outcomes first, then unregister: unregistering hands every job still doing back to todo.
        int unwritten = completer.flushAndStop(remaining(finalDeadline));
        if (listener != null) listener.stop();
        housekeeper.stop();
        unregister(unwritten, finalDeadline);
        closeResources();
        log.info("worker.stopped worker={} reason={}", name, reason);
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofMillis(Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000));
    }

    /** Unregisters every id this worker had, retrying until {@code deadlineNanos}; each id gets at least one try. */
    private void unregister(int unwritten, long deadlineNanos) {
        List<Long> ids = new ArrayList<>(identity.retired());
        ids.add(identity.id());
        // A session of its own: the housekeeping one is stopped, and this keeps the count at one connection per component.
        try (SqlSession session = new SqlSession(connections.hotPath(), "unregister", timeouts)) {
            for (long id : ids) {
                Backoff backoff = Backoff.reconnect();
                for (int attempt = 1; ; attempt++) {
                    Duration bound = clamp(remaining(deadlineNanos), Duration.ofSeconds(1), settings.statementTimeouts().maintenance());
                    try {
                        int released = session.call(SqlFunction.UNREGISTER_WORKER.functionName(), bound,
                                c -> store.unregisterWorker(c, id, java.time.Instant.now()));
                        identity.forget(id);
                        if (released > 0 || unwritten > 0) {
                            log.info("worker.unregistered worker_id={} jobs_released={} outcomes_unwritten={}", id, released, unwritten);
                        }
                        break;
                    } catch (SQLException e) {
                        // The session reopens its connection on the next call; a few tries ride out a restart in progress.
                        if (attempt < 3 && System.nanoTime() < deadlineNanos && backoff.pause()) continue;
                        log.warn("worker.unregister_failed worker_id={} error=\"{}\" consequence=\"its jobs are rescued after the"
                                + " stalled threshold\"", id, e.getMessage());
                        break;
                    }
                }
            }
        }
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }

    private void closeResources() {
        timeouts.shutdownNow();
        meterRegistry.remove(inFlightGauge);
        if (prometheus != null) prometheus.close();
    }

    private void awaitStoppedUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                stopped.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
