package dev.postpone.cli;

import dev.postpone.schema.Release;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The release before this one, built for real from the commit {@code releases.txt} records for it, so a
 * test can run its CLI and workers beside this build's. Tags need not travel with a clone: the commit in
 * {@code releases.txt} and the clone's history are enough.
 *
 * <p>The build goes into a cache outside the clone, keyed by commit ({@code ~/.cache/postpone/releases/<commit>/},
 * or {@code -Dpostpone.releaseCache}), so only the first run of a machine pays for it; a released commit never
 * changes, so a finished build never goes stale. A lock file lets parallel runs share one build.
 */
final class PreviousRelease {

    private static final Duration BUILD_LIMIT = Duration.ofMinutes(15);

    /** One line of {@code releases.txt}: a released version and the commit it shipped from. */
    record Recorded(Release release, String commit) {
    }

    private PreviousRelease() {
    }

    /** The newest recorded release older than {@link Release#current()}, built (or taken from the cache). */
    static ReleaseCli cli() {
        Path repo = repositoryRoot();
        Recorded previous = previous(read(repo.resolve("releases.txt")), Release.current())
                .orElseThrow(() -> new IllegalStateException("releases.txt records no release older than " + Release.current()));
        return build(repo, previous);
    }

    static List<Recorded> read(Path releasesTxt) {
        try (Stream<String> lines = Files.lines(releasesTxt)) {
            return lines.map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> l.split("\\s+"))
                    .map(f -> {
                        if (f.length != 2 || !f[1].matches("[0-9a-f]{40}")) {
                            throw new IllegalStateException(releasesTxt + ": expected '<release> <40-hex commit>', got: " + String.join(" ", f));
                        }
                        return new Recorded(Release.parse(f[0]), f[1]);
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + releasesTxt, e);
        }
    }

    static Optional<Recorded> previous(List<Recorded> recorded, Release current) {
        return recorded.stream().filter(r -> r.release().isBefore(current)).max(Comparator.comparing(Recorded::release));
    }

    private static ReleaseCli build(Path repo, Recorded previous) {
        Path home = cacheRoot().resolve(previous.commit());
        Path jar = home.resolve("src/queue-cli/target/postpone.jar");
        Path built = home.resolve("built"); // written last: a build stopped halfway is redone, not trusted
        try {
            Files.createDirectories(home);
            try (FileChannel channel = FileChannel.open(home.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (Files.exists(built) && Files.exists(jar)) return new ReleaseCli(previous.release().toString(), jar);
                Path src = home.resolve("src");
                deleteTree(src);
                Files.createDirectories(src);
                Path log = home.resolve("build.log");
                extract(repo, previous, src, log);
                // Offline first: a developer's ~/.m2 usually holds every dependency; a fresh CI machine goes online.
                if (maven(src, log, true) != 0 && maven(src, log, false) != 0) {
                    throw failure(previous, firstError(log) + " (full log: " + log + ")");
                }
                if (!Files.exists(jar)) throw failure(previous, "the build finished without " + jar);
                Files.writeString(built, previous.release() + " " + previous.commit() + "\n");
                return new ReleaseCli(previous.release().toString(), jar);
            }
        } catch (IOException e) {
            throw failure(previous, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(previous, "interrupted");
        }
    }

    /** The commit's tree via {@code git archive}: no worktree registered in the clone, no checkout to clean up. */
    private static void extract(Path repo, Recorded previous, Path src, Path log) throws IOException, InterruptedException {
        Path tar = src.resolveSibling("src.tar");
        int git = run(repo, log, List.of("git", "archive", "--format=tar", "-o", tar.toString(), previous.commit()));
        if (git != 0) {
            throw failure(previous, "git archive failed (is the commit in this clone's history? a shallow clone lacks it): "
                    + firstError(log));
        }
        int untar = run(src, log, List.of("tar", "-xf", tar.toString()));
        Files.deleteIfExists(tar);
        if (untar != 0) throw failure(previous, "tar failed: " + firstError(log));
    }

    private static int maven(Path src, Path log, boolean offline) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("./mvnw", "-q", "-B", "-DskipTests", "package", "-pl", "queue-cli", "-am"));
        if (offline) command.add(1, "-o");
        return run(src, log, command);
    }

    private static int run(Path dir, Path log, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // The same JDK as the tests; nothing of the outer Maven run (its project dir, its arguments) leaks in.
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().keySet().removeIf(k -> k.startsWith("MAVEN_PROJECTBASEDIR") || k.startsWith("MAVEN_CMD_LINE_ARGS"));
        Process p = pb.start();
        if (!p.waitFor(BUILD_LIMIT.toMinutes(), TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private static IllegalStateException failure(Recorded previous, String why) {
        return new IllegalStateException("cannot build release " + previous.release() + " from commit " + previous.commit() + ": " + why);
    }

    private static String firstError(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> all = lines.map(String::strip).filter(l -> !l.isEmpty()).toList();
            return all.stream().filter(l -> l.startsWith("[ERROR]") || l.contains("error:") || l.startsWith("fatal:")).findFirst()
                    .or(() -> all.isEmpty() ? Optional.empty() : Optional.of(all.getLast()))
                    .orElse("no output");
        } catch (IOException e) {
            return "no build log (" + e + ")";
        }
    }

    private static Path cacheRoot() {
        String configured = System.getProperty("postpone.releaseCache");
        if (configured != null && !configured.isBlank()) return Path.of(configured);
        return Path.of(System.getProperty("user.home"), ".cache", "postpone", "releases");
    }

    /** The clone: the nearest directory up from the working directory with releases.txt (surefire runs in the module). */
    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("releases.txt")) && Files.exists(p.resolve("mvnw"))) return p;
        }
        throw new IllegalStateException("no releases.txt above " + Path.of("").toAbsolutePath());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
