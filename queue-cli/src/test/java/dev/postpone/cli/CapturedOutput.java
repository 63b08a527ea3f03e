package dev.postpone.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything the CLI tests capture from the commands and processes they run — each command's stdout and
 * stderr, each background process's log files — kept under {@code target/captured-output/} and listed, so
 * that {@link CapturedOutputCheck} can grep all of it for {@link #PASSWORD} after every test class.
 *
 * <p>The tests' database URLs carry {@link #PASSWORD} ({@link InProcessCli#urlWithUser}); the test
 * server trusts 127.0.0.1 and never asks for it, so it only shows where a password would leak.
 */
final class CapturedOutput {

    /** The password every test URL carries. */
    static final String PASSWORD = "pp-e2e-Secret-3141";

    private static final Path ROOT = Path.of("target", "captured-output").toAbsolutePath();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final List<Path> unchecked = new ArrayList<>();

    private CapturedOutput() {
    }

    /** A fresh directory for the log files of processes a test starts; whatever lands in it is checked. */
    static Path directory(String name) {
        Path dir = ROOT.resolve(SEQUENCE.incrementAndGet() + "-" + name.replaceAll("[^A-Za-z0-9_.-]", "_"));
        try {
            if (Files.exists(dir)) {
                // Left by an earlier run: only this run's output counts.
                try (var old = Files.walk(dir)) {
                    for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (unchecked) {
            unchecked.add(dir);
        }
        return dir;
    }

    /** Keeps one command's output. The arguments are not kept: they are the test's input, URL and all. */
    static CliResult keep(String command, CliResult result) {
        Path dir = directory("command-" + command);
        try {
            Files.writeString(dir.resolve("stdout"), result.out(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("stderr"), result.err(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    /** The command words of an argument list (no options, no values), to name its output. */
    static String commandOf(String... args) {
        List<String> words = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("-") || words.size() == 3) break;
            words.add(a);
        }
        return words.isEmpty() ? "postpone" : String.join("-", words);
    }

    /** The directories captured since the last call; they are checked once. */
    static List<Path> takeUnchecked() {
        synchronized (unchecked) {
            List<Path> taken = List.copyOf(unchecked);
            unchecked.clear();
            return taken;
        }
    }
}
