package dev.postpone.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A worker or application JVM of one release, started in the background, with its stdout and stderr in
 * files (never pipes, so a chatty process cannot block while the test is busy elsewhere).
 */
final class FleetProcess implements AutoCloseable {

    private final String name;
    private final String release;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private FleetProcess(String name, String release, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.release = release;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static FleetProcess start(String name, String release, ProcessBuilder builder, Path logs) {
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        try {
            Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new FleetProcess(name, release, p, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as a deployment stops it, then waits for it to exit; returns its exit code. */
    int stop() {
        signalStop();
        return awaitExit();
    }

    /** SIGTERM without waiting, so several processes can shut down at once. */
    void signalStop() {
        process.destroy();
    }

    /** Waits for the process to end on its own (e.g. a worker that refuses to start). */
    int awaitExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(this + " did not exit within 60 s; stderr:\n" + tail(stderr));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    List<String> stdoutLines() {
        return lines(stdout);
    }

    List<String> stderrLines() {
        return lines(stderr);
    }

    /** Log lines at ERROR level, in the text format ({@code HH:mm:ss.SSS ERROR …}) or as JSON ({@code "level":"ERROR"}). */
    List<String> errorLines() {
        return Stream.concat(stdoutLines().stream(), stderrLines().stream())
                .filter(l -> l.matches("^\\S+ +ERROR .*") || l.contains("\"level\":\"ERROR\"")).toList();
    }

    /** Every line of both streams that contains {@code text}. */
    List<String> linesContaining(String text) {
        return Stream.concat(stdoutLines().stream(), stderrLines().stream()).filter(l -> l.contains(text)).toList();
    }

    String stderrTail() {
        return tail(stderr);
    }

    @Override
    public void close() {
        if (process.isAlive()) process.destroyForcibly();
    }

    @Override
    public String toString() {
        return name + " (release " + release + ", pid " + process.pid() + ")";
    }

    private static List<String> lines(Path file) {
        try {
            // Lenient decoding: the last line may be half written while the process runs.
            return Files.exists(file) ? new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8).lines().toList() : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path file) {
        List<String> all = lines(file);
        return String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
    }
}
