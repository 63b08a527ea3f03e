package dev.postpone.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * A PostgreSQL cluster of the test's own, on a port of its own: for tests that crash, stop or promote a
 * server, which the shared test server must never see. Built with the installed server binaries
 * (initdb, pg_ctl, pg_basebackup of the newest /usr/lib/postgresql/N), trusting local connections,
 * without fsync (the tests crash the server process, never the machine). {@link #close()} stops it
 * and deletes its files; a shutdown hook does the same if the test JVM ends first.
 */
public final class LocalCluster implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private final String name;
    private final int port;
    private final Path home;
    private final Path data;
    private final Thread shutdownHook;
    private boolean running;

    private LocalCluster(String name, int port, Path home) {
        this.name = name;
        this.port = port;
        this.home = home;
        this.data = home.resolve("data");
        this.shutdownHook = ServerProcesses.stopOnExit("cluster-" + name, this::stopAndDelete);
    }

    /**
     * A new primary, ready for streaming replicas. {@code settings} are extra postgresql.conf lines, e.g.
     * {@code synchronous_standby_names = 'standby'}.
     */
    public static LocalCluster primary(String name, int port, List<String> settings) {
        LocalCluster cluster = new LocalCluster(name, port, ServerProcesses.directory("postpone-" + name + "-"));
        ServerProcesses.run(COMMAND_TIMEOUT, List.of(bin("initdb").toString(), "-D", cluster.data.toString(), "-U", "postgres",
                "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"));
        List<String> conf = new ArrayList<>(List.of("listen_addresses = '127.0.0.1'", "port = " + port,
                "unix_socket_directories = '" + cluster.home + "'", "fsync = off", "full_page_writes = off",
                "wal_level = replica", "max_wal_senders = 5", "wal_keep_size = '256MB'", "hot_standby = on",
                "max_connections = 100", "shared_buffers = '32MB'"));
        conf.addAll(settings);
        cluster.appendConfig(conf);
        cluster.append("pg_hba.conf", List.of("host replication all 127.0.0.1/32 trust"));
        cluster.start();
        return cluster;
    }

    /**
     * A streaming replica of this (running) cluster: a base backup with {@code -R}, connecting under
     * {@code applicationName}, the name {@code synchronous_standby_names} refers to. Started.
     */
    public LocalCluster standby(String standbyName, int standbyPort, String applicationName) {
        LocalCluster standby = new LocalCluster(standbyName, standbyPort, ServerProcesses.directory("postpone-" + standbyName + "-"));
        ServerProcesses.run(COMMAND_TIMEOUT, List.of(bin("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-U", "postgres", "-D", standby.data.toString(), "-R", "-X", "stream", "--no-sync", "-c", "fast"));
        // postgresql.auto.conf, read last: pg_basebackup -R wrote its own primary_conninfo there. Once promoted it
        // must not wait for a synchronous standby of its own (the primary's setting came with the backup): every
        // commit would hang.
        standby.append("postgresql.auto.conf", List.of("port = " + standbyPort, "unix_socket_directories = '" + standby.home + "'",
                "synchronous_standby_names = ''",
                "primary_conninfo = 'host=127.0.0.1 port=" + port + " user=postgres application_name=" + applicationName + "'"));
        standby.start();
        return standby;
    }

    public int port() {
        return port;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE?user=postgres}. */
    public String jdbcUrl(String database) {
        return ServerProcesses.jdbcUrl(port, database);
    }

    public DataSource dataSource(String database) {
        return ServerProcesses.dataSource(port, database);
    }

    public void execute(String database, String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl(database)); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row of {@code sql}, as text (null for no row). */
    public String query(String database, String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl(database)); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    public void start() {
        ServerProcesses.run(COMMAND_TIMEOUT, List.of(bin("pg_ctl").toString(), "-D", data.toString(), "-l",
                home.resolve("server.log").toString(), "-w", "-t", "60", "start"));
        running = true;
    }

    /** Stops the server the way a crash would ({@code pg_ctl stop -m immediate}): no checkpoint, sessions cut. */
    public void crash() {
        ServerProcesses.run(COMMAND_TIMEOUT, List.of(bin("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
        running = false;
    }

    /** Promotes this standby to primary and waits until it accepts writes. */
    public void promote() {
        ServerProcesses.run(COMMAND_TIMEOUT, List.of(bin("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "promote"));
    }

    /** The server's log so far, for a failure message. */
    public String log() {
        return ServerProcesses.log(home.resolve("server.log"));
    }

    @Override
    public void close() {
        ServerProcesses.stopNow(shutdownHook);
    }

    private synchronized void stopAndDelete() {
        if (running) {
            try {
                crash();
            } catch (RuntimeException e) {
                // already stopped (e.g. crashed by the test); the files go anyway
            }
        }
        ServerProcesses.delete(home);
    }

    private void appendConfig(List<String> lines) {
        append("postgresql.conf", lines);
    }

    private void append(String file, List<String> lines) {
        try {
            Files.writeString(data.resolve(file), "\n" + String.join("\n", lines) + "\n", java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server program of the newest PostgreSQL under /usr/lib/postgresql (or {@code POSTPONE_PG_BIN}). */
    static Path bin(String program) {
        String configured = System.getenv("POSTPONE_PG_BIN");
        List<Path> candidates = new ArrayList<>();
        if (configured != null) candidates.add(Path.of(configured, program));
        try (Stream<Path> versions = Files.exists(Path.of("/usr/lib/postgresql")) ? Files.list(Path.of("/usr/lib/postgresql")) : Stream.empty()) {
            versions.sorted(Comparator.comparing((Path p) -> versionOf(p)).reversed())
                    .forEach(v -> candidates.add(v.resolve("bin").resolve(program)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ServerProcesses.executable(program, "postgresql", candidates);
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public String toString() {
        return name + " (PostgreSQL on 127.0.0.1:" + port + ", " + data + ")";
    }
}
