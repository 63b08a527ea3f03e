package dev.postpone.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpone.admin.JobStatus;
import dev.postpone.testing.DocSnippets;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** The example application runs against a real database, its logging is quiet, and its page shows its code. */
@ExtendWith(PostgresExtension.class)
class ShopAppTest {

    @Test
    void ordersArePlacedAndTheEmbeddedWorkerSendsTheirReceipts(TestDatabase db) throws Exception {
        try (HikariDataSource dataSource = ShopApp.dataSource(urlWithUser(db))) {
            Map<Long, JobStatus> receipts = ShopApp.run(dataSource, List.of("ada@example.com", "grace@example.com"));

            assertThat(receipts).hasSize(2).allSatisfy((id, status) -> assertThat(status).isEqualTo(JobStatus.SUCCEEDED));
            try (Connection c = dataSource.getConnection();
                 ResultSet rs = c.createStatement().executeQuery("select count(*) from shop_orders")) {
                rs.next();
                assertThat(rs.getLong(1)).as("one order per receipt").isEqualTo(2);
            }
            assertThat(ShopApp.run(dataSource, List.of("ken@example.com")))
                    .as("a second start finds the schema installed and carries on").containsValue(JobStatus.SUCCEEDED);
        }
    }

    @Test
    void logbackXmlKeepsHikariCpsDebugLinesOut() {
        assertThat(LoggerFactory.getLogger("com.zaxxer.hikari.pool.HikariPool").isDebugEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("com.zaxxer.hikari.pool.HikariPool").isInfoEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger(ShopApp.class).isInfoEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger(ShopApp.class).isDebugEnabled()).isFalse();
    }

    @Test
    void theDocsPageShowsTheCompiledCode() throws Exception {
        Path root = DocSnippets.root();
        Path module = root.resolve("example-app");
        List<DocSnippets.Snippet> snippets = DocSnippets.of(root.resolve("docs/example-application.md"),
                module.resolve("src/main/java/dev/postpone/example/ShopApp.java"), module.resolve("pom.xml"),
                module.resolve("src/main/resources/logback.xml"));
        for (DocSnippets.Snippet s : snippets) {
            assertThat(s.inDoc()).as("snippet " + s.name() + " in docs/example-application.md").isEqualTo(s.inSource());
        }
        assertThat(snippets).extracting(DocSnippets.Snippet::name)
                .containsExactlyInAnyOrder("pom", "logback", "imports", "datasource", "schema", "tasks", "transaction", "run");
    }

    /** The test database's URL with its user and password in it, as an application's configuration holds it. */
    private static String urlWithUser(TestDatabase db) {
        String url = db.jdbcUrl();
        if (db.user() != null && !url.contains("user=")) url += (url.contains("?") ? "&" : "?") + "user=" + db.user();
        if (db.password() != null && !url.contains("password=")) url += "&password=" + db.password();
        return url;
    }
}
