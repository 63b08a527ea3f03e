package dev.postpone.cli;

import dev.postpone.schema.Release;
import picocli.CommandLine.Option;

/** {@code --to RELEASE} of the schema commands; defaults to the release of this CLI. */
public final class TargetReleaseOption {

    @Option(names = "--to", paramLabel = "RELEASE", converter = ReleaseConverter.class,
            description = "Target release (default: this release).")
    Release to;

    Release release() {
        return to == null ? Release.current() : to;
    }
}
