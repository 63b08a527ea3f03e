package dev.postpone.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Serves a {@link Dashboard} on the JDK's {@code com.sun.net.httpserver} at a context path. */
public final class DashboardHttpHandler implements HttpHandler {

    /** Form bodies are small (a few ids and filter fields); anything larger is refused. */
    static final int MAX_FORM_BYTES = 256 * 1024;

    private final Dashboard dashboard;
    private final String mountPath;

    public DashboardHttpHandler(Dashboard dashboard, String mountPath) {
        this.dashboard = dashboard;
        String m = mountPath == null ? "" : mountPath.strip();
        this.mountPath = m.equals("/") ? "" : m.endsWith("/") ? m.substring(0, m.length() - 1) : m;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String rawPath = exchange.getRequestURI().getPath();
            String path = rawPath.startsWith(mountPath) ? rawPath.substring(mountPath.length()) : rawPath;
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> {
                if (!v.isEmpty()) headers.put(k, v.getFirst());
            });
            Map<String, List<String>> form = Map.of();
            String type = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("content-type"))
                    .map(Map.Entry::getValue).findFirst().orElse("");
            if (exchange.getRequestMethod().equalsIgnoreCase("POST") && type.startsWith("application/x-www-form-urlencoded")) {
                byte[] body = readAtMost(exchange.getRequestBody(), MAX_FORM_BYTES);
                if (body == null) {
                    send(exchange, Pages.plain(413, "form too large", Map.of()));
                    return;
                }
                form = DashboardRequest.parseForm(new String(body, StandardCharsets.UTF_8));
            }
            DashboardRequest request = new DashboardRequest(exchange.getRequestMethod(), path, mountPath,
                    DashboardRequest.parseForm(exchange.getRequestURI().getRawQuery()), form, headers,
                    exchange.getRemoteAddress().getAddress().getHostAddress(),
                    exchange.getPrincipal() == null ? null : exchange.getPrincipal().getUsername());
            send(exchange, dashboard.handle(request));
        }
    }

    private static byte[] readAtMost(InputStream in, int max) throws IOException {
        byte[] body = in.readNBytes(max + 1);
        return body.length > max ? null : body;
    }

    private static void send(HttpExchange exchange, DashboardResponse response) throws IOException {
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(response.status(), head ? -1 : response.body().length == 0 ? -1 : response.body().length);
        if (!head && response.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }
}
