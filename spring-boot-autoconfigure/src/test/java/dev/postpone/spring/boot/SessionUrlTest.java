package dev.postpone.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Task;
import dev.postpone.schema.Migrator;
import dev.postpone.testing.PgBouncer;
import dev.postpone.testing.SpringTestDatabases;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * spring.datasource through a transaction-pooling PgBouncer: the embedded worker polls and registers without
 * a liveness lock, unless postpone.worker.session-url gives it a direct connection, where it listens and
 * holds its lock. A malformed session URL fails the start without showing its password. Port 25708 (track infra).
 */
class SessionUrlTest {

    static final TestDatabase DB = SpringTestDatabases.create(SessionUrlTest.class);
    static PgBouncer bouncer;

    record Receipt(long orderId) {}

    @Configuration
    static class Tasks {
        @Bean Task<Receipt> receipt() {
            return Task.named("session-url-receipt", Receipt.class).action((c, r) -> { });
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, PostponeAutoConfiguration.class,
                    PostponeWorkerAutoConfiguration.class))
            .withUserConfiguration(Tasks.class);

    @BeforeAll
    static void start() {
        Migrator.builder(DB.dataSource()).build().migrate();
        java.net.URI server = java.net.URI.create(DB.jdbcUrl().substring("jdbc:".length()));
        bouncer = PgBouncer.start(25708, server.getPort() < 0 ? 5432 : server.getPort(), PgBouncer.PoolMode.TRANSACTION, 2);
    }

    @AfterAll
    static void stop() {
        if (bouncer != null) bouncer.close();
    }

    @Test
    void withoutASessionUrlThePooledWorkerHoldsNoLivenessLock() {
        runner.withPropertyValues("spring.datasource.url=" + bouncer.jdbcUrl(DB.databaseName()), "postpone.worker.name=pooled-only")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(lockClasses("pooled-only")).containsExactly("null");
                });
    }

    @Test
    void withASessionUrlTheWorkerHoldsItsLivenessLockOnADirectConnection() {
        runner.withPropertyValues("spring.datasource.url=" + bouncer.jdbcUrl(DB.databaseName()), "postpone.worker.name=with-session",
                        "postpone.worker.session-url=" + DB.jdbcUrl())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(lockClasses("with-session")).hasSize(1).doesNotContain("null");
                });
    }

    @Test
    void aMalformedSessionUrlFailsTheStartWithoutItsPassword() {
        runner.withPropertyValues("spring.datasource.url=" + DB.jdbcUrl(),
                        "postpone.worker.session-url=jdbc:postgresql://db:notaport/app?password=hunter2")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable root = context.getStartupFailure();
                    while (root.getCause() != null) root = root.getCause();
                    assertThat(root).hasMessageContaining("postpone.worker.session-url is not a PostgreSQL JDBC URL")
                            .hasMessageNotContaining("hunter2");
                });
    }

    /** The lock class of each registered worker of this name ("null" when it holds no liveness lock). */
    private static List<String> lockClasses(String name) throws Exception {
        try (Connection c = DriverManager.getConnection(DB.jdbcUrl()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select coalesce(lock_class::text, 'null') from postpone.workers where name = '" + name + "'")) {
            List<String> classes = new ArrayList<>();
            while (rs.next()) classes.add(rs.getString(1));
            return classes;
        }
    }
}
