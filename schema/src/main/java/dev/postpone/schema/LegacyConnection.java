package dev.postpone.schema;

/**
 * A database session whose last statement called a function that pending post steps drop: an
 * application of an older release that never registers (1.0.0 clients do not), seen in
 * {@code pg_stat_activity}. Sessions of other roles are visible only to a migrator with
 * {@code pg_read_all_stats} (or a superuser).
 */
public record LegacyConnection(int backendPid, String applicationName, String clientAddress, String function) {

    /** The application name every Postpone worker gives its sessions (1.0.0's too). */
    static final String WORKER_APPLICATION = "postpone-worker";

    /** A session a worker opened: while old workers are listed, one of theirs, not a blocker of its own. */
    boolean ofAWorker() {
        return WORKER_APPLICATION.equals(applicationName);
    }

    public String describe() {
        return "a connection from " + (clientAddress == null ? "a local socket" : clientAddress)
                + (applicationName == null || applicationName.isEmpty() ? "" : " ('" + applicationName + "')")
                + " backend pid " + backendPid + " that last called " + function;
    }
}
