package dev.postpone.worker.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens with pgjdbc: one dedicated autocommit connection, used for nothing else because
 * {@code getNotifications(timeout)} holds the connection's lock while it waits (and because pgjdbc's
 * look for more messages after each notification is turned off on it: {@link TrailingPeek}). On failure the
 * connection is dropped and reopened with backoff; after a reconnect the producer is woken once,
 * since notifications sent meanwhile were lost.
 */
final class PgjdbcListener implements Listener {

    private static final Logger log = LoggerFactory.getLogger(PgjdbcListener.class);
    /** Bounds how long stop() waits, and how long a silently dead socket can go unnoticed per wait. */
    private static final int WAIT_MILLIS = 500;

    private final DataSource dataSource;
    private final Notifications notifications;
    private volatile boolean stopped;
    private Thread thread;

    PgjdbcListener(DataSource dataSource, Notifications notifications) {
        this.dataSource = dataSource;
        this.notifications = notifications;
    }

    @Override
    public void start(String workerName) {
        thread = Thread.ofPlatform().daemon().name("postpone-listener-" + workerName).start(this::loop);
    }

    @Override
    public void stop() throws InterruptedException {
        stopped = true;
        thread.join();
    }

    private void loop() {
        Backoff backoff = Backoff.reconnect();
        boolean reconnecting = false;
        while (!stopped) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    for (String channel : notifications.channels()) s.execute("LISTEN \"" + channel + "\"");
                }
                if (reconnecting) log.info("listener.reconnected");
                if (!TrailingPeek.skip(c)) log.debug("listener.trailing_peek_kept reason=\"pgjdbc internals differ: wake-ups ~1 ms later\"");
                notifications.listening();
                backoff.reset();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!stopped) {
                    PGNotification[] received = pg.getNotifications(WAIT_MILLIS);
                    if (received == null) continue;
                    for (PGNotification n : received) notifications.received(n.getName(), n.getParameter());
                }
            } catch (SQLException e) {
                if (stopped) break;
                log.warn("listener.disconnected sqlstate={} error=\"{}\"", e.getSQLState(), e.getMessage());
                reconnecting = true;
                if (!backoff.pause()) break;
            }
        }
    }
}
