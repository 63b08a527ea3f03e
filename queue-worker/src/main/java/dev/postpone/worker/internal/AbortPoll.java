package dev.postpone.worker.internal;

import dev.postpone.internal.AbortRequested;
import dev.postpone.internal.JobStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;

/**
 * The safety net under the aborts channel: while the worker holds jobs, asks every heartbeat interval
 * which of them someone cancelled ({@code abort_requests_v1}, an index lookup of this worker's doing
 * jobs), and hands those to the executor. A notification that was lost (listener reconnecting, LISTEN
 * off) so delays an abort by one interval at most. An idle worker asks nothing.
 */
final class AbortPoll implements Chore {

    private final JobStore store;
    private final JobExecutor executor;
    private final Duration interval;

    AbortPoll(JobStore store, JobExecutor executor, Duration interval) {
        this.store = store;
        this.executor = executor;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "abort-poll";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void run(Connection c) throws SQLException {
        Set<Long> workerIds = executor.heldUnder();
        if (workerIds.isEmpty()) return;
        for (AbortRequested a : store.abortRequests(c, workerIds)) executor.abort(a.workerId(), a.jobId());
    }
}
