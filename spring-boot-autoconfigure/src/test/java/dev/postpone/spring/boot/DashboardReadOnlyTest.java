package dev.postpone.spring.boot;

import static dev.postpone.spring.boot.DashboardServletTest.ADA;
import static dev.postpone.spring.boot.DashboardServletTest.get;
import static dev.postpone.spring.boot.DashboardServletTest.post;
import static dev.postpone.spring.boot.DashboardServletTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Postpone;
import dev.postpone.testing.SpringTestDatabases;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** postpone.dashboard.read-only: pages without actions, and a posted action refused by the dashboard itself. */
@SpringBootTest(classes = DashboardServletTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"postpone.schema.migrate=pre", "postpone.worker.enabled=false", "postpone.dashboard.path=/postpone",
                "postpone.dashboard.read-only=true"})
class DashboardReadOnlyTest {

    static final String URL = SpringTestDatabases.create(DashboardReadOnlyTest.class).jdbcUrl();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL);
    }

    final HttpClient http = HttpClient.newHttpClient();
    @LocalServerPort int port;
    @Autowired Postpone postpone;

    @Test
    void a_read_only_dashboard_shows_pages_and_refuses_actions() throws Exception {
        HttpResponse<String> overview = send(http, get(port, "/postpone/", ADA));
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("Overview").doesNotContain("name=\"csrf\"");

        HttpResponse<String> pause = send(http, post(port, "/postpone/queues/emails/pause", ADA, "confirmed=yes&csrf=x"));

        assertThat(pause.statusCode()).isEqualTo(403);
        assertThat(pause.body()).contains("read-only");
        assertThat(postpone.jobs().pausedQueues()).isEmpty();
    }
}
