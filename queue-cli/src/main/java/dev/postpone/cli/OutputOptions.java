package dev.postpone.cli;

import picocli.CommandLine.Option;

/** {@code --json}: machine-readable output instead of tables. */
public final class OutputOptions {

    @Option(names = "--json", description = "Print JSON instead of a table (for scripts).")
    boolean json;
}
