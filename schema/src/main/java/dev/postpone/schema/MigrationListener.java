package dev.postpone.schema;

import java.time.Duration;

/** Progress of a migration run, for command-line output and logs. */
public interface MigrationListener {

    MigrationListener NONE = new MigrationListener() { };

    default void waitingForLock(String holder, Duration waited) {
    }

    default void stepStarted(MigrationStep step, int index, int total) {
    }

    default void stepRetrying(MigrationStep step, int attempt, String reason) {
    }

    default void stepApplied(MigrationStep step, Duration took) {
    }
}
