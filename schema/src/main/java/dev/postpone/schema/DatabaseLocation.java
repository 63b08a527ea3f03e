package dev.postpone.schema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Which database a connection reached, for messages: {@code database "shop" on 10.0.0.5:5432}. Never a password. */
final class DatabaseLocation {

    private DatabaseLocation() {
    }

    static String of(Connection c) throws SQLException {
        String sql = "select current_database(), coalesce(host(inet_server_addr()), 'a local socket'), inet_server_port()";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            String host = rs.getString(2);
            return "database \"" + rs.getString(1) + "\" on " + host + (rs.getObject(3) == null ? "" : ":" + rs.getInt(3));
        }
    }
}
