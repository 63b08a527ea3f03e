package dev.postpone.schema;

import java.nio.charset.StandardCharsets;

/**
 * A PostgreSQL role as a user names it ({@code app "worker"} is a valid role name). Validated once,
 * always quoted where it is spliced into SQL.
 */
public record RoleName(String value) {

    public RoleName {
        if (value == null || value.isBlank()) throw new IllegalArgumentException("role name must not be empty");
        if (value.getBytes(StandardCharsets.UTF_8).length > 63) {
            throw new IllegalArgumentException("role name longer than PostgreSQL's 63-byte limit: " + value);
        }
        if (value.indexOf('\0') >= 0) throw new IllegalArgumentException("role name contains a NUL byte");
    }

    public static RoleName of(String value) {
        return new RoleName(value);
    }

    /** The name as a quoted SQL identifier. */
    public String quoted() {
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    @Override
    public String toString() {
        return value;
    }
}
