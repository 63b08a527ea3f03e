package dev.postpone.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every function from 1.1.0 on runs as its owner with a fixed search_path and is not callable by PUBLIC
 * (1.1.0/pre/840_function_privileges.sql sweeps them). A function a step after the sweep adds without
 * these is named here, so a track that adds functions later learns it from this test.
 */
@ExtendWith(PostgresExtension.class)
class FunctionPrivilegesTest {

    private static final String FUNCTIONS = """
            select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', p.prosecdef,
                   coalesce(array_to_string(p.proconfig, ' | '), ''),
                   coalesce(p.proacl is null or exists (select 1 from aclexplode(p.proacl) a
                                                        where a.grantee = 0 and a.privilege_type = 'EXECUTE'), true)
            from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = ? and p.prokind in ('f', 'p')
            order by 1""";

    @Test
    void everyFunctionAfterTheFirstReleaseRunsAsItsOwnerWithAFixedSearchPath(TestDatabase db) throws Exception {
        SchemaName schema = SchemaName.of("My Queue");
        Migrator.builder(db.dataSource()).schema(schema).build().migrate(MigrationTarget.PRE, Release.current());

        Set<String> firstRelease = firstReleaseFunctions(db);
        assertThat(firstRelease).as("1.0.0's functions, left as they were").contains("defer_jobs_v1(p_queues text[], p_tasks text[],"
                + " p_args jsonb[], p_priorities integer[], p_scheduled_at timestamp with time zone[], p_locks text[],"
                + " p_queueing_locks text[], p_max_attempts integer[])");
        List<String> later = problems(db, schema, firstRelease);
        assertThat(later).as("functions after 1.0.0 without security definer, search_path = schema, pg_temp, or"
                + " callable by PUBLIC").isEmpty();
        assertThat(functions(db, schema)).as("the sweep reached the 1.1.0 functions").hasSizeGreaterThan(firstRelease.size() + 20);
    }

    @Test
    void aFunctionAddedAfterTheSweepWithoutThemIsNamed(TestDatabase db) throws Exception {
        SchemaName schema = SchemaName.of("late");
        MigrationCatalog catalog = Sql.bundledPlus("8.0.0/pre/010_late.sql", """
                -- postpone:phase pre
                create function late_count_v1() returns bigint language sql stable set search_path from current
                as $$ select count(*) from jobs $$;
                """);
        Migrator.builder(db.dataSource()).schema(schema).catalog(catalog).build().migrate();

        assertThat(problems(db, schema, firstReleaseFunctions(db))).singleElement().asString()
                .startsWith("late_count_v1(): ").contains("not security definer").contains("search_path").contains("PUBLIC");
    }

    /** What is wrong with each function of {@code schema} not in {@code exempt}, one line each. */
    private static List<String> problems(TestDatabase db, SchemaName schema, Set<String> exempt) throws SQLException {
        String searchPath = "search_path=" + schema.quoted() + ", pg_temp";
        List<String> problems = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(FUNCTIONS)) {
            ps.setString(1, schema.value());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (exempt.contains(rs.getString(1))) continue;
                    List<String> wrong = new ArrayList<>();
                    if (!rs.getBoolean(2)) wrong.add("not security definer");
                    if (!List.of(rs.getString(3).split(" \\| ")).contains(searchPath)) wrong.add("no " + searchPath + " (has " + rs.getString(3) + ")");
                    if (rs.getBoolean(4)) wrong.add("PUBLIC may execute it");
                    if (!wrong.isEmpty()) problems.add(rs.getString(1) + ": " + String.join(", ", wrong));
                }
            }
        }
        return problems;
    }

    /** The functions release 1.0.0's steps create, installed alone into a schema of their own. */
    private static Set<String> firstReleaseFunctions(TestDatabase db) throws SQLException {
        SchemaName first = SchemaName.of("first_release");
        Release release = Release.parse("1.0.0");
        Migrator.builder(db.dataSource()).schema(first).catalog(MigrationCatalog.of(MigrationCatalog.bundled().upTo(release, Phase.POST)))
                .build().migrate(MigrationTarget.ALL, release);
        return new HashSet<>(functions(db, first));
    }

    private static List<String> functions(TestDatabase db, SchemaName schema) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(FUNCTIONS)) {
            ps.setString(1, schema.value());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) names.add(rs.getString(1));
            }
        }
        return names;
    }
}
