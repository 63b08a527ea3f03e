package dev.postpone.cli;

import dev.postpone.schema.MigrationTarget;
import java.util.Locale;

/** The values of {@code --phase}: how far into the target release to migrate. */
enum PhaseOption {
    pre, post, all;

    MigrationTarget target() {
        return MigrationTarget.fromLabel(name().toLowerCase(Locale.ROOT));
    }
}
