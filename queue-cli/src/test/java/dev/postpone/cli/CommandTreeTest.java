package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A command line builds only the branch of the command tree it runs (a short command's start), and
 * that branch parses and helps exactly as the whole tree does.
 */
class CommandTreeTest {

    @Test
    void aNamedCommandGetsOnlyItsBranch() {
        assertThat(commandsBuiltFor("jobs", "list")).containsExactly("jobs");
        assertThat(commandsBuiltFor("--database-url", "jdbc:postgresql://h/db", "queues")).containsExactly("queues");
        assertThat(commandsBuiltFor("--database-url=jdbc:postgresql://h/db", "-v", "defer", "t", "{}")).containsExactly("defer");
        // An option's value that happens to be a command's name is not the command.
        assertThat(commandsBuiltFor("--schema", "jobs", "queues")).containsExactly("queues");
    }

    @Test
    void versionAloneBuildsNoCommand() {
        assertThat(commandsBuiltFor("--version")).isEmpty();
        assertThat(commandsBuiltFor("-V")).isEmpty();
    }

    @Test
    void helpNoCommandAndAnythingUnknownGetTheWholeTree() {
        List<String> all = PostponeCli.COMMANDS.stream().map(c -> c.getAnnotation(CommandLine.Command.class).name()).toList();
        assertThat(commandsBuiltFor()).containsExactlyElementsOf(all);
        assertThat(commandsBuiltFor("--help")).containsExactlyElementsOf(all);
        assertThat(commandsBuiltFor("--version", "--help")).containsExactlyElementsOf(all);
        assertThat(commandsBuiltFor("help", "jobs")).containsExactlyElementsOf(all);
        assertThat(commandsBuiltFor("jbos", "list")).containsExactlyElementsOf(all);
        assertThat(commandsBuiltFor("--no-such-option", "jobs")).containsExactlyElementsOf(all);
    }

    @Test
    void aBranchHelpsAndParsesAsTheWholeTreeDoes() {
        for (String[] args : List.of(new String[] {"jobs", "--help"}, new String[] {"jobs", "list", "--help"},
                new String[] {"schema", "migrate", "--help"}, new String[] {"queues", "pause", "--help"},
                new String[] {"jobs", "lst"}, new String[] {"defer"}, new String[] {"jobs", "list", "--limit", "0"})) {
            assertThat(run(args, PostponeCli.commandLine(out(), out(), args)))
                    .as(String.join(" ", args))
                    .isEqualTo(run(args, PostponeCli.commandLine(out(), out())));
        }
    }

    @Test
    void theVersionNeedsNoCommand() {
        CliResult version = InProcessCli.runRaw("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("postpone ");
    }

    private static List<String> commandsBuiltFor(String... args) {
        return List.copyOf(PostponeCli.commandLine(out(), out(), args).getSubcommands().keySet());
    }

    /** Exit code, output and errors of {@code args} on a command line built with that writer pair. */
    private static String run(String[] args, CommandLine cl) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return code + "\n" + out + "\n" + err;
    }

    private static PrintWriter out() {
        return new PrintWriter(new StringWriter());
    }
}
