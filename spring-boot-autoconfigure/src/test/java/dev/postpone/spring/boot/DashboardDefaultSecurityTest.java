package dev.postpone.spring.boot;

import static dev.postpone.spring.boot.DashboardServletTest.csrfToken;
import static dev.postpone.spring.boot.DashboardServletTest.get;
import static dev.postpone.spring.boot.DashboardServletTest.post;
import static dev.postpone.spring.boot.DashboardServletTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Postpone;
import dev.postpone.testing.SpringTestDatabases;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With spring-boot-starter-security's defaults (no SecurityFilterChain of the application's own), the
 * dashboard's pages work, but Spring Security's CSRF filter refuses the dashboard's actions: it wants its
 * own token. docs/spring-boot.md says to exempt the path, as {@link DashboardServletTest.App} does.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"postpone.schema.migrate=pre", "postpone.worker.enabled=false", "postpone.dashboard.path=/postpone",
                "spring.security.user.name=ada", "spring.security.user.password=lovelace"})
class DashboardDefaultSecurityTest {

    static final String URL = SpringTestDatabases.create(DashboardDefaultSecurityTest.class).jdbcUrl();
    static final String ADA = "Basic " + Base64.getEncoder().encodeToString("ada:lovelace".getBytes(StandardCharsets.UTF_8));

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    final HttpClient http = HttpClient.newHttpClient();
    @LocalServerPort int port;
    @Autowired Postpone postpone;

    @Test
    void pages_work_but_spring_securitys_csrf_filter_refuses_the_dashboards_actions_unless_the_path_is_exempted() throws Exception {
        assertThat(send(http, get(port, "/postpone/", null)).statusCode()).isEqualTo(401);
        HttpResponse<String> jobs = send(http, get(port, "/postpone/jobs", ADA));
        assertThat(jobs.statusCode()).isEqualTo(200);

        HttpResponse<String> pause = send(http, post(port, "/postpone/queues/emails/pause", ADA,
                "confirmed=yes&csrf=" + URLEncoder.encode(csrfToken(jobs.body()), StandardCharsets.UTF_8)));

        assertThat(pause.statusCode()).isEqualTo(403);
        assertThat(postpone.jobs().pausedQueues()).isEmpty();
    }
}
