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

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static CliResult run(Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("POSTPONE_DATABASE_URL");
        pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        // Read both streams fully; the outputs are small, so reading one after the other cannot block.
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("postpone " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new CliResult(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
