package dev.postpone.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Checks, by catalog, that no step changes what an earlier release created: each function, view,
 * index, constraint, trigger and column a release R created stays byte-identical after every later
 * step, and may only disappear in a later release's post step. Within its own release an object may
 * still change (add a CHECK {@code not valid} in pre, validate it in post). It applies the steps one
 * at a time into {@code schema} and compares catalog snapshots, so it judges what the SQL does, not
 * which words it uses.
 */
final class ReleasedObjects {

    /** Object kinds an older release's code depends on. Table options and comments may change. */
    private static final List<String> CHECKED = List.of("function ", "view definition ", "index ", "constraint ", "trigger ", "column ");

    private ReleasedObjects() {
    }

    /** Every breach, one line each naming the step, the object and the release that created it; empty when none. */
    static List<String> problems(DataSource dataSource, SchemaName schema, MigrationCatalog catalog) throws SQLException {
        List<MigrationStep> steps = catalog.steps();
        Map<String, Release> createdBy = new HashMap<>();
        Map<String, String> released = new HashMap<>();
        SortedMap<String, String> before = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            MigrationStep step = steps.get(i);
            Migrator.builder(dataSource).schema(schema).catalog(MigrationCatalog.of(steps.subList(0, i + 1))).build().migrate();
            SortedMap<String, String> after = checkedObjects(dataSource, schema);
            for (var tracked : new ArrayList<>(released.entrySet())) {
                String key = tracked.getKey();
                Release owner = createdBy.get(key);
                if (!owner.isBefore(step.release())) continue;
                String now = after.get(key);
                if (now == null) {
                    if (step.phase() == Phase.PRE) {
                        problems.add("pre step " + step.displayName() + " drops " + key + ", created by release " + owner
                                + " (old workers still use it; drop it in a post step)");
                    }
                    released.remove(key);
                } else if (!now.equals(tracked.getValue())) {
                    problems.add("step " + step.displayName() + " changes " + key + ", created by release " + owner
                            + " (released objects never change; add a new version instead):\n  was: " + tracked.getValue()
                            + "\n  now: " + now);
                }
            }
            for (var entry : after.entrySet()) {
                if (!before.containsKey(entry.getKey())) createdBy.putIfAbsent(entry.getKey(), step.release());
            }
            boolean releaseEnds = i + 1 == steps.size() || !steps.get(i + 1).release().equals(step.release());
            if (releaseEnds) {
                // The objects of a release are fixed as its last step leaves them.
                after.forEach((key, definition) -> {
                    if (step.release().equals(createdBy.get(key))) released.put(key, definition);
                });
            }
            before = after;
        }
        return problems;
    }

    private static SortedMap<String, String> checkedObjects(DataSource dataSource, SchemaName schema) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            SortedMap<String, String> objects = new TreeMap<>();
            CatalogSnapshot.take(c, schema).objects().forEach((key, definition) -> {
                if (CHECKED.stream().anyMatch(key::startsWith)) {
                    // A column's position shifts when a post step drops an earlier column; that is no change to it.
                    objects.put(key, key.startsWith("column ") ? definition.replaceFirst("^#\\d+ ", "") : definition);
                }
            });
            return objects;
        }
    }
}
