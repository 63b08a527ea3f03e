package dev.postpone.worker;

import dev.postpone.schema.Migrator;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Test-side reads of the job tables, to check what the worker left behind. */
final class Sql {

    private Sql() {
    }

    static void installSchema(TestDatabase db) {
        Migrator.builder(db.dataSource()).build().migrate();
    }

    static long count(DataSource ds, String sql, Object... params) {
        return single(ds, sql, params);
    }

    static long single(DataSource ds, String sql, Object... params) {
        List<List<Object>> rows = rows(ds, sql, params);
        return ((Number) rows.getFirst().getFirst()).longValue();
    }

    static List<List<Object>> rows(DataSource ds, String sql, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(columns);
                    for (int i = 1; i <= columns; i++) row.add(rs.getObject(i));
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    static void execute(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); var s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
