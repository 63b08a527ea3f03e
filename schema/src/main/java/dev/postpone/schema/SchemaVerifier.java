package dev.postpone.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Implements {@link Migrator#verify()}: installs the live schema's applied steps into a scratch
 * schema of the same database, compares the two catalog snapshots, and lists invalid indexes and roles
 * with more privileges than the grant gives.
 * Same server, same extensions, same collations: only the steps' effect is compared.
 */
final class SchemaVerifier {

    private final DataSource dataSource;
    private final SchemaName schema;
    private final MigrationCatalog catalog;

    SchemaVerifier(DataSource dataSource, SchemaName schema, MigrationCatalog catalog) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.catalog = catalog;
    }

    VerifyReport verify() {
        try (Connection c = dataSource.getConnection()) {
            // The scratch install sets search_path and commits step by step in one session.
            ConnectionPooler.requireSession(c, "verifying the schema");
            Ledger ledger = new Ledger(schema);
            String install = Commands.install(catalog.latest(), schema);
            if (!schemaExists(c)) {
                return notInstalled("schema " + schema + " does not exist in " + DatabaseLocation.of(c) + "; install it with " + install);
            }
            if (!ledger.exists(c)) {
                return notInstalled("schema " + schema + " in " + DatabaseLocation.of(c) + " has no Postpone migration ledger"
                        + " (schema_migrations); install Postpone into it with " + install);
            }
            List<AppliedStep> rows = ledger.read(c);
            List<String> problems = new ArrayList<>(StepSelection.ledgerProblems(catalog, rows));
            rows.stream().filter(r -> !r.applied()).forEach(r -> problems.add("step " + r.id() + "_" + r.name() + " is "
                    + r.state() + "; run migrate again to finish it"));
            List<String> invalid = invalidIndexes(c);
            List<String> excess = RoleGrants.excess(c, schema, Contract.current());
            if (!problems.isEmpty()) return new VerifyReport(schema, true, List.of(), invalid, problems, excess);
            Set<StepId> applied = rows.stream().map(AppliedStep::id).collect(Collectors.toSet());
            List<MigrationStep> steps = catalog.steps().stream().filter(s -> applied.contains(s.id())).toList();
            CatalogSnapshot live = CatalogSnapshot.take(c, schema);
            CatalogSnapshot expected = scratchSnapshot(c, steps);
            return new VerifyReport(schema, true, live.differencesFrom(expected), invalid, List.of(), excess);
        } catch (SQLException e) {
            throw new MigrationException("could not verify schema " + schema + ": " + e.getMessage(), e);
        }
    }

    private VerifyReport notInstalled(String problem) {
        return new VerifyReport(schema, false, List.of(), List.of(), List.of(problem), List.of());
    }

    private CatalogSnapshot scratchSnapshot(Connection c, List<MigrationStep> steps) throws SQLException {
        SchemaName scratch = SchemaName.of("postpone_verify_" + UUID.randomUUID().toString().substring(0, 8));
        try {
            install(c, scratch, steps);
            return CatalogSnapshot.take(c, scratch);
        } finally {
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("reset search_path");
                st.execute("drop schema if exists " + scratch.quoted() + " cascade");
            }
        }
    }

    /** Runs the ledger bootstrap and {@code steps} into the empty {@code scratch} schema, as migrate would. */
    static void install(Connection c, SchemaName scratch, List<MigrationStep> steps) throws SQLException {
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            st.execute("create schema " + scratch.quoted());
            st.execute("set search_path to " + scratch.quoted());
            st.execute(Ledger.bootstrapSql());
        }
        for (MigrationStep step : steps) {
            c.setAutoCommit(!step.transactional());
            try (Statement st = c.createStatement()) {
                st.execute(step.sql());
            }
            if (step.transactional()) c.commit();
        }
        c.setAutoCommit(true);
    }

    private boolean schemaExists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from pg_namespace where nspname = ?")) {
            ps.setString(1, schema.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private List<String> invalidIndexes(Connection c) throws SQLException {
        String sql = "select ci.relname, ct.relname from pg_index i join pg_class ci on ci.oid = i.indexrelid"
                + " join pg_class ct on ct.oid = i.indrelid join pg_namespace n on n.oid = ci.relnamespace"
                + " where n.nspname = ? and not i.indisvalid order by ci.relname";
        List<String> invalid = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema.value());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    invalid.add("index " + rs.getString(1) + " on " + rs.getString(2) + " is invalid (a failed CREATE INDEX"
                            + " CONCURRENTLY); migrate drops and rebuilds it when its step is re-run, else drop it");
                }
            }
        }
        return invalid;
    }
}
