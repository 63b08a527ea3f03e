package dev.postpone.schema;

import java.util.regex.Pattern;

/**
 * The PostgreSQL schema Postpone lives in ({@code postpone} by default). Validated once, quoted
 * wherever it is spliced into SQL.
 */
public record SchemaName(String value) {

    public static final SchemaName DEFAULT = new SchemaName("postpone");
    private static final Pattern SIMPLE = Pattern.compile("[a-z_][a-z0-9_$]*");

    public SchemaName {
        Identifiers.check("schema", value);
    }

    public static SchemaName of(String value) {
        return new SchemaName(value);
    }

    /** The name as a SQL identifier, quoted unless it is a plain lower-case identifier. */
    public String quoted() {
        return SIMPLE.matcher(value).matches() ? value : Identifiers.quote(value);
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
