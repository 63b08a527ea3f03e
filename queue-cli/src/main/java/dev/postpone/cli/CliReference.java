package dev.postpone.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Renders docs/cli.md from the commands' own usage help, so the reference cannot drift from the
 * code ({@code CliReferenceTest} fails when it does). Regenerate with:
 * <pre>java -cp queue-cli/target/postpone.jar dev.postpone.cli.CliReference docs/cli.md</pre>
 */
public final class CliReference {

    static final String REGENERATE = "./mvnw -q -pl queue-cli -am package -DskipTests"
            + " && java -cp queue-cli/target/postpone.jar dev.postpone.cli.CliReference docs/cli.md";

    private CliReference() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CliReference OUTPUT.md");
            System.exit(ExitCode.USAGE.code());
        }
        Files.writeString(Path.of(args[0]), render(), StandardCharsets.UTF_8);
    }

    /** The whole page: introduction, exit codes, then every command's usage help in tree order. */
    static String render() {
        StringBuilder md = new StringBuilder();
        md.append("# `postpone` command reference\n\n");
        md.append("<!-- Generated from the picocli commands by dev.postpone.cli.CliReference; do not edit by hand.\n");
        md.append("     Regenerate: ").append(REGENERATE).append(" -->\n\n");
        md.append("Run it as `./postpone COMMAND` from a clone (the launcher builds `queue-cli/target/postpone.jar` on first use)\n");
        md.append("or `java -jar postpone.jar COMMAND`. The documentation writes commands as `postpone …`: that means `./postpone …`\n");
        md.append("from a clone, or `java -jar postpone.jar …`. The database comes from `--database-url`, else `POSTPONE_DATABASE_URL`,\n");
        md.append("else the standard `PGHOST`, `PGPORT`, `PGDATABASE`, `PGUSER` and `PGPASSWORD` variables. `--database-url`,\n");
        md.append("`--schema` and `--verbose` may stand before or after the command name. Errors are one line on stderr;\n");
        md.append("`--verbose` adds the stack trace. Tables are for people; `--json` is for scripts.\n\n");
        md.append("Start-up: `./postpone` keeps a class-data sharing archive per command and JDK in `queue-cli/target/cds/`,\n");
        md.append("recorded by the command's first run that succeeds and mapped by the runs after it; short commands also run\n");
        md.append("with `-XX:TieredStopAtLevel=1 -XX:+UseSerialGC` (see [benchmarks](benchmarks.md#cli-start-up)). With `java -jar`,\n");
        md.append("record an archive once with `java -XX:ArchiveClassesAtExit=postpone.jsa -jar postpone.jar queues` and run\n");
        md.append("`java -XX:SharedArchiveFile=postpone.jsa -XX:TieredStopAtLevel=1 -jar postpone.jar …` (JDK 21+; record it again\n");
        md.append("after changing the JDK or the jar).\n\n");
        md.append("## Exit codes\n\n| code | meaning |\n| ---: | --- |\n");
        for (ExitCode c : ExitCode.values()) md.append("| ").append(c.code()).append(" | ").append(c.meaning()).append(" |\n");
        CommandLine root = PostponeCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        appendCommand(md, root);
        return md.toString();
    }

    private static void appendCommand(StringBuilder md, CommandLine command) {
        String name = command.getCommandSpec().qualifiedName();
        if (command.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) return;
        md.append("\n## `").append(name).append("`\n\n```text\n");
        md.append(command.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n");
        for (CommandLine sub : command.getSubcommands().values()) appendCommand(md, sub);
    }
}
