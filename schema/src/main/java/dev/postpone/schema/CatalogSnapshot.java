package dev.postpone.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The objects of one schema as the catalog describes them, one entry per object ({@code "column
 * jobs.queue"} → its position, type, default, nullability), with the schema's own name replaced by
 * {@code @schema} so that snapshots of two schemas built by the same steps are equal.
 *
 * <p>Covers tables (kind, reloptions, comment), columns in order, constraints, indexes (definition
 * and validity), functions ({@code pg_get_functiondef}), triggers, views, sequences and enum labels.
 */
record CatalogSnapshot(SortedMap<String, String> objects) {

    static final String PLACEHOLDER = "@schema";

    CatalogSnapshot {
        objects = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(objects));
    }

    private static final String RELATIONS = """
            select c.relname, c.relkind, coalesce(array_to_string(c.reloptions, ','), ''),
                   coalesce(obj_description(c.oid, 'pg_class'), '')
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = ? and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')""";
    private static final String COLUMNS = """
            select c.relname, a.attname,
                   row_number() over (partition by c.oid order by a.attnum),
                   format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
                   a.attidentity, a.attgenerated, coalesce(co.collname, '')
            from pg_attribute a
            join pg_class c on c.oid = a.attrelid
            join pg_namespace n on n.oid = c.relnamespace
            left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
            left join pg_collation co on co.oid = a.attcollation and a.attcollation <> 100
            where n.nspname = ? and c.relkind in ('r', 'p', 'v', 'm', 'f') and a.attnum > 0 and not a.attisdropped""";
    private static final String CONSTRAINTS = """
            select c.relname, con.conname, pg_get_constraintdef(con.oid), con.convalidated
            from pg_constraint con
            join pg_class c on c.oid = con.conrelid
            join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = ?""";
    private static final String INDEXES = """
            select ci.relname, pg_get_indexdef(i.indexrelid), i.indisvalid
            from pg_index i
            join pg_class ci on ci.oid = i.indexrelid
            join pg_namespace n on n.oid = ci.relnamespace
            where n.nspname = ?""";
    private static final String FUNCTIONS = """
            select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
                   case when p.prokind in ('f', 'p', 'w') then pg_get_functiondef(p.oid) else p.prokind::text end
            from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = ?""";
    private static final String TRIGGERS = """
            select c.relname, t.tgname, pg_get_triggerdef(t.oid)
            from pg_trigger t
            join pg_class c on c.oid = t.tgrelid
            join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = ? and not t.tgisinternal""";
    private static final String VIEWS = """
            select c.relname, pg_get_viewdef(c.oid)
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = ? and c.relkind in ('v', 'm')""";
    private static final String ENUMS = """
            select t.typname, string_agg(e.enumlabel, ', ' order by e.enumsortorder)
            from pg_type t
            join pg_enum e on e.enumtypid = t.oid
            join pg_namespace n on n.oid = t.typnamespace
            where n.nspname = ?
            group by t.typname""";

    /** Reads the snapshot of {@code schema}; leaves the connection's settings as they were. */
    static CatalogSnapshot take(Connection c, SchemaName schema) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            // With only pg_catalog on the path every reference to our objects prints schema-qualified,
            // so one replacement of the qualifier normalises them all.
            try (Statement st = c.createStatement()) {
                st.execute("set local search_path to pg_catalog");
            }
            Normaliser normaliser = new Normaliser(quoteIdent(c, schema), schema.value());
            SortedMap<String, String> objects = new TreeMap<>();
            read(c, RELATIONS, schema, rs -> objects.put(kind(rs.getString(2)) + " " + rs.getString(1),
                    "options [" + rs.getString(3) + "]" + (rs.getString(4).isEmpty() ? "" : ", comment '" + rs.getString(4) + "'")));
            read(c, COLUMNS, schema, rs -> objects.put("column " + rs.getString(1) + "." + rs.getString(2),
                    "#" + rs.getInt(3) + " " + rs.getString(4) + (rs.getBoolean(5) ? " not null" : " null")
                            + (rs.getString(6) == null ? "" : " default " + normaliser.apply(rs.getString(6)))
                            + (rs.getString(7).isEmpty() ? "" : " identity " + rs.getString(7))
                            + (rs.getString(8).isEmpty() ? "" : " generated " + rs.getString(8))
                            + (rs.getString(9).isEmpty() ? "" : " collate " + rs.getString(9))));
            read(c, CONSTRAINTS, schema, rs -> objects.put("constraint " + rs.getString(1) + "." + rs.getString(2),
                    normaliser.apply(rs.getString(3)) + (rs.getBoolean(4) ? "" : " NOT VALID")));
            read(c, INDEXES, schema, rs -> objects.put("index " + rs.getString(1),
                    normaliser.apply(rs.getString(2)) + (rs.getBoolean(3) ? "" : " (INVALID)")));
            read(c, FUNCTIONS, schema, rs -> objects.put("function " + rs.getString(1), normaliser.apply(rs.getString(2))));
            read(c, TRIGGERS, schema, rs -> objects.put("trigger " + rs.getString(1) + "." + rs.getString(2),
                    normaliser.apply(rs.getString(3))));
            read(c, VIEWS, schema, rs -> objects.put("view definition " + rs.getString(1), normaliser.apply(rs.getString(2))));
            read(c, ENUMS, schema, rs -> objects.put("enum " + rs.getString(1), rs.getString(2)));
            c.commit();
            return new CatalogSnapshot(objects);
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** Readable differences, "what this snapshot has" versus {@code expected}; empty when equal. */
    List<String> differencesFrom(CatalogSnapshot expected) {
        List<String> differences = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(objects.keySet());
        keys.addAll(expected.objects.keySet());
        for (String key : keys) {
            String actual = objects.get(key);
            String wanted = expected.objects.get(key);
            if (actual == null) {
                differences.add("missing " + key + ": expected " + wanted);
            } else if (wanted == null) {
                differences.add("unexpected " + key + ": " + actual);
            } else if (!Objects.equals(actual, wanted)) {
                differences.add("different " + key + ":\n  expected: " + wanted + "\n  actual:   " + actual);
            }
        }
        return differences;
    }

    private static String kind(String relkind) {
        return switch (relkind) {
            case "r", "p" -> "table";
            case "v" -> "view";
            case "m" -> "materialized view";
            case "S" -> "sequence";
            case "f" -> "foreign table";
            default -> "relation";
        };
    }

    static String quoteIdent(Connection c, SchemaName schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select quote_ident(?)")) {
            ps.setString(1, schema.value());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private interface RowReader {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void read(Connection c, String sql, SchemaName schema, RowReader reader) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema.value());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) reader.accept(rs);
            }
        }
    }

    /**
     * Replaces the schema's name where the catalog prints it: as the qualifier {@code "Tenant A".jobs},
     * and in {@code SET search_path TO 'Tenant A'}, which {@code set search_path from current} stores.
     * Nothing else is touched, so a literal that merely contains the name (e.g. a channel prefix) stays.
     */
    private record Normaliser(String quotedName, String rawName) {
        String apply(String text) {
            if (text == null) return null;
            return text.replace(quotedName + ".", PLACEHOLDER + ".")
                    .replace("SET search_path TO '" + rawName.replace("'", "''") + "'", "SET search_path TO '" + PLACEHOLDER + "'");
        }
    }
}
