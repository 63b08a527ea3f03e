package dev.postpone.demo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.testing.DocSnippets;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every code block of docs/defining-tasks.md marked {@code <!-- snippet: NAME -->} is the compiled code tagged NAME. */
class DefiningTasksDocTest {

    @Test
    void snippetsInTheDocMatchTheCompiledExamples() throws IOException {
        List<DocSnippets.Snippet> snippets = DocSnippets.of(DocSnippets.root().resolve("docs/defining-tasks.md"),
                DocSnippets.root().resolve("queue-demo/src/main/java/dev/postpone/demo/examples/DeferringExamples.java"));
        for (DocSnippets.Snippet s : snippets) {
            assertThat(s.inDoc()).as("snippet " + s.name() + " in docs/defining-tasks.md").isEqualTo(s.inSource());
        }
        assertThat(snippets).as("snippets found in the doc").hasSizeGreaterThanOrEqualTo(10);
    }
}
