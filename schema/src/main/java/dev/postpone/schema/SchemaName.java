package dev.postpone.schema;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The PostgreSQL schema Postpone lives in ({@code postpone} by default). Validated once, quoted
 * wherever it is spliced into SQL.
 */
public record SchemaName(String value) {

    public static final SchemaName DEFAULT = new SchemaName("postpone");
    private static final Pattern SIMPLE = Pattern.compile("[a-z_][a-z0-9_$]*");

    public SchemaName {
        if (value == null || value.isBlank()) throw new IllegalArgumentException("schema name must not be empty");
        if (value.getBytes(StandardCharsets.UTF_8).length > 63) {
            throw new IllegalArgumentException("schema name longer than PostgreSQL's 63-byte limit: " + value);
        }
        if (value.indexOf('\0') >= 0) throw new IllegalArgumentException("schema name contains a NUL byte");
    }

    public static SchemaName of(String value) {
        return new SchemaName(value);
    }

    /** The name as a SQL identifier, quoted unless it is a plain lower-case identifier. */
    public String quoted() {
        return SIMPLE.matcher(value).matches() ? value : '"' + value.replace("\"", "\"\"") + '"';
    }

    /** {@code schema.name} for a function or table of ours. */
    public String qualify(String objectName) {
        return quoted() + "." + objectName;
    }

    @Override
    public String toString() {
        return value;
    }
}
