package dev.postpone.demo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every code block of docs/defining-tasks.md marked {@code <!-- snippet: NAME -->} is the compiled code tagged NAME. */
class DefiningTasksDocTest {

    private static final Pattern DOC_SNIPPET = Pattern.compile("<!-- snippet: ([a-z-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void snippetsInTheDocMatchTheCompiledExamples() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        String doc = Files.readString(root.resolve("docs/defining-tasks.md"));
        String source = Files.readString(root.resolve("queue-demo/src/main/java/dev/postpone/demo/examples/DeferringExamples.java"));
        Matcher m = DOC_SNIPPET.matcher(doc);
        List<String> checked = new ArrayList<>();
        while (m.find()) {
            assertThat(m.group(2).strip()).as("snippet " + m.group(1) + " in docs/defining-tasks.md")
                    .isEqualTo(region(source, m.group(1)));
            checked.add(m.group(1));
        }
        assertThat(checked).as("snippets found in the doc").hasSizeGreaterThanOrEqualTo(9);
    }

    private static String region(String source, String tag) {
        int start = source.indexOf("// tag::" + tag + "[]");
        int end = source.indexOf("// end::" + tag + "[]");
        assertThat(start).as("tag " + tag).isNotNegative();
        List<String> lines = source.substring(source.indexOf('\n', start) + 1, end).lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return String.join("\n", lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList()).strip();
    }
}
