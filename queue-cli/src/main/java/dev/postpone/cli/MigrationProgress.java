package dev.postpone.cli;

import dev.postpone.schema.MigrationListener;
import dev.postpone.schema.MigrationStep;
import java.io.PrintWriter;
import java.time.Duration;

/** Shows a migration's progress on stderr, a line per step, so a slow step is visibly the slow one. */
final class MigrationProgress implements MigrationListener {

    private final PrintWriter err;

    MigrationProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void waitingForLock(String holder, Duration waited) {
        err.println("waiting for another migrator to finish (" + holder + "), " + waited.toSeconds() + " s so far");
        err.flush();
    }

    @Override
    public void stepStarted(MigrationStep step, int index, int total) {
        err.print("[" + index + "/" + total + "] " + step.displayName() + (step.transactional() ? "" : " (not in a transaction)") + " … ");
        err.flush();
    }

    @Override
    public void stepRetrying(MigrationStep step, int attempt, String reason) {
        err.println();
        err.print("    retry " + attempt + ": " + reason + " … ");
        err.flush();
    }

    @Override
    public void stepApplied(MigrationStep step, Duration took) {
        err.println("done in " + took.toMillis() + " ms");
        err.flush();
    }
}
