package dev.postpone.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.springframework.security.config.Customizer.withDefaults;

import dev.postpone.Postpone;
import dev.postpone.admin.QueuePause;
import dev.postpone.testing.SpringTestDatabases;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The dashboard at postpone.dashboard.path, behind the application's Spring Security, its user the one Spring authenticated. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"postpone.schema.migrate=pre", "postpone.worker.enabled=false", "postpone.dashboard.path=/postpone"})
class DashboardServletTest {

    static final String URL = SpringTestDatabases.create(DashboardServletTest.class).jdbcUrl();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(User.withUsername("ada").password("{noop}lovelace").roles("OPS").build());
        }

        /** The line docs/spring-boot.md asks for: the dashboard's forms carry its own CSRF token, not Spring's. */
        @Bean
        SecurityFilterChain security(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .httpBasic(withDefaults())
                    .csrf(csrf -> csrf.ignoringRequestMatchers("/postpone/**"))
                    .build();
        }
    }

    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    static final String ADA = "Basic " + Base64.getEncoder().encodeToString("ada:lovelace".getBytes(StandardCharsets.UTF_8));

    final HttpClient http = HttpClient.newHttpClient();
    @LocalServerPort int port;
    @Autowired Postpone postpone;

    static HttpResponse<String> send(HttpClient http, HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest get(int port, String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (authorization != null) b.header("Authorization", authorization);
        return b.build();
    }

    static HttpRequest post(int port, String path, String authorization, String form) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    static String csrfToken(String page) {
        Matcher m = CSRF.matcher(page);
        assertThat(m.find()).as("a form with the dashboard's CSRF token").isTrue();
        return m.group(1);
    }

    @Test
    void a_user_spring_security_authenticated_sees_the_overview_with_links_below_the_mount() throws Exception {
        HttpResponse<String> overview = send(http, get(port, "/postpone/", ADA));
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("Overview").contains("ada").contains("href=\"/postpone/jobs");
        assertThat(send(http, get(port, "/postpone/assets/app.css", ADA)).statusCode()).isEqualTo(200);
        assertThat(send(http, get(port, "/postpone", ADA)).body()).contains("Overview");
    }

    @Test
    void without_credentials_the_request_is_refused() throws Exception {
        assertThat(send(http, get(port, "/postpone/", null)).statusCode()).isEqualTo(401);
        assertThat(send(http, get(port, "/postpone/jobs", "Basic " + Base64.getEncoder().encodeToString("ada:wrong".getBytes())))
                .statusCode()).isEqualTo(401);
        HttpRequest forged = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/postpone/"))
                .header("X-Forwarded-User", "ada").header("Remote-User", "ada").build();
        assertThat(send(http, forged).statusCode()).isEqualTo(401);
    }

    @Test
    void an_action_with_the_dashboards_csrf_token_pauses_a_queue() throws Exception {
        String token = csrfToken(send(http, get(port, "/postpone/jobs", ADA)).body());

        HttpResponse<String> paused = send(http, post(port, "/postpone/queues/emails/pause", ADA,
                "confirmed=yes&csrf=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));

        assertThat(paused.statusCode()).isEqualTo(303);
        assertThat(paused.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/postpone"));
        assertThat(postpone.jobs().pausedQueues()).extracting(QueuePause::queue, QueuePause::pausedBy)
                .containsExactly(tuple("emails", "ada (dashboard)"));

        HttpResponse<String> noToken = send(http, post(port, "/postpone/queues/emails/resume", ADA, "confirmed=yes"));
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(postpone.jobs().pausedQueues()).extracting(QueuePause::queue).containsExactly("emails");
    }
}
