package dev.postpone.cli;

import dev.postpone.schema.MigrationTarget;
import dev.postpone.schema.Release;
import java.util.Locale;

/** The values of {@code --phase}: how far into the target release to migrate. */
enum PhaseOption {
    pre, post, all;

    MigrationTarget target() {
        return MigrationTarget.fromLabel(name().toLowerCase(Locale.ROOT));
    }

    /**
     * How far the command goes, for messages: "1.0.0 pre", "1.0.0 post", or "1.0.0 (all phases)" for all.
     * Worded by state rather than as "--phase all", so "--phase all" and "--phase pre" read right on a
     * release without post steps; post names its phase because the user asked for exactly that one.
     */
    String stateAfter(Release release) {
        return switch (this) {
            case pre -> release + " pre";
            case post -> release + " post";
            case all -> release + " (all phases)";
        };
    }
}
