package dev.postpone.schema;

import java.util.regex.Pattern;

/**
 * The command lines messages tell operators to run, spelled exactly as the postpone CLI takes them
 * (schema names quoted for the shell). Public so that every module's messages spell them one way.
 */
public final class Commands {

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_.$-]+");

    private Commands() {
    }

    public static String migrate(Phase phase, Release release, SchemaName schema) {
        return "postpone schema migrate --phase " + phase.label() + " --to " + release + schemaOption(schema);
    }

    /** A fresh install: nothing runs against a missing schema, so both phases are safe at once. */
    public static String install(Release release, SchemaName schema) {
        return "postpone schema migrate --phase all --to " + release + schemaOption(schema);
    }

    static String verify(SchemaName schema) {
        return "postpone schema verify" + schemaOption(schema);
    }

    static String status(SchemaName schema) {
        return "postpone schema status" + schemaOption(schema);
    }

    static String workers(SchemaName schema) {
        return "postpone workers" + schemaOption(schema);
    }

    /** Gives {@code role} what an application or worker needs (docs/operations.md, least privilege). */
    public static String grant(SchemaName schema, RoleName role) {
        return "postpone schema grant --role " + shellWord(role.value()) + schemaOption(schema);
    }

    private static String schemaOption(SchemaName schema) {
        if (schema.equals(SchemaName.DEFAULT)) return "";
        return " --schema " + shellWord(schema.value());
    }

    private static String shellWord(String v) {
        return SHELL_SAFE.matcher(v).matches() ? v : "'" + v.replace("'", "'\\''") + "'";
    }
}
