package dev.postpone.schema;

import java.util.List;

/** What a {@code migrate} call applied (empty when the schema was already at the target). */
public record MigrationResult(MigrationTarget target, Release release, List<MigrationStep> applied) {

    public MigrationResult {
        applied = List.copyOf(applied);
    }

    public boolean nothingToDo() {
        return applied.isEmpty();
    }
}
