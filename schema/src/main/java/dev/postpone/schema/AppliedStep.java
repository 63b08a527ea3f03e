package dev.postpone.schema;

import java.time.Instant;

/** A row of the migrator's ledger ({@code schema_migrations}). */
public record AppliedStep(
        StepId id,
        String name,
        String checksum,
        String state,
        boolean transactional,
        Instant startedAt,
        Instant finishedAt,
        Long durationMillis,
        String appliedBy,
        String migratorRelease,
        String error) {

    public boolean applied() {
        return "applied".equals(state);
    }
}
