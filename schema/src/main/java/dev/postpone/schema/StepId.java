package dev.postpone.schema;

import java.util.Comparator;

/** Identifies a migration step: release, phase and sequence number. Steps are totally ordered. */
public record StepId(Release release, Phase phase, int seq) implements Comparable<StepId> {

    private static final Comparator<StepId> ORDER = Comparator.comparing(StepId::release)
            .thenComparing(StepId::phase)
            .thenComparingInt(StepId::seq);

    @Override
    public int compareTo(StepId other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return "%s/%s/%03d".formatted(release, phase.label(), seq);
    }
}
