package dev.postpone.worker;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the worker lets its own statements run before it cancels them on the server (a pgjdbc
 * cancel request: no session state, so it works through PgBouncer), so that one slow query cannot
 * stall a worker silently. A statement that used more than half its bound is logged as
 * {@code statement.slow}; one cancelled at its bound as {@code statement.cancelled}. A cancelled
 * statement rolls back and its component carries on as after any database error.
 *
 * @param fetch       {@code fetch_jobs_v2} (and re-registering after a failed fetch). Default 30 s: a fetch
 *                    takes milliseconds, so one waiting this long is stuck on a lock or a bloated table;
 *                    cancelling it claims nothing, and the producer tries again.
 * @param complete    one {@code complete_jobs_v2} batch. Default 30 s: the completer keeps the outcomes and
 *                    writes them again, so cancelling loses nothing.
 * @param maintenance one housekeeping run (heartbeat, rescuer, periodic tasks, cleaner, queue depth, schema
 *                    check), registering and unregistering. Default 10 s: chores run one at a time on one
 *                    thread, so a stuck chore holds up the heartbeat behind it; 10 s plus the 5 s heartbeat
 *                    interval stays well inside the 30 s stalled threshold. Keep it below
 *                    {@code stalledThreshold - heartbeatInterval} when you change those.
 */
public record StatementTimeouts(Duration fetch, Duration complete, Duration maintenance) {

    public StatementTimeouts {
        positive("fetch", fetch);
        positive("complete", complete);
        positive("maintenance", maintenance);
    }

    /** Fetch 30 s, complete 30 s, maintenance 10 s. */
    public static StatementTimeouts defaults() {
        return new StatementTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    public StatementTimeouts withFetch(Duration fetch) {
        return new StatementTimeouts(fetch, complete, maintenance);
    }

    public StatementTimeouts withComplete(Duration complete) {
        return new StatementTimeouts(fetch, complete, maintenance);
    }

    public StatementTimeouts withMaintenance(Duration maintenance) {
        return new StatementTimeouts(fetch, complete, maintenance);
    }

    private static void positive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("statement timeout " + what + " must be positive: " + d);
    }
}
