package dev.postpone.schema;

import java.time.Instant;
import java.util.Optional;

/** One step in {@link SchemaStatus}: its state, when it was applied (or last tried), and its error if it failed. */
public record StepStatus(StepId id, String displayName, StepState state, Optional<Instant> finishedAt, Optional<String> error) {

    public Release release() {
        return id.release();
    }

    public Phase phase() {
        return id.phase();
    }
}
