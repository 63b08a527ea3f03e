package dev.postpone.schema;

/**
 * A PostgreSQL role as a user names it ({@code app "worker"} is a valid role name). Validated once,
 * always quoted where it is spliced into SQL.
 */
public record RoleName(String value) {

    public RoleName {
        Identifiers.check("role", value);
    }

    public static RoleName of(String value) {
        return new RoleName(value);
    }

    /** The name as a quoted SQL identifier. */
    public String quoted() {
        return Identifiers.quote(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
