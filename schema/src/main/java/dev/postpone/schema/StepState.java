package dev.postpone.schema;

/** Where a migration step stands in a schema's ledger. */
public enum StepState {
    /** Applied and recorded; never runs again. */
    APPLIED,
    /** Not run yet. */
    PENDING,
    /** A non-transactional step that started and has not finished (or whose migrator died); re-run by the next migrate. */
    RUNNING,
    /** A non-transactional step that failed; re-run by the next migrate. */
    FAILED,
    /** Applied in the database but unknown to this release: the schema was migrated by a newer release. */
    UNKNOWN;

    static StepState ofLedger(String state) {
        return switch (state) {
            case "applied" -> APPLIED;
            case "running" -> RUNNING;
            case "failed" -> FAILED;
            default -> throw new IllegalArgumentException("unknown ledger state: " + state);
        };
    }
}
