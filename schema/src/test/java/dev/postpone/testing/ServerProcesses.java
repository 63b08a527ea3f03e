package dev.postpone.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the server programs tests start themselves (PostgreSQL's initdb, pg_ctl, pg_basebackup; PgBouncer).
 * They refuse to run as root, so as root they run as the {@code postgres} user (which the Debian package
 * creates), and the directories they use are handed to it.
 */
final class ServerProcesses {

    static final String SERVER_USER = "postgres";

    private ServerProcesses() {
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The command as the server user: prefixed with runuser when the tests run as root. */
    static List<String> asServerUser(List<String> command) {
        if (!root()) return command;
        List<String> all = new ArrayList<>(List.of("runuser", "-u", SERVER_USER, "--"));
        all.addAll(command);
        return all;
    }

    /** Runs a command to its end as the server user; fails with its output when it exits non-zero. */
    static String run(Duration timeout, List<String> command) {
        try {
            Process p = new ProcessBuilder(asServerUser(command)).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.getFirst(), e);
        }
    }

    /** A new directory under the system temp directory, owned by the server user. */
    static Path directory(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            if (root()) {
                Process p = new ProcessBuilder("chown", SERVER_USER + ":", dir.toString()).inheritIO().start();
                if (p.waitFor() != 0) throw new IllegalStateException("cannot hand " + dir + " to the " + SERVER_USER + " user");
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE?user=postgres}: a server (or pooler) a test started. */
    static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + SERVER_USER;
    }

    static javax.sql.DataSource dataSource(int port, String database) {
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setUrl(jdbcUrl(port, database));
        return ds;
    }

    /** A server's log file so far, for a failure message. */
    static String log(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** Runs {@code stop} when the JVM exits, in case the test never gets to; returns the hook for {@link #stopNow}. */
    static Thread stopOnExit(String name, Runnable stop) {
        Thread hook = new Thread(stop, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Runs the hook's stop now, and not again at exit. */
    static void stopNow(Thread hook) {
        hook.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    /** The first of {@code candidates} that is an executable file, or a failure that says how to install it. */
    static Path executable(String what, String debianPackage, List<Path> candidates) {
        return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new IllegalStateException(
                what + " is not installed (looked at " + candidates + "); install the Debian package " + debianPackage
                        + " (bash .ci/run does)"));
    }
}
