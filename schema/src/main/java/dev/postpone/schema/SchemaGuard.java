package dev.postpone.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Checks, at worker start, that a schema offers every function of the worker's {@link Contract}.
 * When it does not, it says why: the schema is missing, too old (pre of the contract's release is
 * not applied) or too new (a later release's post step dropped the functions), with the fix.
 */
public final class SchemaGuard {

    private static final String FUNCTIONS = """
            select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') -> ' || pg_get_function_result(p.oid)
            from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = ?""";

    private SchemaGuard() {
    }

    public static SchemaCheck check(DataSource dataSource, SchemaName schema, Contract contract) {
        try (Connection c = dataSource.getConnection()) {
            return check(c, schema, contract);
        } catch (SQLException e) {
            throw new MigrationException("could not check schema " + schema + " against the contract of " + contract.release()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The same check on a connection the caller owns (a worker checks on its housekeeping connection). */
    public static SchemaCheck check(Connection c, SchemaName schema, Contract contract) throws SQLException {
        Release release = contract.release();
        String migratePre = Commands.migrate(Phase.PRE, release, schema);
        String install = Commands.install(release, schema);
        Ledger ledger = new Ledger(schema);
        if (!exists(c, "select 1 from pg_namespace where nspname = ?", schema.value())) {
            return SchemaCheck.failed("schema " + schema + " does not exist in " + DatabaseLocation.of(c) + ": install it with "
                    + install, contract.functions(), install);
        }
        if (!ledger.exists(c)) {
            return SchemaCheck.failed("schema " + schema + " in " + DatabaseLocation.of(c) + " has no Postpone migration ledger"
                    + " (schema_migrations): install Postpone into it with " + install, contract.functions(), install);
        }
        Set<String> present = new HashSet<>(functions(c, schema));
        List<String> missing = contract.functions().stream().filter(f -> !present.contains(f)).toList();
        if (missing.isEmpty()) {
            return SchemaCheck.passed("schema " + schema + " offers every function of release " + release);
        }
        String names = describe(missing, present, schema);
        List<AppliedStep> rows = ledger.read(c);
        Set<StepId> applied = rows.stream().filter(AppliedStep::applied).map(AppliedStep::id).collect(Collectors.toSet());
        boolean preApplied = MigrationCatalog.bundled().upTo(release, Phase.PRE).stream().allMatch(s -> applied.contains(s.id()));
        if (!preApplied) {
            return SchemaCheck.failed("schema " + schema + " is older than release " + release + " needs (" + names
                    + "): run " + migratePre, missing, migratePre);
        }
        Optional<Release> droppedBy = rows.stream().filter(AppliedStep::applied)
                .filter(r -> r.id().phase() == Phase.POST && release.isBefore(r.id().release()))
                .map(r -> r.id().release()).sorted().findFirst();
        if (droppedBy.isPresent()) {
            String upgrade = "upgrade this worker to release " + droppedBy.get() + " or newer";
            return SchemaCheck.failed("schema " + schema + " is newer than release " + release + " supports: the post steps of "
                    + droppedBy.get() + " removed " + names + "; " + upgrade, missing, upgrade);
        }
        String verify = Commands.verify(schema);
        return SchemaCheck.failed("schema " + schema + " has the steps of release " + release + " applied but its functions differ ("
                + names + "): it was changed by hand; see " + verify + ", then restore the functions", missing, verify);
    }

    /** At most this many missing functions are named in a message; the count says how many there are. */
    private static final int NAMED = 3;

    /**
     * Missing contract lines by function name, with the signatures the catalog has instead, if any. Past
     * {@link #NAMED} of them: how many, the first names, and where to see the rest, so the line stays short.
     */
    private static String describe(List<String> missing, Set<String> present, SchemaName schema) {
        if (missing.size() > NAMED) {
            String names = missing.stream().limit(NAMED).map(Contract::functionName).collect(Collectors.joining(", "));
            return missing.size() + " functions missing, e.g. " + names + "; " + Commands.status(schema) + " shows the schema's state";
        }
        List<String> parts = new ArrayList<>();
        for (String line : missing) {
            String name = Contract.functionName(line);
            List<String> variants = present.stream().filter(p -> Contract.functionName(p).equals(name)).sorted().toList();
            parts.add(variants.isEmpty() ? "missing " + line : "different " + line + " (the catalog has " + String.join(" and ", variants) + ")");
        }
        return String.join("; ", parts);
    }

    private static List<String> functions(Connection c, SchemaName schema) throws SQLException {
        List<String> functions = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(FUNCTIONS)) {
            ps.setString(1, schema.value());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) functions.add(rs.getString(1));
            }
        }
        return functions;
    }

    private static boolean exists(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
