package dev.postpone.cli;

import picocli.CommandLine.Command;

/** {@code postpone jobs …}: inspect and manage jobs. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = "List, show, cancel, retry and delete jobs.",
        subcommands = {
                JobsListCommand.class,
                JobsShowCommand.class,
                JobsCancelCommand.class,
                JobsRetryCommand.class,
                JobsDeleteCommand.class,
        })
final class JobsCommand {
}
