package dev.postpone.schema;

import java.nio.charset.StandardCharsets;

/** The rules every PostgreSQL name a user gives us (schema, role) must meet before it is quoted into SQL. */
final class Identifiers {

    private Identifiers() {
    }

    /** Refuses an empty name, one over PostgreSQL's 63-byte limit, or one with a NUL byte. */
    static void check(String kind, String value) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(kind + " name must not be empty");
        if (value.getBytes(StandardCharsets.UTF_8).length > 63) {
            throw new IllegalArgumentException(kind + " name longer than PostgreSQL's 63-byte limit: " + value);
        }
        if (value.indexOf('\0') >= 0) throw new IllegalArgumentException(kind + " name contains a NUL byte");
    }

    /** {@code value} as a quoted identifier: in double quotes, inner double quotes doubled. */
    static String quote(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
