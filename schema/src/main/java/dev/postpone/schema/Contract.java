package dev.postpone.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The SQL functions the Java code of one release calls, from {@code contracts/<release>.contract}:
 * one line per function, {@code name(identity arguments) -> result}, spelled exactly as
 * {@code pg_get_function_identity_arguments} and {@code pg_get_function_result} print them.
 */
public record Contract(Release release, List<String> functions) {

    public Contract {
        Objects.requireNonNull(release, "release");
        functions = List.copyOf(functions);
    }

    /** The contract of the release this library build ships. */
    public static Contract current() {
        return load(Release.current());
    }

    /** Whether this jar bundles a contract file for {@code release}. */
    public static boolean available(Release release) {
        return Contract.class.getResource("contracts/" + release + ".contract") != null;
    }

    /** Loads the bundled contract of {@code release}. */
    public static Contract load(Release release) {
        String path = "contracts/" + release + ".contract";
        try (InputStream in = Contract.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalArgumentException("no contract for release " + release + " in the postpone-schema jar");
            return parse(release, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses contract text: blank lines and {@code #} comments are skipped. */
    public static Contract parse(Release release, String text) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        for (String line : lines) {
            if (!line.matches("[a-z_][a-z0-9_]*\\(.*\\) -> .+")) {
                throw new IllegalArgumentException("contract " + release + ": not 'name(arguments) -> result': " + line);
            }
        }
        return new Contract(release, lines);
    }

    /** The function name of a contract line ({@code defer_jobs_v1}). */
    static String functionName(String line) {
        return line.substring(0, line.indexOf('('));
    }
}
