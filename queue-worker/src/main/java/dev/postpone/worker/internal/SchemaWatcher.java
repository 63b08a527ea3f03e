package dev.postpone.worker.internal;

import dev.postpone.PostponeException;
import dev.postpone.SchemaNotReadyException;
import dev.postpone.internal.SchemaCheck;
import dev.postpone.schema.SchemaName;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-checks the schema when a migration announces itself. If this release's functions are gone
 * (a later release's post migration removed them), the worker must stop fetching, drain and stop.
 * The check runs on its own virtual thread: the listener's thread only signals.
 */
final class SchemaWatcher {

    private static final Logger log = LoggerFactory.getLogger(SchemaWatcher.class);

    private final DataSource dataSource;
    private final SchemaName schema;
    private final Consumer<String> incompatible;
    private final AtomicBoolean checking = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean done;

    SchemaWatcher(DataSource dataSource, SchemaName schema, Consumer<String> incompatible) {
        this.dataSource = dataSource;
        this.schema = schema;
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
        if (done) return;
        again.set(true);
        if (checking.compareAndSet(false, true)) Thread.ofVirtual().name("postpone-schema-check").start(this::check);
    }

    private void check() {
        try {
            while (again.getAndSet(false) && !done) {
                try {
                    require(dataSource, schema);
                } catch (SchemaNotReadyException e) {
                    done = true;
                    log.error("worker.schema_incompatible schema={} error=\"{}\"", schema, e.getMessage());
                    incompatible.accept(e.getMessage());
                } catch (PostponeException e) {
                    // The database is unreachable right now; the listener's reconnect will ask again.
                    log.warn("worker.schema_check_failed schema={} error=\"{}\"", schema, e.getMessage());
                }
            }
        } finally {
            checking.set(false);
        }
    }
}
