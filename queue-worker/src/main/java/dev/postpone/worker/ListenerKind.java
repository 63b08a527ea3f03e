package dev.postpone.worker;

/** How the worker listens for "jobs are due" notifications. */
public enum ListenerKind {
    /** pgjdbc's {@code getNotifications(timeout)} on one dedicated connection (default; ~1–2 ms wake-up). */
    PGJDBC,
    /**
     * pgjdbc-ng's push listener (sub-millisecond wake-up). Needs {@code com.impossibl.pgjdbc-ng:pgjdbc-ng}
     * on the classpath and a {@code jdbc:pgsql:} or {@code jdbc:postgresql:} URL given to the builder.
     */
    PGJDBC_NG
}
