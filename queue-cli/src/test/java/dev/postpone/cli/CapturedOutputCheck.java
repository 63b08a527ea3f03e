package dev.postpone.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After every test class of this module (registered for all of them through
 * {@code META-INF/services} and {@code junit-platform.properties}): greps every output the class captured
 * ({@link CapturedOutput}) for the tests' password, and fails the class naming each file and line that
 * shows it. Processes still running are stopped by their tests' own teardown before this runs.
 */
public final class CapturedOutputCheck implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        List<String> leaks = new ArrayList<>();
        for (Path dir : CapturedOutput.takeUnchecked()) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    // Lenient decoding: a killed process may have left half a line.
                    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                    text.lines().filter(l -> l.contains(CapturedOutput.PASSWORD))
                            .forEach(l -> leaks.add(file + ": " + l.strip()));
                }
            }
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("the database password appears in " + leaks.size() + " line(s) of output captured by "
                    + context.getRequiredTestClass().getSimpleName() + ":\n" + String.join("\n", leaks));
        }
    }
}
