package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the database address comes from: --database-url, then POSTPONE_DATABASE_URL, then PG*. */
class DatabaseTargetTest {

    @Test
    void optionWinsOverEnvironment() {
        DatabaseTarget t = DatabaseTarget.require("jdbc:postgresql://db1:5433/app",
                Map.of("POSTPONE_DATABASE_URL", "jdbc:postgresql://db2/app", "PGHOST", "db3"));
        assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://db1:5433/app");
        assertThat(t.source()).isEqualTo("--database-url");
        assertThat(t.address()).isEqualTo("db1:5433");
    }

    @Test
    void postponeVariableWinsOverPgVariables() {
        DatabaseTarget t = DatabaseTarget.require(null, Map.of("POSTPONE_DATABASE_URL", "jdbc:postgresql://db2/app", "PGHOST", "db3"));
        assertThat(t.source()).isEqualTo("POSTPONE_DATABASE_URL");
        assertThat(t.address()).isEqualTo("db2:5432");
    }

    @Test
    void pgVariablesAsLibpqReadsThem() {
        DatabaseTarget t = DatabaseTarget.require(null,
                Map.of("PGHOST", "db3", "PGPORT", "6432", "PGUSER", "app", "PGPASSWORD", "secret"));
        assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://db3:6432/app");
        assertThat(t.user()).isEqualTo("app");
        assertThat(t.password()).isEqualTo("secret");
    }

    @Test
    void libpqUrisAreAccepted() {
        DatabaseTarget t = DatabaseTarget.require("postgresql://app:s%40cret@db4:5434/jobs?sslmode=require", Map.of());
        assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://db4:5434/jobs?sslmode=require");
        assertThat(t.user()).isEqualTo("app");
        assertThat(t.password()).isEqualTo("s@cret");
    }

    @Test
    void thePasswordIsTakenOutOfTheUrlWhicheverWayItCame() {
        DatabaseTarget param = DatabaseTarget.require("jdbc:postgresql://db:5432/app?user=app&password=s%26cret&sslmode=require", Map.of());
        assertThat(param.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app?sslmode=require");
        assertThat(param.user()).isEqualTo("app");
        assertThat(param.password()).isEqualTo("s&cret");

        DatabaseTarget userInfo = DatabaseTarget.require("jdbc:postgresql://app:p@ss@db1:5432,db2:5432/app?targetServerType=primary", Map.of());
        assertThat(userInfo.jdbcUrl()).isEqualTo("jdbc:postgresql://db1:5432,db2:5432/app?targetServerType=primary");
        assertThat(userInfo.user()).isEqualTo("app");
        assertThat(userInfo.password()).isEqualTo("p@ss");
        assertThat(userInfo.address()).isEqualTo("db1:5432,db2:5432");

        DatabaseTarget libpq = DatabaseTarget.require("postgresql://db/app?password=only", Map.of());
        assertThat(libpq.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app");
        assertThat(libpq.password()).isEqualTo("only");
    }

    @Test
    void aSessionUrlWithoutCredentialsBorrowsTheMainOnes() {
        DatabaseTarget main = DatabaseTarget.require("jdbc:postgresql://bouncer:6432/app?user=app&password=pw", Map.of());
        DatabaseTarget session = DatabaseTarget.parse("jdbc:postgresql://db:5432/app", "--session-database-url").withCredentialsOf(main);
        assertThat(session.user()).isEqualTo("app");
        assertThat(session.password()).isEqualTo("pw");
        DatabaseTarget own = DatabaseTarget.parse("postgresql://other:x@db/app", "--session-database-url").withCredentialsOf(main);
        assertThat(own.user()).isEqualTo("other");
        assertThat(own.password()).isEqualTo("x");
    }

    @Test
    void aMalformedUrlIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> DatabaseTarget.require("postgresql://app:hunter2 @db/app", Map.of()))
                .isInstanceOf(CliException.class).hasMessageContaining("not a valid URL in --database-url")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void nothingConfiguredSaysWhatToSet() {
        assertThatThrownBy(() -> DatabaseTarget.require(null, Map.of()))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("--database-url").hasMessageContaining("POSTPONE_DATABASE_URL").hasMessageContaining("PGHOST");
        assertThat(DatabaseTarget.resolve(null, Map.of())).isEmpty();
    }

    @Test
    void otherUrlsAreRefused() {
        assertThatThrownBy(() -> DatabaseTarget.require("mysql://db/app", Map.of()))
                .isInstanceOf(CliException.class).hasMessageContaining("not a PostgreSQL URL in --database-url");
    }
}
