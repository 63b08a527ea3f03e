package dev.postpone.cli;

import dev.postpone.schema.LibraryVersion;
import dev.postpone.schema.Release;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The {@code postpone} command: schema migrations, deferring and inspecting jobs, running workers,
 * and the demo. Entry point of {@code postpone.jar}; {@link #run} is what tests call in-process.
 */
@Command(name = "postpone",
        description = "Postpone: a PostgreSQL-backed job queue for the JVM.",
        mixinStandardHelpOptions = true,
        versionProvider = PostponeCli.Version.class,
        usageHelpWidth = PostponeCli.HELP_WIDTH)
public final class PostponeCli {

    /** The commands, in the order help lists them. */
    static final List<Class<?>> COMMANDS = List.of(
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
            CommandLine.HelpCommand.class);

    /** Fixed so that help text (and docs/cli.md, generated from it) does not depend on the terminal. */
    static final int HELP_WIDTH = 100;

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces with errors and more log lines.")
    boolean verbose;

    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        if (code == ExitCode.OK.code()) ClassDataArchive.keepRecording();
        System.exit(code);
    }

    /** Runs one command line and returns its exit code; output goes to {@code out}, errors and progress to {@code err}. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Logging.configureDefault(Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose"));
        CommandLine cl = commandLine(out, err, args);
        try {
            return cl.execute(args);
        } finally {
            ((PostponeCli) cl.getCommand()).connection.close();
        }
    }

    /** The whole command tree with Postpone's error handling. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, (String[]) null);
    }

    /**
     * The command tree {@code args} need: picocli reads the annotations of every command it is given
     * (a fifth of a short command's start for the whole tree), so when {@code args} name a command only
     * that command's branch is built, and {@code --version} alone builds none. Help, {@code help} and
     * anything unrecognised get the whole tree.
     *
     * @param args null for the whole tree
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, String[] args) {
        // Otherwise picocli looks for groovy.lang.Closure in every jar of the classpath, on every start.
        System.setProperty("picocli.disable.closures", "true");
        CommandLine cl = new CommandLine(new PostponeCli());
        Set<String> needed = args == null ? null : commandsNeeded(cl.getCommandSpec(), args);
        for (Class<?> command : COMMANDS) {
            if (needed == null || needed.contains(nameOf(command))) cl.addSubcommand(command);
        }
        // After addSubcommand: picocli applies these settings to the subcommands present when they are set.
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

    /**
     * The names of the commands {@code args} run, found as picocli parses them: the first argument that is
     * not one of the root's options or an option's value. Empty for {@code --version} without a command;
     * null (all) for help, {@code help}, no command, or anything the root does not know.
     */
    private static Set<String> commandsNeeded(CommandSpec root, String[] args) {
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-")) {
                boolean known = COMMANDS.stream().anyMatch(c -> nameOf(c).equals(arg));
                return known && !arg.equals("help") ? Set.of(arg) : null;
            }
            OptionSpec option = root.findOption(arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg);
            if (option == null || option.usageHelp()) return null;
            version |= option.versionHelp();
            if (option.arity().min() > 0 && !arg.contains("=")) i++;
        }
        return version ? Set.of() : null;
    }

    private static String nameOf(Class<?> command) {
        return command.getAnnotation(Command.class).name();
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
