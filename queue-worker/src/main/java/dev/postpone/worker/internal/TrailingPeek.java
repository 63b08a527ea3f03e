package dev.postpone.worker.internal;

import java.lang.reflect.Field;
import java.sql.Connection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.PGStream;
import org.postgresql.core.QueryExecutorBase;

/**
 * pgjdbc's {@code getNotifications(timeout)} returns a notification only after looking for more messages:
 * it reads the socket with a 1 ms timeout ({@code PGStream.hasMessagePending}). Its once-a-second throttle
 * of that look engages only at the end of the stream, not on the timeout, so every wake-up came about
 * 1.2 ms late (bare NOTIFY to listener, median: 1.3 to 1.5 ms; without the look 0.1 ms; pgjdbc-ng 0.3 ms;
 * docs/benchmarks.md). On a connection that only listens the look gains nothing: a message it would find
 * is read at once by the next wait. So the throttle is set to never expire there. This reaches into
 * pgjdbc's internals; where they differ (another pgjdbc version, or pgjdbc in a named module that does not
 * open them), the connection keeps pgjdbc's behaviour.
 */
final class TrailingPeek {

    private static final Field STREAM = field(QueryExecutorBase.class, "pgStream");
    private static final Field NEXT_CHECK = field(PGStream.class, "nextStreamAvailableCheckTime");

    private TrailingPeek() {
    }

    /** Turns the trailing look off for this (listening) connection; false when pgjdbc's internals are not as expected. */
    static boolean skip(Connection listening) {
        if (STREAM == null || NEXT_CHECK == null) return false;
        try {
            Object executor = listening.unwrap(BaseConnection.class).getQueryExecutor();
            if (!(executor instanceof QueryExecutorBase)) return false;
            NEXT_CHECK.setLong(STREAM.get(executor), Long.MAX_VALUE);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | java.sql.SQLException e) {
            return false;
        }
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
