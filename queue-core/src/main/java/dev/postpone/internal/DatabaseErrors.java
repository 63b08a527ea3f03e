package dev.postpone.internal;

import dev.postpone.PostponeException;
import dev.postpone.QueueingLockTakenException;
import dev.postpone.schema.Commands;
import dev.postpone.schema.Phase;
import dev.postpone.schema.Release;
import dev.postpone.schema.SchemaName;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Turns SQL errors into Postpone's exceptions with messages that say what to do. */
public final class DatabaseErrors {

    private static final Pattern KEY_VALUE = Pattern.compile("Key \\(queueing_lock\\)=\\((.*)\\) already exists");

    private DatabaseErrors() {
    }

    /** The queueing lock a unique violation is about, when it is one. */
    public static QueueingLockTakenException queueingLockTaken(SQLException e, String context) {
        if (!"23505".equals(e.getSQLState()) || !(e instanceof PSQLException p)) return null;
        ServerErrorMessage m = p.getServerErrorMessage();
        if (m == null || !"jobs_queueing_lock_v1".equals(m.getConstraint())) return null;
        Matcher v = KEY_VALUE.matcher(m.getDetail() == null ? "" : m.getDetail());
        String lock = v.find() ? v.group(1) : "?";
        return new QueueingLockTakenException(lock, "queueing lock '" + lock + "' is taken: a job with it is already waiting"
                + " (" + context + "); nothing was deferred", e);
    }

    /** Any other database failure, with a hint when the schema is missing or out of date. */
    public static PostponeException unexpected(SQLException e, SchemaName schema, String what) {
        String state = e.getSQLState();
        if ("3F000".equals(state)) {
            return new PostponeException(what + " failed: the Postpone schema '" + schema + "' is missing ("
                    + firstLine(e.getMessage()) + "); run: " + Commands.install(Release.current(), schema), e);
        }
        if ("42883".equals(state) || "42P01".equals(state)) {
            return new PostponeException(what + " failed: the Postpone schema '" + schema + "' is missing or too old ("
                    + firstLine(e.getMessage()) + "); run: " + Commands.migrate(Phase.PRE, Release.current(), schema), e);
        }
        return new PostponeException(what + " failed: " + firstLine(e.getMessage()), e);
    }

    static String firstLine(String message) {
        if (message == null) return "unknown database error";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
