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
     * The state the schema is in once this phase of {@code release} is applied, for messages: "1.0.0 pre",
     * or "1.0.0 (all phases)" for post and all, which both complete the release. Worded by state rather
     * than by the requested phase, so "--phase all" and "--phase pre" read right on a release without
     * post steps.
     */
    String stateAfter(Release release) {
        return this == pre ? release + " pre" : release + " (all phases)";
    }
}
