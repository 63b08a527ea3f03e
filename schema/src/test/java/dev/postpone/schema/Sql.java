package dev.postpone.schema;

import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** Small JDBC helpers for tests: run a statement, read one value or one column. */
final class Sql {

    private Sql() {
    }

    static void execute(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static Object value(TestDatabase db, String sql, Object... parameters) throws SQLException {
        List<Object> column = column(db, sql, parameters);
        return column.isEmpty() ? null : column.getFirst();
    }

    static List<Object> column(TestDatabase db, String sql, Object... parameters) throws SQLException {
        try (Connection c = db.connect()) {
            return column(c, sql, parameters);
        }
    }

    static List<Object> column(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) ps.setObject(i + 1, parameters[i]);
            List<Object> values = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) values.add(rs.getObject(1));
            }
            return values;
        }
    }

    /** The payloads of the notifications {@code listener} (which LISTENs) received so far. */
    static List<String> notifications(Connection listener) throws SQLException {
        try (Statement st = listener.createStatement()) {
            st.execute("select 1"); // notifications arrive with the next round trip
        }
        PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications();
        return received == null ? List.of() : Arrays.stream(received).map(PGNotification::getParameter).toList();
    }

    /** The bundled steps plus {@code extra}, each given as {@code path} then {@code sql}. */
    static MigrationCatalog bundledPlus(String... pathsAndSql) {
        List<MigrationStep> extra = new ArrayList<>();
        for (int i = 0; i < pathsAndSql.length; i += 2) extra.add(MigrationStep.parse(pathsAndSql[i], pathsAndSql[i + 1]));
        return MigrationCatalog.of(Stream.concat(MigrationCatalog.bundled().steps().stream(), extra.stream()).toList());
    }

    /** The bundled steps up to the end of {@code release}, plus {@code extra} as in {@link #bundledPlus}. */
    static MigrationCatalog releasedPlus(Release release, String... pathsAndSql) {
        List<MigrationStep> extra = new ArrayList<>();
        for (int i = 0; i < pathsAndSql.length; i += 2) extra.add(MigrationStep.parse(pathsAndSql[i], pathsAndSql[i + 1]));
        return MigrationCatalog.of(Stream.concat(MigrationCatalog.bundled().upTo(release, Phase.POST).stream(), extra.stream()).toList());
    }

    static Migrator.Builder migrator(TestDatabase db, String schema) {
        return Migrator.builder(db.dataSource()).schema(schema);
    }
}
