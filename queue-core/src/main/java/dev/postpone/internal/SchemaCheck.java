package dev.postpone.internal;

import dev.postpone.PostponeException;
import dev.postpone.SchemaNotReadyException;
import dev.postpone.schema.Contract;
import dev.postpone.schema.SchemaGuard;
import dev.postpone.schema.SchemaName;
import dev.postpone.schema.Secrets;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Checks, before first use, that the database schema serves this release's contract. */
public final class SchemaCheck {

    private SchemaCheck() {
    }

    /**
     * @throws SchemaNotReadyException when the schema is missing, too old or too new, with the fix
     * @throws PostponeException when the database cannot be reached
     */
    public static void require(DataSource dataSource, SchemaName schema) throws SchemaNotReadyException {
        dev.postpone.schema.SchemaCheck check;
        try {
            check = SchemaGuard.check(dataSource, schema, Contract.current());
        } catch (RuntimeException e) {
            // A pool's or driver's message may quote the URL it was given.
            throw new PostponeException("cannot check the Postpone schema '" + schema + "': " + Secrets.redact(rootMessage(e)), e);
        }
        requireOk(check);
    }

    /**
     * The same check on a connection the caller owns.
     *
     * @throws SchemaNotReadyException when the schema is missing, too old or too new, with the fix
     * @throws SQLException when the check's queries fail
     */
    public static void require(Connection c, SchemaName schema) throws SchemaNotReadyException, SQLException {
        requireOk(SchemaGuard.check(c, schema, Contract.current()));
    }

    private static void requireOk(dev.postpone.schema.SchemaCheck check) throws SchemaNotReadyException {
        if (!check.ok()) throw new SchemaNotReadyException(check.message(), check.fixCommand().orElse(null));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage();
    }
}
