package dev.postpone.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the dashboard answers: status, headers (including Content-Type) and body. */
public record DashboardResponse(int status, Map<String, String> headers, byte[] body) {

    public DashboardResponse {
        headers = Map.copyOf(headers);
    }

    static DashboardResponse of(int status, String contentType, String body, Map<String, String> extraHeaders) {
        Map<String, String> h = new LinkedHashMap<>(extraHeaders);
        h.put("Content-Type", contentType);
        return new DashboardResponse(status, h, body.getBytes(StandardCharsets.UTF_8));
    }

    static DashboardResponse redirect(String location) {
        return new DashboardResponse(303, Map.of("Location", location, "Content-Type", "text/plain; charset=utf-8"),
                ("see " + location).getBytes(StandardCharsets.UTF_8));
    }

    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
