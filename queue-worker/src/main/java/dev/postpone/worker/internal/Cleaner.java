package dev.postpone.worker.internal;

import dev.postpone.internal.JobStore;
import dev.postpone.worker.Retention;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished jobs past their retention, in batches of {@link #BATCH_SIZE} with a short pause
 * between them so locks stay short; at most {@link #MAX_BATCHES_PER_RUN} batches per run, so the
 * heartbeat sharing the housekeeping thread is never held up for long. A run that stops with jobs
 * left is {@link #behind()}: the housekeeper runs it again right away, so the cleaner keeps up with
 * any rate of finished jobs (one run a minute of 20 000 jobs would fall behind past 333 jobs/s).
 */
final class Cleaner implements Chore {

    static final int BATCH_SIZE = 1000;
    static final int MAX_BATCHES_PER_RUN = 20;
    private static final long PAUSE_MILLIS = 20;
    private static final Logger log = LoggerFactory.getLogger(Cleaner.class);

    private final JobStore store;
    private final Retention retention;
    private final Duration interval;
    private volatile boolean behind;

    Cleaner(JobStore store, Retention retention, Duration interval) {
        this.store = store;
        this.retention = retention;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "cleaner";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void run(Connection c) throws SQLException {
        long total = 0;
        boolean more = false;
        behind = false; // a run that fails is retried at the next interval, not at once
        for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
            int deleted = store.deleteFinishedJobs(c, retention.olderThan(), retention.statuses(), BATCH_SIZE);
            total += deleted;
            more = deleted == BATCH_SIZE;
            if (!more) break;
            try {
                Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        behind = more;
        if (total > 0) log.info("cleaner.deleted jobs={} older_than={} statuses={}", total, retention.olderThan(), retention.statuses());
    }

    @Override
    public boolean behind() {
        return behind;
    }
}
