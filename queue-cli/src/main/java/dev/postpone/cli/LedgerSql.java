package dev.postpone.cli;

import dev.postpone.schema.MigrationStep;
import dev.postpone.schema.LibraryVersion;
import dev.postpone.schema.SchemaName;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The SQL that records steps in the migrator's ledger, for DBAs who apply the migrations by hand:
 * without these rows {@code postpone schema migrate} would consider the steps pending and run them again.
 */
final class LedgerSql {

    private static final String LEDGER_RESOURCE = "/dev/postpone/schema/ledger.sql";

    private LedgerSql() {
    }

    /** The ledger table's definition, as the migrator creates it (from the schema jar). */
    static String createTable() {
        try (InputStream in = LedgerSql.class.getResourceAsStream(LEDGER_RESOURCE)) {
            if (in == null) throw new IllegalStateException(LEDGER_RESOURCE + " is missing from the postpone-schema jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The row the migrator writes once {@code step} is applied. */
    static String insertApplied(SchemaName schema, MigrationStep step) {
        return "insert into " + schema.qualify("schema_migrations")
                + " (release, phase, seq, name, checksum, state, transactional, finished_at, duration_ms, migrator_release, client_info)"
                + " values (" + quote(step.release().toString()) + ", " + quote(step.phase().label()) + ", " + step.id().seq()
                + ", " + quote(step.name()) + ", " + quote(step.checksum()) + ", 'applied', " + step.transactional()
                + ", clock_timestamp(), 0, " + quote(LibraryVersion.current()) + ", 'applied by hand from postpone schema print');";
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
