package dev.postpone.worker.internal;

import com.impossibl.postgres.api.jdbc.PGConnection;
import com.impossibl.postgres.api.jdbc.PGNotificationListener;
import dev.postpone.schema.Secrets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens with pgjdbc-ng's push API: the driver calls back on its Netty I/O thread as soon as a
 * notification arrives, and the callback only wakes the producer. When the driver reports the
 * connection closed, a fresh one is opened with backoff and the producer woken once.
 * Loaded only when chosen, so pgjdbc-ng stays an optional dependency.
 */
final class PgjdbcNgListener implements Listener {

    private static final Logger log = LoggerFactory.getLogger(PgjdbcNgListener.class);

    private final String url;
    private final Notifications notifications;
    private volatile boolean stopped;
    private volatile CountDownLatch closed = new CountDownLatch(1);
    private Thread thread;

    PgjdbcNgListener(String url, Notifications notifications) {
        this.url = url;
        this.notifications = notifications;
    }

    @Override
    public void start(String workerName) {
        thread = Thread.ofPlatform().daemon().name("postpone-listener-ng-" + workerName).start(this::loop);
    }

    @Override
    public void stop() throws InterruptedException {
        stopped = true;
        closed.countDown();
        thread.join();
    }

    private void loop() {
        Backoff backoff = Backoff.reconnect();
        boolean reconnecting = false;
        while (!stopped) {
            CountDownLatch connectionClosed = new CountDownLatch(1);
            closed = connectionClosed;
            try (Connection c = DriverManager.getConnection(url)) {
                c.unwrap(PGConnection.class).addNotificationListener(new PGNotificationListener() {
                    @Override
                    public void notification(int processId, String channelName, String payload) {
                        notifications.received(channelName, payload);
                    }

                    @Override
                    public void closed() {
                        connectionClosed.countDown();
                    }
                });
                try (Statement s = c.createStatement()) {
                    for (String channel : notifications.channels()) s.execute("LISTEN \"" + channel + "\"");
                }
                if (reconnecting) log.info("listener.reconnected driver=pgjdbc-ng");
                notifications.listening();
                backoff.reset();
                // Also look every few seconds, in case a dead connection is never reported as closed.
                while (!stopped && !connectionClosed.await(5, TimeUnit.SECONDS)) {
                    if (!c.isValid(5)) break;
                }
                if (stopped) break;
                log.warn("listener.disconnected driver=pgjdbc-ng");
                reconnecting = true;
            } catch (SQLException e) {
                if (stopped) break;
                // The driver's messages may quote the URL, which carries the password here.
                log.warn("listener.disconnected driver=pgjdbc-ng sqlstate={} error=\"{}\"", e.getSQLState(), Secrets.redact(e.getMessage()));
                reconnecting = true;
                if (!backoff.pause()) break;
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    /** The pgjdbc-ng form of a PostgreSQL JDBC URL ({@code jdbc:postgresql:} becomes {@code jdbc:pgsql:}). */
    static String ngUrl(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:pgsql:")) return jdbcUrl;
        if (jdbcUrl.startsWith("jdbc:postgresql:")) return "jdbc:pgsql:" + jdbcUrl.substring("jdbc:postgresql:".length());
        throw new IllegalArgumentException("not a PostgreSQL JDBC URL (expected jdbc:pgsql://host:port/db or"
                + " jdbc:postgresql://host:port/db): " + Secrets.redact(jdbcUrl));
    }
}
