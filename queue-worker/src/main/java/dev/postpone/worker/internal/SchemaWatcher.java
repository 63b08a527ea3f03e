package dev.postpone.worker.internal;

import dev.postpone.SchemaNotReadyException;
import dev.postpone.internal.SchemaCheck;
import dev.postpone.schema.SchemaName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-checks the schema when a migration announces itself. If this release's functions are gone
 * (a later release's post migration removed them), the worker must stop fetching, drain and stop.
 * The check runs on the housekeeping thread and connection, so it needs no connection of its own;
 * the listener's thread only asks for it.
 */
final class SchemaWatcher {

    private static final Logger log = LoggerFactory.getLogger(SchemaWatcher.class);

    private final SchemaName schema;
    private final Housekeeper housekeeper;
    private final Consumer<String> incompatible;
    /** A check is queued; notifications meanwhile are answered by that one check. */
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile boolean done;

    SchemaWatcher(SchemaName schema, Housekeeper housekeeper, Consumer<String> incompatible) {
        this.schema = schema;
        this.housekeeper = housekeeper;
        this.incompatible = incompatible;
    }

    /**
     * Checks the schema against this release's contract (the schema module's {@code SchemaGuard}, through
     * queue-core's {@code SchemaCheck}); the worker start fails with the fix command when it is not ready.
     */
    static void require(DataSource dataSource, SchemaName schema) throws SchemaNotReadyException {
        SchemaCheck.require(dataSource, schema);
    }

    /** A migration phase was applied (or notifications may have been lost): check again, soon. */
    void schemaChanged() {
        if (done || !queued.compareAndSet(false, true)) return;
        housekeeper.runSoon("schema_check", this::check);
    }

    private Void check(Connection c) throws SQLException {
        queued.set(false);
        if (done) return null;
        try {
            SchemaCheck.require(c, schema);
        } catch (SchemaNotReadyException e) {
            done = true;
            log.error("worker.schema_incompatible schema={} error=\"{}\"", schema, e.getMessage());
            incompatible.accept(e.getMessage());
        } catch (SQLException e) {
            // The database is unreachable right now; the listener's reconnect will ask again.
            log.warn("worker.schema_check_failed schema={} sqlstate={} error=\"{}\"", schema, e.getSQLState(), e.getMessage());
            throw e;
        }
        return null;
    }
}
