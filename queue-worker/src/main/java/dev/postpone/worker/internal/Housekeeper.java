package dev.postpone.worker.internal;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Chore}s (heartbeat, rescuer, periodic, cleaner, queue depth) and the schema checks
 * one at a time on one thread and one connection: housekeeping never competes with the hot path for
 * connections, and a database outage shows up as a warning per chore run until the connection comes
 * back. Each run is bounded by the maintenance statement timeout, so a stuck chore cannot hold up the
 * heartbeat behind it for long.
 */
final class Housekeeper {

    private static final Logger log = LoggerFactory.getLogger(Housekeeper.class);

    private final SqlSession session;
    private final Duration bound;
    private final ScheduledExecutorService scheduler;

    Housekeeper(DataSource dataSource, Duration bound, ScheduledExecutorService timer, String workerName) {
        this.session = new SqlSession(dataSource, "housekeeping", timer);
        this.bound = bound;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("postpone-housekeeping-" + workerName).factory());
    }

    /**
     * Whether the housekeeping connection was lost and opened anew less than {@code window} ago: the
     * worker's server session, and the liveness lock it held, ended then (a database restart or failover
     * ends everyone's at once).
     */
    boolean reconnectedWithin(Duration window) {
        return session.reconnectedWithin(window);
    }

    /** Runs {@code work} on the housekeeping connection from the caller's thread; only before {@link #start}. */
    <T> T call(String statement, SqlSession.Work<T> work) throws SQLException {
        return session.call(statement, bound, work);
    }

    void start(List<Chore> chores, Duration firstDelay) {
        for (Chore chore : chores) {
            long first = Math.min(firstDelay.toMillis(), chore.interval().toMillis());
            scheduler.scheduleWithFixedDelay(() -> runChore(chore), first, chore.interval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Runs a chore; one that is behind goes to the back of the queue at once, so it catches up between
     * the other chores (an overdue heartbeat runs first) instead of waiting for its next interval.
     */
    private void runChore(Chore chore) {
        runOnce(chore.name(), c -> {
            chore.run(c);
            return null;
        });
        if (chore.behind()) queue(() -> runChore(chore));
    }

    /** Runs {@code work} once, soon, between the chores; ignored once stopped. */
    void runSoon(String name, SqlSession.Work<?> work) {
        queue(() -> runOnce(name, work));
    }

    /** Queues a task behind the chores already due; ignored once stopped. */
    private void queue(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException stopped) {
            // The worker is stopping: nothing left to do.
        }
    }

    private void runOnce(String name, SqlSession.Work<?> work) {
        try {
            session.call(name, bound, work);
        } catch (SQLException e) {
            log.warn("housekeeping.failed chore={} sqlstate={} error=\"{}\"", name, e.getSQLState(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("housekeeping.failed chore={} error=\"{}\"", name, e.toString(), e);
        }
    }

    /** Stops the chores; one in progress is cancelled (its result is no longer wanted) and waited for briefly. */
    void stop() throws InterruptedException {
        scheduler.shutdownNow();
        session.stop("shutdown");
        if (!scheduler.awaitTermination(SqlSession.STOPPED_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("housekeeping.stop_timed_out reason=\"a chore did not end after its cancel; not waiting for it\"");
            return;
        }
        session.close();
    }
}
