package dev.postpone.worker.internal;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Chore}s (heartbeat, rescuer, periodic, cleaner, queue depth) one at a time on one
 * thread and one connection: housekeeping never competes with the hot path for connections, and a
 * database outage shows up as a warning per chore run until the connection comes back.
 */
final class Housekeeper {

    private static final Logger log = LoggerFactory.getLogger(Housekeeper.class);

    private final SqlSession session;
    private ScheduledExecutorService scheduler;

    Housekeeper(DataSource dataSource) {
        this.session = new SqlSession(dataSource);
    }

    /** The housekeeping connection, for work done before {@link #start} or after {@link #stop}. */
    SqlSession session() {
        return session;
    }

    void start(String workerName, List<Chore> chores, Duration firstDelay) {
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("postpone-housekeeping-" + workerName).factory());
        for (Chore chore : chores) {
            long first = Math.min(firstDelay.toMillis(), chore.interval().toMillis());
            scheduler.scheduleWithFixedDelay(() -> runOnce(chore), first, chore.interval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void runOnce(Chore chore) {
        try {
            session.call(c -> {
                chore.run(c);
                return null;
            });
        } catch (SQLException e) {
            log.warn("housekeeping.failed chore={} sqlstate={} error=\"{}\"", chore.name(), e.getSQLState(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("housekeeping.failed chore={} error=\"{}\"", chore.name(), e.toString(), e);
        }
    }

    /** Stops the chores, waiting for one in progress to end. */
    void stop() throws InterruptedException {
        if (scheduler == null) return;
        scheduler.shutdownNow();
        scheduler.awaitTermination(30, TimeUnit.SECONDS);
    }
}
