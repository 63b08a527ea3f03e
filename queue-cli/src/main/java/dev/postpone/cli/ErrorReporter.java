package dev.postpone.cli;

import dev.postpone.PostponeException;
import dev.postpone.QueueingLockTakenException;
import dev.postpone.SchemaNotReadyException;
import dev.postpone.UnknownTaskException;
import dev.postpone.schema.MigrationException;
import dev.postpone.schema.Secrets;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Prints every failure as one line, {@code postpone: <what happened; what to do>}, on stderr and
 * picks the exit code. Stack traces only with {@code --verbose}. Both pass through {@link Secrets#redact}:
 * a driver's message may quote a database URL, password and all.
 */
final class ErrorReporter implements IExecutionExceptionHandler {

    /** What the user sees for an exception: the exit code and one line. */
    record Failure(ExitCode exitCode, String message) {
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        Failure failure = classify(ex);
        PrintWriter err = commandLine.getErr();
        err.println("postpone: " + Secrets.redact(failure.message()));
        if (verbose(parseResult)) err.print(Secrets.stackTrace(ex));
        err.flush();
        return failure.exitCode().code();
    }

    /** Unknown options, missing parameters, bad values: one line and a pointer to the command's help. */
    static int reportUsageError(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        if (missingSubcommand(ex)) {
            cl.usage(err, CommandLine.Help.Ansi.OFF);
            err.flush();
            return ExitCode.USAGE.code();
        }
        String message = ex instanceof UnmatchedArgumentException u ? unmatched(u) : ConnectionFailure.firstLine(ex.getMessage());
        err.println("postpone: " + Secrets.redact(message) + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return ExitCode.USAGE.code();
    }

    /**
     * Picocli's "Unmatched argument at index 0" reworded: the first word it could not place, whether it is
     * an unknown option or an unknown command, and picocli's closest match when it has one.
     */
    private static String unmatched(UnmatchedArgumentException u) {
        List<String> words = u.getUnmatched();
        CommandLine cl = u.getCommandLine();
        String first = words.isEmpty() ? "" : words.getFirst();
        List<String> suggestions = u.getSuggestions();
        String hint = suggestions.isEmpty() ? ""
                : "; did you mean " + suggestions.stream().map(s -> "'" + s + "'").collect(Collectors.joining(" or ")) + "?";
        if (first.startsWith("-")) return "unknown option '" + first + "'" + hint;
        String name = cl.getCommandSpec().qualifiedName();
        if (!cl.getSubcommands().isEmpty()) {
            List<String> commands = cl.getSubcommands().keySet().stream().filter(c -> !c.equals("help")).toList();
            String list = commands.size() == 1 ? commands.getFirst()
                    : String.join(", ", commands.subList(0, commands.size() - 1)) + " and " + commands.getLast();
            return "unknown command '" + first + "' for " + name + ", whose commands are " + list + hint;
        }
        return "unexpected argument '" + first + "' for " + name + hint;
    }

    /**
     * {@code postpone} or {@code postpone jobs} alone: picocli's "Missing required subcommand" says less than the
     * command's usage, which lists the commands, so that is what goes to stderr (still exit 2: nothing ran).
     */
    private static boolean missingSubcommand(ParameterException ex) {
        CommandLine cl = ex.getCommandLine();
        return !cl.getSubcommands().isEmpty() && "Missing required subcommand".equals(ex.getMessage());
    }

    static int exitCodeOf(Throwable t) {
        return classify(t).exitCode().code();
    }

    static Failure classify(Throwable ex) {
        return switch (ex) {
            case CliException e -> new Failure(e.exitCode(), e.getMessage());
            case JsonArguments.Malformed e -> new Failure(ExitCode.USAGE, e.getMessage());
            case SchemaNotReadyException e -> new Failure(ExitCode.SCHEMA_NOT_READY, e.getMessage());
            case QueueingLockTakenException e -> new Failure(ExitCode.CONFLICT, e.getMessage());
            case UnknownTaskException e -> new Failure(ExitCode.USAGE, e.getMessage());
            case MigrationException e -> new Failure(ExitCode.FAILED, oneLine(e.getMessage()));
            case PostponeException e when connectionLost(e) ->
                    new Failure(ExitCode.UNREACHABLE, "lost the database connection: " + oneLine(e.getMessage()));
            case PostponeException e -> new Failure(ExitCode.FAILED, oneLine(e.getMessage()));
            case IllegalArgumentException e -> new Failure(ExitCode.USAGE, oneLine(e.getMessage()));
            default -> new Failure(ExitCode.FAILED, "unexpected " + ex.getClass().getSimpleName() + ": "
                    + oneLine(ex.getMessage()) + " (run again with --verbose for the stack trace)");
        };
    }

    private static boolean connectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) return true;
        }
        return false;
    }

    private static boolean verbose(ParseResult parseResult) {
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption("--verbose")) return true;
        }
        return false;
    }

    private static String oneLine(String message) {
        return ConnectionFailure.firstLine(message);
    }
}
