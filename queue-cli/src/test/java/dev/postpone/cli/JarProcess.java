package dev.postpone.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code postpone.jar} as a separate process, the way a user or a deploy script does:
 * the same java as the tests, {@code -jar target/postpone.jar}, environment and stdin under the test's control.
 */
final class JarProcess {

    private JarProcess() {
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("postpone.jar", "target/postpone.jar"));
        if (!Files.exists(jar)) throw new IllegalStateException(jar + " is missing; end-to-end tests run after package");
        return jar;
    }

    /** The test classes, for {@code --classpath}: the tasks of the end-to-end application live there. */
    static String testClasses() {
        return Path.of(System.getProperty("postpone.testClasses", "target/test-classes")).toAbsolutePath().toString();
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static CliResult run(Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
        return finish(builder(env, javaJar(args)).start(), stdin, args);
    }

    /**
     * Runs the repository's {@code ./postpone} launcher, exactly as the README tells a user to. The jar is
     * already packaged when end-to-end tests run, so the launcher finds a JDK and execs it without building.
     */
    static CliResult runLauncher(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path launcher = Path.of("..", "postpone").toAbsolutePath().normalize();
        if (!Files.isExecutable(launcher)) throw new IllegalStateException(launcher + " is missing or not executable");
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        return finish(builder(env, command).directory(launcher.getParent().toFile()).start(), null, args);
    }

    static CliResult finish(Process p, String stdin, String... args) throws IOException, InterruptedException {
        if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        // Read both streams fully; the outputs are small, so reading one after the other cannot block.
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("postpone " + String.join(" ", args) + " did not finish within 60 s");
        }
        return CapturedOutput.keep(CapturedOutput.commandOf(args),
                new CliResult(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8)));
    }

    /**
     * Starts a long-running command ({@code worker}) in the background. Its output goes to files rather than
     * pipes, so a chatty process can never block on a full pipe while the test is busy elsewhere.
     */
    static Process start(Map<String, String> env, Path stdout, Path stderr, String... args) throws IOException {
        return builder(env, javaJar(args)).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    }

    /** Only the given environment configures the database: the test machine's own PG* variables must not leak in. */
    static ProcessBuilder builder(Map<String, String> env, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("POSTPONE_DATABASE_URL");
        pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
        pb.environment().putAll(env);
        return pb;
    }

    private static List<String> javaJar(String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        return command;
    }
}
