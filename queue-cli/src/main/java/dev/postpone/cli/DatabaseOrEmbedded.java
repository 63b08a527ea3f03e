package dev.postpone.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;

/**
 * The database of {@code demo} and {@code bench}: the configured one (--database-url,
 * POSTPONE_DATABASE_URL, PG*), else an embedded PostgreSQL started in a temporary directory and
 * removed on {@link #close()}.
 */
final class DatabaseOrEmbedded implements AutoCloseable {

    private final DatabaseTarget target;
    private final EmbeddedPostgres embedded;

    private DatabaseOrEmbedded(DatabaseTarget target, EmbeddedPostgres embedded) {
        this.target = target;
        this.embedded = embedded;
    }

    static DatabaseOrEmbedded open(String databaseUrlOption, Map<String, String> env, PrintWriter messages) throws IOException {
        return open(databaseUrlOption, env, messages, true);
    }

    /**
     * @param embeddedStopsAtExit false when the caller's own shutdown hook closes this after what uses
     *                            it: the embedded server's hook would otherwise stop it first, concurrently
     */
    static DatabaseOrEmbedded open(String databaseUrlOption, Map<String, String> env, PrintWriter messages,
                                   boolean embeddedStopsAtExit) throws IOException {
        Optional<DatabaseTarget> configured = DatabaseTarget.resolve(databaseUrlOption, env);
        if (configured.isPresent()) {
            messages.println("using the database at " + configured.get().address() + " (from " + configured.get().source() + ")");
            messages.flush();
            return new DatabaseOrEmbedded(configured.get(), null);
        }
        messages.println("no database configured: starting an embedded PostgreSQL in a temporary directory…");
        messages.flush();
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setRegisterShutdownHook(embeddedStopsAtExit).start();
        DatabaseTarget target = new DatabaseTarget(pg.getJdbcUrl("postgres", "postgres"), "postgres", null, "the embedded PostgreSQL");
        messages.println("embedded PostgreSQL listening on " + target.address());
        messages.flush();
        return new DatabaseOrEmbedded(target, pg);
    }

    DatabaseTarget target() {
        return target;
    }

    @Override
    public void close() {
        if (embedded == null) return;
        try {
            embedded.close();
        } catch (IOException e) {
            // The temporary directory may stay behind; the command's result is unaffected.
        }
    }
}
