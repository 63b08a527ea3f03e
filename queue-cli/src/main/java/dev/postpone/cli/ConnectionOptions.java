package dev.postpone.cli;

import dev.postpone.Postpone;
import dev.postpone.SchemaNotReadyException;
import dev.postpone.TaskSet;
import dev.postpone.schema.SchemaName;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code --database-url} and {@code --schema}: declared once on the root command and inherited by every
 * subcommand, so they may stand before or after the command name. Also the command's connections
 * ({@link #connect()}), which {@link PostponeCli#run} closes when the command ends.
 */
public final class ConnectionOptions implements AutoCloseable {

    /** The options as parsed for the command line that {@code spec} belongs to. */
    static ConnectionOptions of(CommandSpec spec) {
        return ((PostponeCli) spec.root().userObject()).connection;
    }

    @Option(names = "--database-url", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "jdbc:postgresql://host:port/db?user=… or postgresql://user:pw@host:port/db."
                    + " Default: $POSTPONE_DATABASE_URL, else PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD.")
    String databaseUrl;

    @Option(names = "--schema", paramLabel = "NAME", defaultValue = "postpone", scope = ScopeType.INHERIT,
            description = "PostgreSQL schema Postpone lives in (default: ${DEFAULT-VALUE}).")
    String schema;

    /** The configured database, or a usage error saying how to configure one. */
    public DatabaseTarget target() {
        return DatabaseTarget.require(databaseUrl, System.getenv());
    }

    public SchemaName schemaName() {
        try {
            return SchemaName.of(schema);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "invalid --schema: " + e.getMessage());
        }
    }

    private CommandConnections connections;

    /**
     * The command's connections to the configured database, after checking that it answers: sessions
     * are reused from step to step of the command and end with it.
     */
    public DataSource connect() {
        if (connections == null) {
            DatabaseTarget target = target();
            CommandConnections opened = new CommandConnections(target.dataSource());
            probe(opened, target);
            connections = opened;
        }
        return connections;
    }

    /** Ends the sessions {@link #connect()} opened. */
    @Override
    public void close() {
        if (connections != null) connections.close();
        connections = null;
    }

    /** A client for the configured database, after checking that the schema serves this release. */
    public Postpone client(TaskSet tasks) {
        DataSource ds = connect();
        return client(ds, tasks);
    }

    public Postpone client(DataSource ds, TaskSet tasks) {
        try {
            return Postpone.builder(ds).schema(schemaName().value()).tasks(tasks).build();
        } catch (SchemaNotReadyException e) {
            throw schemaNotReady(e);
        }
    }

    /** A schema that cannot serve this release: its message already names the database and host it looked in. */
    static CliException schemaNotReady(SchemaNotReadyException e) {
        return new CliException(ExitCode.SCHEMA_NOT_READY, e.getMessage(), e);
    }

    /** Opens (and hands back) one connection so that an unreachable database fails with one clear line. */
    static void probe(DataSource ds, DatabaseTarget target) {
        try (Connection c = ds.getConnection()) {
            c.isValid(5);
        } catch (SQLException e) {
            throw ConnectionFailure.of(e, target);
        }
    }
}
