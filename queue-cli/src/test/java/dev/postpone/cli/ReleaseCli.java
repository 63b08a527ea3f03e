package dev.postpone.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One release's {@code postpone.jar} (with its {@code lib/}), run as separate JVMs on the tests' own
 * {@code java}: this build's ({@link #current()}) or a previous release's ({@link PreviousRelease#cli()}).
 * Only the given environment configures the database; the machine's PG* variables do not leak in.
 */
record ReleaseCli(String release, Path jar) {

    ReleaseCli {
        if (!Files.exists(jar)) throw new IllegalStateException(jar + " is missing (postpone " + release + ")");
    }

    static ReleaseCli current() {
        return new ReleaseCli(dev.postpone.schema.LibraryVersion.current(), JarProcess.jar().toAbsolutePath());
    }

    /** Runs one command to its end (at most 60 s). */
    CliResult run(Map<String, String> env, String stdin, String... args) {
        try {
            return JarProcess.finish(JarProcess.builder(env, javaJar(args)).start(), stdin, args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Starts {@code postpone worker …} in the background; its output goes to files in {@code logs}. */
    FleetProcess startWorker(String name, Map<String, String> env, Path logs, String... args) {
        List<String> command = javaJar("worker", "--name", name);
        command.addAll(List.of(args));
        return FleetProcess.start(name, release, JarProcess.builder(env, command), logs);
    }

    /**
     * Starts a single-file Java program ({@code java -cp postpone.jar:lib/* Program.java args}) against this
     * release's library jars: an application of that release, e.g. one that defers jobs.
     */
    FleetProcess startProgram(String name, Path source, Path logs, String... args) {
        Path lib = jar.resolveSibling("lib");
        List<String> command = new ArrayList<>(List.of(JarProcess.java(), "-cp", jar + java.io.File.pathSeparator + lib.resolve("*"),
                source.toString()));
        command.addAll(List.of(args));
        return FleetProcess.start(name, release, JarProcess.builder(Map.of(), command), logs);
    }

    private List<String> javaJar(String... args) {
        List<String> command = new ArrayList<>(List.of(JarProcess.java(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return command;
    }

    @Override
    public String toString() {
        return "postpone " + release + " (" + jar + ")";
    }
}
