package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** docs/cli.md is exactly what the commands' usage help renders, so the reference never drifts. */
class CliReferenceTest {

    @Test
    void docsCliMdIsCurrent() throws IOException {
        Path page = Path.of("..", "docs", "cli.md");
        String expected = CliReference.render();
        String actual = Files.exists(page) ? Files.readString(page, StandardCharsets.UTF_8) : "";
        assertThat(actual)
                .withFailMessage("docs/cli.md is out of date with the commands' help; regenerate it from the repository root with:%n  %s",
                        CliReference.REGENERATE)
                .isEqualTo(expected);
    }

    @Test
    void everyCommandIsDocumented() {
        String page = CliReference.render();
        for (String command : new String[] {"postpone schema migrate", "postpone schema print", "postpone defer",
                "postpone jobs list", "postpone jobs delete", "postpone queues", "postpone workers", "postpone healthcheck",
                "postpone worker", "postpone demo", "postpone dashboard", "postpone bench"}) {
            assertThat(page).contains("## `" + command + "`");
        }
        assertThat(page).contains("| 10 | plan: migration steps are pending");
    }

    /** A command list shows each command's first description line, so that line must be a whole sentence. */
    @Test
    void everyCommandsSummaryIsAWholeSentence() {
        CommandLine root = PostponeCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<String> cut = new ArrayList<>();
        collectCutSummaries(root, cut);
        assertThat(cut).as("commands whose first description line is not a sentence of its own").isEmpty();
    }

    private static void collectCutSummaries(CommandLine command, List<String> cut) {
        String[] description = command.getCommandSpec().usageMessage().description();
        if (description.length > 0 && !description[0].strip().endsWith(".")) {
            cut.add(command.getCommandSpec().qualifiedName() + ": " + description[0]);
        }
        for (CommandLine sub : command.getSubcommands().values()) collectCutSummaries(sub, cut);
    }
}
