package dev.postpone.internal;

import dev.postpone.PostponeException;
import dev.postpone.SchemaNotReadyException;
import dev.postpone.schema.Release;
import dev.postpone.schema.SchemaName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/** Checks, before first use, that the database schema has every function this release calls. */
public final class SchemaCheck {

    private SchemaCheck() {
    }

    public static void require(DataSource dataSource, SchemaName schema) throws SchemaNotReadyException {
        String command = "postpone schema migrate --phase pre --to " + Release.current()
                + (schema.equals(SchemaName.DEFAULT) ? "" : " --schema " + schema);
        try (Connection c = dataSource.getConnection()) {
            List<String> missing = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select f from unnest(?::text[]) f where not exists (select 1 from pg_proc p join pg_namespace n"
                            + " on n.oid = p.pronamespace where n.nspname = ? and p.proname = f)")) {
                ps.setArray(1, c.createArrayOf("text", Arrays.stream(SqlFunction.values()).map(SqlFunction::functionName).toArray()));
                ps.setString(2, schema.value());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) missing.add(rs.getString(1));
                }
            }
            if (missing.size() == SqlFunction.values().length) {
                throw new SchemaNotReadyException("the Postpone schema '" + schema + "' is not installed in this database;"
                        + " run: " + command, command);
            }
            if (!missing.isEmpty()) {
                throw new SchemaNotReadyException("the Postpone schema '" + schema + "' lacks " + String.join(", ", missing)
                        + " which release " + Release.current() + " needs; run: " + command, command);
            }
        } catch (SQLException e) {
            throw new PostponeException("cannot check the Postpone schema: " + e.getMessage(), e);
        }
    }
}
