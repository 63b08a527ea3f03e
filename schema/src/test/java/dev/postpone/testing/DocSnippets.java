package dev.postpone.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Code blocks of a docs page that come from compiled code: a block marked {@code <!-- snippet: NAME -->}
 * must equal the region of a source file between {@code // tag::NAME[]} and {@code // end::NAME[]}
 * (or {@code <!-- tag::NAME[] -->} in XML), indentation removed. So the page cannot show code that
 * does not compile.
 */
public final class DocSnippets {

    private static final Pattern DOC_SNIPPET = Pattern.compile("<!-- snippet: ([a-z-]+) -->\\s*```[a-z]+\\n(.*?)```", Pattern.DOTALL);

    /** One snippet of the page and the tagged region it must equal. */
    public record Snippet(String name, String inDoc, String inSource) {
    }

    private DocSnippets() {
    }

    /** The repository root, seen from a module's directory (where Maven runs its tests). */
    public static Path root() {
        return Path.of("").toAbsolutePath().getParent();
    }

    /** Every snippet of {@code doc}, each with its region in the first of {@code sources} that tags it. */
    public static List<Snippet> of(Path doc, Path... sources) throws IOException {
        String page = Files.readString(doc);
        List<String> code = new ArrayList<>();
        for (Path source : sources) code.add(Files.readString(source));
        List<Snippet> snippets = new ArrayList<>();
        Matcher m = DOC_SNIPPET.matcher(page);
        while (m.find()) snippets.add(new Snippet(m.group(1), m.group(2).strip(), region(code, m.group(1), doc)));
        return snippets;
    }

    private static String region(List<String> sources, String tag, Path doc) {
        for (String source : sources) {
            int start = indexOfTag(source, "tag::" + tag + "[]");
            int end = indexOfTag(source, "end::" + tag + "[]");
            if (start < 0 || end < 0) continue;
            List<String> lines = source.substring(source.indexOf('\n', start) + 1, source.lastIndexOf('\n', end)).lines().toList();
            int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
            return String.join("\n", lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList()).strip();
        }
        throw new AssertionError("snippet " + tag + " of " + doc + " has no tagged region in the given sources");
    }

    private static int indexOfTag(String source, String tag) {
        int java = source.indexOf("// " + tag);
        return java >= 0 ? java : source.indexOf("<!-- " + tag + " -->");
    }
}
