package dev.postpone.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Authenticator#hostUser()} trusts only what the host server put in the request, never a header. */
class HostUserAuthenticatorTest {

    @Test
    void the_host_servers_user_is_the_dashboards_user() {
        DashboardRequest request = new DashboardRequest("GET", "/", "/postpone", Map.of(), Map.of(), Map.of(), "127.0.0.1", "ada");
        assertThat(Authenticator.hostUser().authenticate(request)).contains("ada");
    }

    @Test
    void without_a_host_user_the_request_is_refused_whatever_its_headers_say() {
        Map<String, String> forged = Map.of("X-Forwarded-User", "ada", "Remote-User", "ada", "Authorization", "Basic YWRhOmFkYQ==");
        DashboardRequest request = new DashboardRequest("GET", "/", "/postpone", Map.of(), Map.of(), forged, "127.0.0.1");
        assertThat(request.hostUser()).isNull();
        assertThat(Authenticator.hostUser().authenticate(request)).isEmpty();
        assertThat(Authenticator.hostUser().authenticate(
                new DashboardRequest("GET", "/", "", Map.of(), Map.of(), forged, "127.0.0.1", " "))).isEmpty();
    }
}
