package dev.postpone.schema;

/** A step {@code migrate} would run: its name, phase, whether it runs in a transaction, and its SQL. */
public record PlannedStep(String displayName, Phase phase, boolean transactional, String sql) {

    static PlannedStep of(MigrationStep step) {
        return new PlannedStep(step.displayName(), step.phase(), step.transactional(), step.sql());
    }
}
