package dev.postpone.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The least-privilege model: what {@code postpone schema grant} gives a role, and which roles hold more
 * than that ({@code schema verify}). A granted role reaches the tables only through the contract's
 * functions, which run as their owner (1.1.0/pre/840_function_privileges.sql).
 */
final class RoleGrants {

    /** The one table a client reads directly: the ledger, which SchemaGuard checks at start. */
    static final String LEDGER = "schema_migrations";

    private static final String ROLE_EXISTS = "select 1 from pg_roles where rolname = ?";

    /**
     * Privileges in the schema beyond the client grant, per role: any privilege on a table, view or
     * sequence (except SELECT on the ledger), EXECUTE on a security-definer function outside the contract
     * and {@link RoleAccess#STATUS_FUNCTIONS}.
     * EXECUTE on a security-invoker function (1.0.0's) gives nothing the role's table privileges do not.
     * Inherited privileges count (has_*_privilege); owners of the objects and superusers are left out.
     */
    private static final String EXCESS = """
            with ns as (select oid, nspowner from pg_namespace where nspname = ?),
            roles as (
                select r.oid, r.rolname from pg_roles r, ns
                where not r.rolsuper and r.oid <> ns.nspowner and r.rolname !~ '^pg_'
                  and has_schema_privilege(r.oid, ns.oid, 'USAGE'))
            select roles.rolname, 'table ' || c.relname, string_agg(p.privilege, ', ' order by p.privilege)
            from roles cross join ns
            join pg_class c on c.relnamespace = ns.oid and c.relkind in ('r', 'p', 'v', 'm', 'f') and c.relowner <> roles.oid
            cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p(privilege)
            where has_table_privilege(roles.oid, c.oid, p.privilege)
              and not (c.relname = ? and p.privilege = 'SELECT')
            group by roles.rolname, c.relname
            union all
            select roles.rolname, 'sequence ' || c.relname, string_agg(p.privilege, ', ' order by p.privilege)
            from roles cross join ns
            join pg_class c on c.relnamespace = ns.oid and c.relkind = 'S' and c.relowner <> roles.oid
            cross join unnest(array['USAGE', 'SELECT', 'UPDATE']) p(privilege)
            where has_sequence_privilege(roles.oid, c.oid, p.privilege)
            group by roles.rolname, c.relname
            union all
            select roles.rolname, 'function ' || f.proname || '(' || pg_get_function_identity_arguments(f.oid) || ')', 'EXECUTE'
            from roles cross join ns
            join pg_proc f on f.pronamespace = ns.oid and f.prosecdef and f.proowner <> roles.oid
            where has_function_privilege(roles.oid, f.oid, 'EXECUTE')
              and not (f.proname || '(' || pg_get_function_identity_arguments(f.oid) || ') -> ' || pg_get_function_result(f.oid)) = any (?)
              and not f.proname = any (?)
            order by 1, 2""";

    private RoleGrants() {
    }

    /**
     * Grants {@code role} what {@code access} needs, in one transaction; GRANT is idempotent, so running it
     * again changes nothing. Adds only: privileges the role has beyond it stay, and verify reports them.
     *
     * @return the statements run
     */
    static List<String> grant(Connection c, SchemaName schema, RoleName role, RoleAccess access, Contract contract) throws SQLException {
        if (!exists(c, role)) {
            throw new MigrationException("role " + role + " does not exist in " + DatabaseLocation.of(c) + "; create it first, e.g. "
                    + "create role " + role.quoted() + " login password '...'");
        }
        SchemaCheck check = SchemaGuard.check(c, schema, contract);
        if (!check.ok()) throw new MigrationException("cannot grant on schema " + schema + ": " + check.message());
        List<String> statements = new ArrayList<>();
        statements.add("grant usage on schema " + schema.quoted() + " to " + role.quoted());
        statements.add("grant select on table " + schema.qualify(LEDGER) + " to " + role.quoted());
        for (String line : access.functions(contract)) {
            statements.add("grant execute on function " + schema.qualify(line.substring(0, line.indexOf(" -> "))) + " to " + role.quoted());
        }
        for (String signature : RoleAccess.STATUS_FUNCTIONS) {
            if (PostGuard.functionExists(c, schema, signature)) {
                statements.add("grant execute on function " + schema.qualify(signature) + " to " + role.quoted());
            }
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            for (String sql : statements) st.execute(sql);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return statements;
    }

    /** One line per role that holds more than {@link RoleAccess#CLIENT} gives, naming the objects and the fix. */
    static List<String> excess(Connection c, SchemaName schema, Contract contract) throws SQLException {
        Map<String, List<String>> byRole = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(EXCESS)) {
            ps.setString(1, schema.value());
            ps.setString(2, LEDGER);
            ps.setArray(3, c.createArrayOf("text", contract.functions().toArray()));
            ps.setArray(4, c.createArrayOf("text", RoleAccess.STATUS_FUNCTIONS.stream().map(f -> f.substring(0, f.indexOf('('))).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byRole.computeIfAbsent(rs.getString(1), r -> new ArrayList<>()).add(rs.getString(2) + " (" + rs.getString(3) + ")");
                }
            }
        }
        List<String> lines = new ArrayList<>();
        byRole.forEach((name, objects) -> {
            RoleName role = RoleName.of(name);
            lines.add("role " + role.quoted() + " has more than postpone schema grant gives: " + String.join(", ", objects)
                    + "; revoke what it should not have (e.g. revoke all on all tables in schema " + schema.quoted() + " from "
                    + role.quoted() + "), or check the roles it is a member of, then run " + Commands.grant(schema, role));
        });
        return lines;
    }

    private static boolean exists(Connection c, RoleName role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ROLE_EXISTS)) {
            ps.setString(1, role.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
