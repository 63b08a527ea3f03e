package dev.postpone.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one rule "older releases block post": the post steps of release R may run only when no
 * worker, no client and no connection of a release older than R is alive, because those steps drop
 * what older releases call. Used by migrate (refuses), plan (lists it) and status (says what to wait for).
 */
final class PostGuard {

    private final SchemaName schema;
    private final Duration workerWindow;

    PostGuard(SchemaName schema, Duration workerWindow) {
        this.schema = schema;
        this.workerWindow = workerWindow;
    }

    /** Who keeps the post steps of {@code post} from running now. */
    Blockers blockers(Connection c, Release post) throws SQLException {
        List<LiveWorker> workers = liveWorkers(c).stream().filter(w -> w.isOlderThan(post)).toList();
        List<LiveClient> clients = liveClients(c).stream().filter(w -> w.isOlderThan(post)).toList();
        return new Blockers(post, workers, clients, legacyConnections(c, post));
    }

    /**
     * Workers alive by the schema's one liveness rule ({@code worker_liveness_v1}, the rescuer's), with
     * the live-worker window as the threshold of workers that registered without one; before 1.1.0's
     * pre steps, whose heartbeat is within that window. Empty before the workers table exists.
     */
    List<LiveWorker> liveWorkers(Connection c) throws SQLException {
        List<LiveWorker> workers = new ArrayList<>();
        if (!tableExists(c, "workers")) return workers;
        // live_workers_v1 (1.1.0/pre/820) lets a role without privileges on the tables read it; the
        // table reads serve schemas older than that step.
        String sql = functionExists(c, "live_workers_v1(jsonb, timestamptz)")
                ? "select id, name, host, pid, release, last_heartbeat from " + schema.qualify("live_workers_v1")
                        + "(jsonb_build_object('default_stalled_after_ms', ?::numeric), now())"
                : functionExists(c, "worker_liveness_v1(jsonb, timestamptz)")
                ? "select w.id, w.name, w.host, w.pid, w.release, w.last_heartbeat from " + schema.qualify("workers") + " w join "
                        + schema.qualify("worker_liveness_v1") + "(jsonb_build_object('default_stalled_after_ms', ?::numeric), now()) l"
                        + " on l.id = w.id where l.alive order by w.id"
                : "select id, name, host, pid, release, last_heartbeat from " + schema.qualify("workers")
                        + " where last_heartbeat > now() - make_interval(secs => ? / 1000.0) order by id";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, workerWindow.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    workers.add(new LiveWorker(rs.getLong("id"), rs.getString("name"), rs.getString("host"),
                            rs.getLong("pid"), rs.getString("release"), rs.getTimestamp("last_heartbeat").toInstant()));
                }
            }
        }
        return workers;
    }

    /** Clients seen within their own alive window. Empty before the clients table exists (release 1.1.0). */
    List<LiveClient> liveClients(Connection c) throws SQLException {
        List<LiveClient> clients = new ArrayList<>();
        if (!tableExists(c, "clients")) return clients;
        String sql = functionExists(c, "live_clients_v1(timestamptz)")
                ? "select id, name, host, pid, version, last_seen from " + schema.qualify("live_clients_v1") + "(now())"
                : "select id::text, name, host, pid, version, last_seen from " + schema.qualify("clients")
                        + " where last_seen > now() - alive_window order by started_at, id";
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                clients.add(new LiveClient(rs.getString("id"), rs.getString("name"), rs.getString("host"),
                        rs.getLong("pid"), rs.getString("version"), rs.getTimestamp("last_seen").toInstant()));
            }
        }
        return clients;
    }

    /**
     * Sessions of this database whose last statement called one of the functions that the contracts of
     * releases older than {@code post} have and {@code post}'s contract does not: what post drops.
     */
    private List<LegacyConnection> legacyConnections(Connection c, Release post) throws SQLException {
        Set<String> dropped = droppedFunctions(post);
        List<LegacyConnection> found = new ArrayList<>();
        if (dropped.isEmpty()) return found;
        String sql = """
                select a.pid, a.application_name, host(a.client_addr) as client_addr, f.name
                from pg_stat_activity a
                cross join lateral (select n as name from unnest(?::text[]) n
                                    where position(quote_ident(?) || '.' || n || '(' in a.query) > 0 limit 1) f
                where a.datname = current_database() and a.pid <> pg_backend_pid() and a.backend_type = 'client backend'
                order by a.pid""";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", dropped.toArray()));
            // Postpone's clients call the schema-qualified name: a same-named function of another schema is not ours.
            ps.setString(2, schema.value());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new LegacyConnection(rs.getInt("pid"), rs.getString("application_name"),
                            rs.getString("client_addr"), rs.getString("name")));
                }
            }
        }
        return found;
    }

    /** A function a step drops, by name (comments removed first). */
    private static final Pattern DROP_FUNCTION = Pattern.compile(
            "\\bdrop\\s+(?:function|routine)\\s+(?:if\\s+exists\\s+)?(?:[a-z_][a-z0-9_]*\\.)?([a-z_][a-z0-9_]*)\\s*\\(",
            Pattern.CASE_INSENSITIVE);

    /**
     * The functions that the post steps of {@code post} drop and that the contracts of earlier releases list:
     * what an older process may still call and will lose. Read from the steps themselves, not from the
     * contracts' difference: a release may stop calling a function (1.1.0 no longer calls defer_jobs_v1)
     * without dropping it, and a 1.0.0 application that still calls it must not block post.
     */
    static Set<String> droppedFunctions(Release post) {
        Set<String> older = MigrationCatalog.bundled().releases().stream()
                .filter(r -> r.isBefore(post) && Contract.available(r))
                .flatMap(r -> Contract.load(r).functions().stream().map(Contract::functionName))
                .collect(Collectors.toSet());
        Set<String> dropped = new TreeSet<>();
        MigrationCatalog.bundled().steps().stream()
                .filter(step -> step.release().equals(post) && step.phase() == Phase.POST)
                .forEach(step -> {
                    Matcher m = DROP_FUNCTION.matcher(step.sql().replaceAll("--[^\\n]*", ""));
                    while (m.find()) {
                        String name = m.group(1).toLowerCase(Locale.ROOT);
                        if (older.contains(name)) dropped.add(name);
                    }
                });
        return dropped;
    }

    private boolean functionExists(Connection c, String signature) throws SQLException {
        return functionExists(c, schema, signature);
    }

    /** Whether {@code schema} has the function {@code signature} ({@code name(type, …)}). */
    static boolean functionExists(Connection c, SchemaName schema, String signature) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select to_regprocedure(?) is not null")) {
            ps.setString(1, schema.qualify(signature));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private boolean tableExists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select to_regclass(?) is not null")) {
            ps.setString(1, schema.qualify(table));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The workers, clients and connections of releases older than {@code post} that are alive now. */
    record Blockers(Release post, List<LiveWorker> workers, List<LiveClient> clients, List<LegacyConnection> connections) {

        boolean none() {
            return workers.isEmpty() && clients.isEmpty() && connections.isEmpty();
        }

        /** Each blocker on its own, named: "worker 3 'w1' on host pid 12 release 1.0.0, …". */
        String describe() {
            List<LegacyConnection> ofWorkers = workersConnections();
            Stream<String> workerSessions = ofWorkers.isEmpty() ? Stream.of()
                    : Stream.of("their sessions (backend pids " + ofWorkers.stream().map(l -> String.valueOf(l.backendPid()))
                            .collect(Collectors.joining(", ")) + ")");
            return Stream.of(workers.stream().map(LiveWorker::describe), workerSessions, clients.stream().map(LiveClient::describe),
                            otherConnections().stream().map(LegacyConnection::describe))
                    .flatMap(s -> s).collect(Collectors.joining(", "));
        }

        /**
         * Counted by kind and version: "2 workers of release 1.0.0, 1 client of version 1.0.1". The sessions of
         * the workers listed are theirs, not more blockers; other connections (1.0.0 applications, which never
         * register, or a worker whose row is gone) are counted apart.
         */
        String summary() {
            Set<String> parts = new LinkedHashSet<>();
            workers.stream().collect(Collectors.groupingBy(LiveWorker::release, java.util.TreeMap::new, Collectors.counting()))
                    .forEach((v, n) -> parts.add(n + (n == 1 ? " worker" : " workers") + " of release " + v));
            clients.stream().collect(Collectors.groupingBy(LiveClient::version, java.util.TreeMap::new, Collectors.counting()))
                    .forEach((v, n) -> parts.add(n + (n == 1 ? " client" : " clients") + " of release " + v));
            List<LegacyConnection> others = otherConnections();
            if (!others.isEmpty()) {
                parts.add(others.size() + (others.size() == 1 ? " connection" : " connections")
                        + " still calling functions of an older release");
            }
            return String.join(", ", parts);
        }

        private List<LegacyConnection> workersConnections() {
            return workers.isEmpty() ? List.of() : connections.stream().filter(LegacyConnection::ofAWorker).toList();
        }

        private List<LegacyConnection> otherConnections() {
            return workers.isEmpty() ? connections : connections.stream().filter(l -> !l.ofAWorker()).toList();
        }
    }
}
