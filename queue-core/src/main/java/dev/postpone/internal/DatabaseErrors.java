package dev.postpone.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postpone.PostponeException;
import dev.postpone.QueueingLockTakenException;
import dev.postpone.schema.Commands;
import dev.postpone.schema.Phase;
import dev.postpone.schema.Release;
import dev.postpone.schema.SchemaName;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;

/** Turns SQL errors into Postpone's exceptions with messages that say what to do. */
public final class DatabaseErrors {

    /**
     * Postpone's own SQLSTATEs (class PP), raised by its functions and listed in the release's contract
     * file. Errors are recognised by these codes and by fields the functions set themselves, never by
     * the server's message text, which depends on lc_messages.
     */
    public static final String QUEUEING_LOCK_TAKEN = "PP001";

    private static final ObjectMapper DETAIL = new ObjectMapper();

    private DatabaseErrors() {
    }

    /**
     * The queueing lock refused, when {@code e} is defer_jobs_v2's {@value #QUEUEING_LOCK_TAKEN}
     * (its DETAIL is JSON: {@code {"queueing_lock": ..., "job": <position in the batch>}}); else null.
     */
    public static QueueingLockTakenException queueingLockTaken(SQLException e, String context) {
        if (!QUEUEING_LOCK_TAKEN.equals(e.getSQLState())) return null;
        String lock = null;
        int job = 0;
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null && p.getServerErrorMessage().getDetail() != null) {
            try {
                JsonNode detail = DETAIL.readTree(p.getServerErrorMessage().getDetail());
                lock = detail.path("queueing_lock").textValue();
                job = detail.path("job").asInt(0);
            } catch (JsonProcessingException ignored) {
                // The code alone says what happened; the value is a courtesy.
            }
        }
        String which = lock == null ? "a queueing lock" : "queueing lock '" + lock + "'";
        // The function cannot tell (cheaply) whether a waiting job or an earlier job of the batch holds it.
        String holder = job > 1 ? "a waiting job or an earlier job of this batch holds it (refused at job " + job + ")"
                : "a job with it is already waiting";
        return new QueueingLockTakenException(lock, which + " is taken: " + holder + "; deferring " + context
                + "; nothing was deferred", e);
    }

    /** Any other database failure, with a hint when the schema is missing or out of date. */
    public static PostponeException unexpected(SQLException e, SchemaName schema, String what) {
        String state = e.getSQLState();
        if ("3F000".equals(state)) {
            return new PostponeException(what + " failed: the Postpone schema '" + schema + "' is missing ("
                    + firstLine(e.getMessage()) + "); run: " + Commands.install(Release.current(), schema), e);
        }
        if ("42501".equals(state)) {
            return new PostponeException(what + " failed: this database role may not do it (" + firstLine(e.getMessage())
                    + "); a role that postpone schema grant gave --read-only can only read, and every role needs"
                    + " schema grant first: ask the schema's owner to run postpone schema grant --role <role>", e);
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
