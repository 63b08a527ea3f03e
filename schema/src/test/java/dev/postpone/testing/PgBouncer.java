package dev.postpone.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * A PgBouncer (the Debian package's) started by a test in front of a PostgreSQL server, with a config
 * of its own on a port of its own. Every database name maps to the same name on the server; clients
 * are trusted, as the server trusts them. {@link #close()} stops it; a shutdown hook does the same if
 * the test JVM ends first.
 *
 * <p>{@code ignore_startup_parameters = extra_float_digits}: pgjdbc sends that startup parameter and
 * PgBouncer refuses unknown ones, so every PgBouncer that serves JDBC clients needs the line.
 */
public final class PgBouncer implements AutoCloseable {

    /** How PgBouncer hands server connections to clients. */
    public enum PoolMode { SESSION, TRANSACTION }

    private final int port;
    private final Path home;
    private final Process process;
    private final Thread shutdownHook;

    private PgBouncer(int port, Path home, Process process) {
        this.port = port;
        this.home = home;
        this.process = process;
        this.shutdownHook = ServerProcesses.stopOnExit("pgbouncer-" + port, this::stop);
    }

    /**
     * Starts PgBouncer on 127.0.0.1:{@code port} in front of the server at 127.0.0.1:{@code serverPort},
     * with at most {@code serverConnections} server connections per database and user (fewer than the
     * clients a test opens, so that clients share server sessions the way they do in production).
     */
    public static PgBouncer start(int port, int serverPort, PoolMode mode, int serverConnections) {
        if (listening(port)) throw new IllegalStateException("port " + port + " is taken: something already listens on 127.0.0.1:" + port);
        Path home = ServerProcesses.directory("postpone-pgbouncer-");
        Path ini = home.resolve("pgbouncer.ini");
        Path users = home.resolve("users.txt");
        try {
            Files.writeString(users, "\"postgres\" \"\"\n");
            Files.writeString(ini, String.join("\n",
                    "[databases]",
                    "* = host=127.0.0.1 port=" + serverPort,
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    "listen_port = " + port,
                    "unix_socket_dir =",
                    "auth_type = trust",
                    "auth_file = " + users,
                    "pool_mode = " + mode.name().toLowerCase(java.util.Locale.ROOT),
                    "default_pool_size = " + serverConnections,
                    "max_client_conn = 500",
                    "ignore_startup_parameters = extra_float_digits",
                    "server_check_delay = 1",
                    "") + "\n");
            List<String> command = new ArrayList<>(List.of(binary().toString()));
            // As root PgBouncer refuses to run unless told which user to become.
            if (ServerProcesses.root()) command.addAll(List.of("-u", ServerProcesses.SERVER_USER));
            command.add(ini.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(home.resolve("pgbouncer.log").toFile()).start();
            PgBouncer bouncer = new PgBouncer(port, home, process);
            bouncer.awaitListening();
            return bouncer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PgBouncer", e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE?user=postgres}: through this PgBouncer. */
    public String jdbcUrl(String database) {
        return ServerProcesses.jdbcUrl(port, database);
    }

    public DataSource dataSource(String database) {
        return ServerProcesses.dataSource(port, database);
    }

    /** PgBouncer's log so far. */
    public String log() {
        return ServerProcesses.log(home.resolve("pgbouncer.log"));
    }

    @Override
    public void close() {
        ServerProcesses.stopNow(shutdownHook);
    }

    private synchronized void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ServerProcesses.delete(home);
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("PgBouncer exited " + process.exitValue() + ":\n" + log());
            if (listening(port)) return;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("PgBouncer did not listen on 127.0.0.1:" + port + " within 20 s:\n" + log());
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path binary() {
        return ServerProcesses.executable("pgbouncer", "pgbouncer",
                List.of(Path.of("/usr/sbin/pgbouncer"), Path.of("/usr/bin/pgbouncer"), Path.of("/usr/local/bin/pgbouncer")));
    }
}
