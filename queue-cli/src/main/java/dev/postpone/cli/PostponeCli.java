package dev.postpone.cli;

import dev.postpone.schema.LibraryVersion;
import dev.postpone.schema.Release;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code postpone} command: schema migrations, deferring and inspecting jobs, running workers,
 * and the demo. Entry point of {@code postpone.jar}; {@link #run} is what tests call in-process.
 */
@Command(name = "postpone",
        description = "Postpone: a PostgreSQL-backed job queue for the JVM.",
        mixinStandardHelpOptions = true,
        versionProvider = PostponeCli.Version.class,
        usageHelpWidth = PostponeCli.HELP_WIDTH,
        subcommands = {
                SchemaCommand.class,
                DeferCommand.class,
                WorkerCommand.class,
                JobsCommand.class,
                QueuesCommand.class,
                WorkersCommand.class,
                HealthcheckCommand.class,
                DemoCommand.class,
                DashboardCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class PostponeCli {

    /** Fixed so that help text (and docs/cli.md, generated from it) does not depend on the terminal. */
    static final int HELP_WIDTH = 100;

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces with errors and more log lines.")
    boolean verbose;

    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    /** Runs one command line and returns its exit code; output goes to {@code out}, errors and progress to {@code err}. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Logging.configureDefault(Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose"));
        return commandLine(out, err).execute(args);
    }

    /** The command tree with Postpone's error handling, as {@code main} runs it. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new PostponeCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setUsageHelpAutoWidth(false);
        cl.setUsageHelpWidth(HELP_WIDTH);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(new ErrorReporter());
        cl.setParameterExceptionHandler(ErrorReporter::reportUsageError);
        cl.setExitCodeExceptionMapper(ErrorReporter::exitCodeOf);
        cl.getCommandSpec().usageMessage().footerHeading("%nExit codes:%n").footer(exitCodeFooter());
        return cl;
    }

    private static String[] exitCodeFooter() {
        return Arrays.stream(ExitCode.values())
                .map(c -> String.format("  %3d  %s", c.code(), c.meaning()))
                .collect(Collectors.toList()).toArray(String[]::new);
    }

    /** {@code postpone --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"postpone " + LibraryVersion.current() + " (schema release " + Release.current() + ", Java "
                    + Runtime.version().feature() + ")"};
        }
    }
}
