package dev.postpone.cli;

import picocli.CommandLine.Option;

/** {@code --log-format text|json} for the long-running commands. */
public final class LogFormatOption {

    @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text",
            description = "Log lines (on stderr) as human-readable text or as JSON lines for log shippers (default: ${DEFAULT-VALUE}).")
    Logging.Format format;
}
