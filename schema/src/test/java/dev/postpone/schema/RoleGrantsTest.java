package dev.postpone.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code schema grant} gives a role the contract's functions and nothing on the tables, idempotently, under
 * a schema and role names that need quoting; verify names a role that holds more.
 */
@ExtendWith(PostgresExtension.class)
class RoleGrantsTest {

    private static final SchemaName SCHEMA = SchemaName.of("My Queue");
    // Roles belong to the server, not to the test's database: unique names, dropped afterwards.
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final RoleName CLIENT = RoleName.of("app \"worker\" " + SUFFIX);
    private static final RoleName READER = RoleName.of("Dash-board " + SUFFIX);
    private static final RoleName WIDE = RoleName.of("wide'role " + SUFFIX);

    @BeforeAll
    static void migrateAndCreateRoles(TestDatabase db) throws Exception {
        Migrator.builder(db.dataSource()).schema(SCHEMA).build().migrate(MigrationTarget.PRE, Release.current());
        for (RoleName role : new RoleName[] {CLIENT, READER, WIDE}) Sql.execute(db, "create role " + role.quoted() + " login");
    }

    @AfterAll
    static void dropRoles(TestDatabase db) throws Exception {
        for (RoleName role : new RoleName[] {CLIENT, READER, WIDE}) {
            Sql.execute(db, "drop owned by " + role.quoted());
            Sql.execute(db, "drop role " + role.quoted());
        }
    }

    @Test
    void aGrantedRoleCallsTheContractButCannotTouchTheTables(TestDatabase db) throws Exception {
        Migrator migrator = Migrator.builder(db.dataSource()).schema(SCHEMA).build();
        migrator.grant(CLIENT, RoleAccess.CLIENT);
        migrator.grant(CLIENT, RoleAccess.CLIENT); // idempotent

        TestDatabase asClient = db.as(CLIENT.value());
        assertThat(SchemaGuard.check(asClient.dataSource(), SCHEMA, Contract.current()).ok()).as("its start-up check").isTrue();
        Object id = Sql.value(asClient, "select id from \"My Queue\".defer_jobs_v2('[{\"queue\": \"q\", \"task\": \"t\"}]', null)");
        assertThat(id).isNotNull();
        assertThat(Sql.value(asClient, "select status from \"My Queue\".get_job_v2(jsonb_build_object('id', ?::bigint))", id))
                .isEqualTo("todo");
        assertRefused(asClient, "select * from \"My Queue\".jobs");
        assertRefused(asClient, "update \"My Queue\".jobs set status = 'cancelled'");
        assertRefused(asClient, "select \"My Queue\".defer_jobs_v1(array['q'], array['t'], null, null, null, null, null, null)");
        assertRefused(asClient, "select \"My Queue\".worker_lock_key_v1(1)");

        assertThat(migrator.verify().excessPrivileges()).as("a granted role holds nothing more").isEmpty();
    }

    @Test
    void aReadOnlyRoleListsButCannotChange(TestDatabase db) throws Exception {
        Migrator.builder(db.dataSource()).schema(SCHEMA).build().grant(READER, RoleAccess.READ_ONLY);
        TestDatabase asReader = db.as(READER.value());
        assertThat(Sql.column(asReader, "select id from \"My Queue\".list_jobs_v3('{}')")).isNotNull();
        assertThat(Sql.value(asReader, "select count(*) from \"My Queue\".queue_counts_v2('{}', null)")).isNotNull();
        assertThat(Migrator.builder(asReader.dataSource()).schema(SCHEMA).build().status().liveWorkers())
                .as("schema status reads live workers through live_workers_v1").isEmpty();
        assertRefused(asReader, "select * from \"My Queue\".cancel_jobs_v2('{\"ids\": [1]}', null, now())");
        assertRefused(asReader, "select * from \"My Queue\".defer_jobs_v2('[{\"queue\": \"q\", \"task\": \"t\"}]', null)");
    }

    @Test
    void verifyNamesARoleWithPrivilegesOnTheTables(TestDatabase db) throws Exception {
        Migrator migrator = Migrator.builder(db.dataSource()).schema(SCHEMA).build();
        migrator.grant(WIDE, RoleAccess.CLIENT);
        Sql.execute(db, "grant select, update on \"My Queue\".jobs to " + WIDE.quoted());
        Sql.execute(db, "grant execute on function \"My Queue\".matching_jobs_v1(jsonb, text[]) to " + WIDE.quoted());

        VerifyReport report = migrator.verify();
        assertThat(report.ok()).isFalse();
        assertThat(report.excessPrivileges()).singleElement().asString()
                .startsWith("role \"wide'role " + SUFFIX + "\" has more than postpone schema grant gives")
                .contains("table jobs (SELECT, UPDATE)").contains("function matching_jobs_v1(p_filter jsonb, p_statuses text[]) (EXECUTE)")
                .contains("postpone schema grant --role 'wide'\\''role " + SUFFIX + "' --schema 'My Queue'");
        Sql.execute(db, "revoke all on all tables in schema \"My Queue\" from " + WIDE.quoted());
        Sql.execute(db, "revoke all on function \"My Queue\".matching_jobs_v1(jsonb, text[]) from " + WIDE.quoted());
        assertThat(migrator.verify().excessPrivileges()).isEmpty();
    }

    @Test
    void grantingToAMissingRoleSaysHowToCreateIt(TestDatabase db) {
        assertThatThrownBy(() -> Migrator.builder(db.dataSource()).schema(SCHEMA).build().grant(RoleName.of("no such " + SUFFIX), RoleAccess.CLIENT))
                .hasMessageContaining("role no such " + SUFFIX + " does not exist").hasMessageContaining("create role \"no such " + SUFFIX + "\" login");
    }

    private static void assertRefused(TestDatabase as, String sql) {
        assertThatThrownBy(() -> {
            try (Connection c = as.connect(); Statement st = c.createStatement()) {
                st.execute(sql);
            }
        }).as(sql).isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
    }
}
