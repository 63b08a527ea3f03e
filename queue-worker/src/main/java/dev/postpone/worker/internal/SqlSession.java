package dev.postpone.worker.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived autocommit connection owned by one component (producer, completer, housekeeping),
 * so the hot path never waits for a pool. After any SQL failure the connection is closed and the
 * next call opens a fresh one: that is how components recover from a database restart.
 *
 * <p>Every call has a bound. Past it, or when {@link #stop} says the result is no longer wanted, the
 * statement is cancelled on the server (a pgjdbc cancel request, like {@code Statement.cancel()}: no
 * session state, so it works through PgBouncer too) and the call fails with SQLSTATE 57014. If the
 * statement still has not returned {@link #CANCEL_GRACE} later (the server is unreachable), the
 * connection is aborted under it. A call that used more than half its bound is logged as slow.
 *
 * <p>Calls come from one thread at a time; {@link #stop} may come from any thread.
 */
final class SqlSession implements AutoCloseable {

    /** Work done on the session's connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** How long a cancelled statement may take to give up before its connection is aborted. */
    static final Duration CANCEL_GRACE = Duration.ofSeconds(3);
    /** A thread whose session was {@linkplain #stop stopped} ends within this: the cancel's grace, then the abort. */
    static final Duration STOPPED_WITHIN = CANCEL_GRACE.plusSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(SqlSession.class);

    /** The call running now. */
    private final class InFlight {
        final String statement;
        final Duration bound;
        final Connection connection;
        final long startNanos = System.nanoTime();
        ScheduledFuture<?> timeout;
        ScheduledFuture<?> abort;
        boolean cancelled;

        InFlight(String statement, Duration bound, Connection connection) {
            this.statement = statement;
            this.bound = bound;
            this.connection = connection;
        }

        long millis() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        }
    }

    private final DataSource dataSource;
    private final String component;
    private final ScheduledExecutorService timer;
    /** Held while a cancel request is sent, so a call cannot end (and its connection run the next statement) meanwhile. */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile InFlight inFlight;
    private String stopReason;
    private Connection connection;
    private boolean everConnected;
    /** When the session last opened a connection after losing one; 0 before that ever happened. */
    private volatile long reconnectedAtNanos;

    /** {@code component} names the owner in logs; {@code timer} fires the bounds (it only starts virtual threads). */
    SqlSession(DataSource dataSource, String component, ScheduledExecutorService timer) {
        this.dataSource = dataSource;
        this.component = component;
        this.timer = timer;
    }

    /** Runs {@code work}, named {@code statement} in logs, cancelling it when it runs longer than {@code bound}. */
    <T> T call(String statement, Duration bound, Work<T> work) throws SQLException {
        InFlight call = null;
        try {
            if (connection == null) {
                connection = dataSource.getConnection();
                if (everConnected) reconnectedAtNanos = System.nanoTime();
                everConnected = true;
                if (!connection.getAutoCommit()) connection.setAutoCommit(true);
            }
            call = begin(statement, bound, connection);
            T result = work.run(connection);
            end(call);
            return result;
        } catch (SQLException | RuntimeException e) {
            if (call != null) end(call);
            close();
            throw e;
        }
    }

    /** Whether the session had to open a new connection, after losing its previous one, less than {@code window} ago. */
    boolean reconnectedWithin(Duration window) {
        long at = reconnectedAtNanos;
        return at != 0 && System.nanoTime() - at < window.toNanos();
    }

    /**
     * Stops the session for good: the call in progress, if any, is cancelled because its result is no
     * longer wanted (the worker stops), and later calls fail without running. Returns at once; the call
     * in progress fails soon after.
     */
    void stop(String reason) {
        InFlight call;
        lock.lock();
        try {
            stopReason = reason;
            call = inFlight;
        } finally {
            lock.unlock();
        }
        if (call != null) Thread.ofVirtual().name("postpone-cancel-" + component).start(() -> cancel(call, reason));
    }

    private InFlight begin(String statement, Duration bound, Connection c) throws SQLException {
        InFlight call = new InFlight(statement, bound, c);
        lock.lock();
        try {
            // Checked under the lock so a call cannot slip in between stop() and its cancel.
            if (stopReason != null) throw new SQLException(statement + " not run: the " + component + " stopped (" + stopReason + ")", "57014");
            inFlight = call;
        } finally {
            lock.unlock();
        }
        call.timeout = timer.schedule(
                () -> Thread.ofVirtual().name("postpone-cancel-" + component).start(() -> cancel(call, "timeout")),
                bound.toNanos(), TimeUnit.NANOSECONDS);
        return call;
    }

    private void end(InFlight call) {
        lock.lock();
        try {
            inFlight = null;
        } finally {
            lock.unlock();
        }
        call.timeout.cancel(false);
        if (call.abort != null) call.abort.cancel(false);
        long millis = call.millis();
        if (!call.cancelled && millis > call.bound.toMillis() / 2) {
            log.warn("statement.slow component={} statement={} ms={} bound={} reason=\"used more than half its bound;"
                    + " it is cancelled at the bound\"", component, call.statement, millis, call.bound);
        }
    }

    private void cancel(InFlight call, String reason) {
        lock.lock();
        try {
            if (inFlight != call || call.cancelled) return;
            call.cancelled = true;
            // At shutdown a cancel is the plan, not a problem: only a bound that ran out deserves a warning.
            if ("shutdown".equals(reason)) {
                log.info("statement.cancelled component={} statement={} ms={} bound={} reason={}", component, call.statement,
                        call.millis(), call.bound, reason);
            } else {
                log.warn("statement.cancelled component={} statement={} ms={} bound={} reason={}", component, call.statement,
                        call.millis(), call.bound, reason);
            }
            call.abort = timer.schedule(() -> abort(call), CANCEL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            call.connection.unwrap(PGConnection.class).cancelQuery();
        } catch (SQLException e) {
            // Not a pgjdbc connection, or the cancel request could not be sent: close the connection instead.
            log.warn("statement.cancel_failed component={} statement={} error=\"{}\"", component, call.statement, e.getMessage());
            abort(call);
        } finally {
            lock.unlock();
        }
    }

    /** Closes the socket under a statement that did not give up after its cancel: its read then fails at once. */
    private void abort(InFlight call) {
        if (inFlight != call) return;
        log.warn("statement.aborted component={} statement={} ms={} reason=\"no answer after the cancel; closing its connection\"",
                component, call.statement, call.millis());
        try {
            call.connection.abort(r -> Thread.ofVirtual().start(r));
        } catch (SQLException | RuntimeException e) {
            log.debug("statement.abort_failed component={} error=\"{}\"", component, e.getMessage());
        }
    }

    @Override
    public void close() {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the connection is already broken; nothing more to release
        } finally {
            connection = null;
        }
    }
}
