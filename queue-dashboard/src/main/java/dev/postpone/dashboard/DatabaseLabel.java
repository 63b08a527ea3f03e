package dev.postpone.dashboard;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JDBC URL as the dashboard may show it: host, port and database only, never user, password or parameters. */
final class DatabaseLabel {

    private static final Pattern URL = Pattern.compile("jdbc:postgresql://(?:[^/?]*@)?([^/?]*)(/[^?;]*)?.*");

    private DatabaseLabel() {
    }

    static String of(String jdbcUrl) {
        if (jdbcUrl == null) return "";
        Matcher m = URL.matcher(jdbcUrl);
        if (!m.matches()) return "a PostgreSQL database";
        return m.group(1) + (m.group(2) == null ? "" : m.group(2));
    }
}
