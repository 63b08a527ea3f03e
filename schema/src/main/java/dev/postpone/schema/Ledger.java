package dev.postpone.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes the migrator's ledger table, {@code <schema>.schema_migrations}. */
final class Ledger {

    private final SchemaName schema;

    Ledger(SchemaName schema) {
        this.schema = schema;
    }

    static String bootstrapSql() {
        try (InputStream in = Ledger.class.getResourceAsStream("ledger.sql")) {
            if (in == null) throw new IllegalStateException("ledger.sql missing from the postpone-schema jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean exists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select to_regclass(?) is not null")) {
            ps.setString(1, schema.qualify("schema_migrations"));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    List<AppliedStep> read(Connection c) throws SQLException {
        List<AppliedStep> rows = new ArrayList<>();
        if (!exists(c)) return rows;
        String sql = "select release, phase, seq, name, checksum, state, transactional, started_at, finished_at,"
                + " duration_ms, applied_by, migrator_release, error from " + schema.qualify("schema_migrations");
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                StepId id = new StepId(Release.parse(rs.getString("release")), Phase.fromLabel(rs.getString("phase")), rs.getInt("seq"));
                Timestamp finished = rs.getTimestamp("finished_at");
                // Read as an object: wasNull() would report on whichever column was read last.
                Long duration = rs.getObject("duration_ms", Long.class);
                rows.add(new AppliedStep(id, rs.getString("name"), rs.getString("checksum"), rs.getString("state"),
                        rs.getBoolean("transactional"), rs.getTimestamp("started_at").toInstant(),
                        finished == null ? null : finished.toInstant(), duration,
                        rs.getString("applied_by"), rs.getString("migrator_release"), rs.getString("error")));
            }
        }
        rows.sort((a, b) -> a.id().compareTo(b.id()));
        return rows;
    }

    /** Inserts or replaces the step's row in the given state. */
    void record(Connection c, MigrationStep step, String state, long durationMillis, String error, String clientInfo) throws SQLException {
        String sql = "insert into " + schema.qualify("schema_migrations")
                + " (release, phase, seq, name, checksum, state, transactional, started_at, finished_at, duration_ms,"
                + "  migrator_release, client_info, error)"
                + " values (?, ?, ?, ?, ?, ?, ?, clock_timestamp() - make_interval(secs => ? / 1000.0),"
                + "  case when ? = 'running' then null else clock_timestamp() end, ?, ?, ?, ?)"
                + " on conflict (release, phase, seq) do update set name = excluded.name, checksum = excluded.checksum,"
                + "  state = excluded.state, transactional = excluded.transactional,"
                + "  started_at = case when excluded.state = 'running' then excluded.started_at"
                + "                    else " + schema.qualify("schema_migrations") + ".started_at end,"
                + "  finished_at = excluded.finished_at, duration_ms = excluded.duration_ms,"
                + "  applied_by = excluded.applied_by, migrator_release = excluded.migrator_release,"
                + "  client_info = excluded.client_info, error = excluded.error";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, step.release().toString());
            ps.setString(2, step.phase().label());
            ps.setInt(3, step.id().seq());
            ps.setString(4, step.name());
            ps.setString(5, step.checksum());
            ps.setString(6, state);
            ps.setBoolean(7, step.transactional());
            ps.setLong(8, durationMillis);
            ps.setString(9, state);
            if ("running".equals(state)) ps.setNull(10, java.sql.Types.BIGINT); else ps.setLong(10, durationMillis);
            ps.setString(11, LibraryVersion.current());
            ps.setString(12, clientInfo);
            ps.setString(13, error);
            ps.executeUpdate();
        }
    }
}
