package dev.postpone.worker.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/** A periodic piece of housekeeping, run on the housekeeping connection by the {@link Housekeeper}. */
interface Chore {

    /** For logs. */
    String name();

    Duration interval();

    void run(Connection c) throws SQLException;

    /** Whether the last run stopped with work left: the Housekeeper runs it again soon, not after its interval. */
    default boolean behind() {
        return false;
    }
}
