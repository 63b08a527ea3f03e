package dev.postpone.worker.internal;

import dev.postpone.DeferOptions;
import dev.postpone.Task;
import dev.postpone.internal.JobStore;
import dev.postpone.internal.Json;
import dev.postpone.internal.NewJob;
import dev.postpone.internal.PeriodicTick;
import dev.postpone.worker.PeriodicTask;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Defers the jobs of periodic tasks. Each check computes the ticks due since the last one handled and
 * calls {@code defer_periodic_job_v2} for each: the database advances {@code last_tick} for exactly
 * one caller, so a tick is deferred once however many workers check it. Missed ticks (downtime) are
 * limited by the task's catch-up policy; a task never deferred before starts with the first tick
 * after the worker started.
 */
final class PeriodicScheduler implements Chore {

    private static final Logger log = LoggerFactory.getLogger(PeriodicScheduler.class);

    private final JobStore store;
    private final Json json;
    private final List<PeriodicTask<?>> periodic;
    private final Clock clock;
    private final Duration interval;
    private final Instant started;
    /** The last tick handled per task and key (by us or, as the database told us, by another worker). */
    private Map<String, Instant> lastHandled;

    PeriodicScheduler(JobStore store, Json json, List<PeriodicTask<?>> periodic, Clock clock, Duration interval) {
        this.store = store;
        this.json = json;
        this.periodic = List.copyOf(periodic);
        this.clock = clock;
        this.interval = interval;
        this.started = clock.instant();
    }

    @Override
    public String name() {
        return "periodic";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void run(Connection c) throws SQLException {
        if (lastHandled == null) lastHandled = loadLastTicks(c);
        Instant now = clock.instant();
        for (PeriodicTask<?> p : periodic) {
            String id = id(p.task().name(), p.key());
            Instant last = lastHandled.getOrDefault(id, started);
            for (Instant tick : dueTicks(p, last, now)) {
                Optional<Long> job = defer(c, p, tick);
                lastHandled.put(id, tick);
                if (job.isPresent()) {
                    log.info("periodic.deferred task={} key={} tick={} job_id={}", p.task().name(), p.key(), tick, job.get());
                } else {
                    log.debug("periodic.skipped task={} key={} tick={} reason=\"already deferred, or queueing lock taken\"",
                            p.task().name(), p.key(), tick);
                }
            }
        }
    }

    /** The ticks after {@code last} up to {@code now}, the most recent ones only, as the catch-up policy allows. */
    static List<Instant> dueTicks(PeriodicTask<?> p, Instant last, Instant now) {
        int keep = p.catchUp().maxTicks();
        Deque<Instant> due = new ArrayDeque<>(keep);
        Optional<Instant> next = p.schedule().nextAfter(last);
        while (next.isPresent() && !next.get().isAfter(now)) {
            if (due.size() == keep) due.removeFirst();
            due.addLast(next.get());
            next = p.schedule().nextAfter(next.get());
        }
        return List.copyOf(due);
    }

    private <A> Optional<Long> defer(Connection c, PeriodicTask<A> p, Instant tick) throws SQLException {
        Task<A> task = p.task();
        A args = p.argsFor(tick);
        NewJob job = NewJob.of(task, args, json.write(args, task.name()), DeferOptions.defaults(), tick);
        return store.deferPeriodic(c, p.key(), tick, job);
    }

    private Map<String, Instant> loadLastTicks(Connection c) throws SQLException {
        Map<String, Instant> ticks = new HashMap<>();
        for (PeriodicTick t : store.periodicLastTicks(c)) ticks.put(id(t.task(), t.key()), t.lastTick());
        return ticks;
    }

    private static String id(String task, String key) {
        return task + '\u0000' + key;
    }
}
