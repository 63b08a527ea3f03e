package dev.postpone.dashboard;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the dashboard sees it, independent of the server that received it: an
 * application adapts its own server's request to this (see {@link DashboardHttpHandler} for the
 * JDK's server).
 *
 * @param method     GET, POST, …
 * @param path       the path below the dashboard's mount point, starting with "/" ("/jobs/42")
 * @param basePath   where the dashboard is mounted ("" at the root, "/postpone" below it): links start with it
 * @param query      decoded query parameters
 * @param form       decoded form fields of an {@code application/x-www-form-urlencoded} body (empty otherwise)
 * @param headers    request headers, names in lower case, first value each
 * @param remoteAddress the client's address, for the action log
 * @param hostUser   the user the host server has already authenticated (a servlet container's
 *                   {@code getRemoteUser()}, the JDK server's {@code HttpExchange.getPrincipal()}), or null;
 *                   never taken from a header, so {@link Authenticator#hostUser()} can trust it
 */
public record DashboardRequest(String method, String path, String basePath, Map<String, List<String>> query,
                               Map<String, List<String>> form, Map<String, String> headers, String remoteAddress,
                               String hostUser) {

    /** A request the host server has not authenticated. */
    public DashboardRequest(String method, String path, String basePath, Map<String, List<String>> query,
                            Map<String, List<String>> form, Map<String, String> headers, String remoteAddress) {
        this(method, path, basePath, query, form, headers, remoteAddress, null);
    }

    public DashboardRequest {
        method = method.toUpperCase(Locale.ROOT);
        path = path == null || path.isEmpty() ? "/" : path;
        basePath = basePath == null || basePath.equals("/") ? "" : stripTrailingSlash(basePath);
        query = Map.copyOf(query);
        form = Map.copyOf(form);
        Map<String, String> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
        headers = Map.copyOf(lower);
        hostUser = hostUser == null || hostUser.isBlank() ? null : hostUser;
    }

    /** A GET of {@code pathAndQuery} ("/jobs?queue=emails"), for tests and adapters. */
    public static DashboardRequest get(String pathAndQuery, Map<String, String> headers) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        return new DashboardRequest("GET", path, "", q < 0 ? Map.of() : parseForm(pathAndQuery.substring(q + 1)), Map.of(),
                headers, "test");
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The first value of a query parameter, or of a form field; null when absent or blank. */
    public String param(String name) {
        List<String> values = params(name);
        for (String v : values) {
            if (v != null && !v.isBlank()) return v.strip();
        }
        return null;
    }

    /** Every value of a parameter: form fields first, then query parameters. */
    public List<String> params(String name) {
        List<String> all = new ArrayList<>(form.getOrDefault(name, List.of()));
        all.addAll(query.getOrDefault(name, List.of()));
        return all;
    }

    /** Decodes {@code a=1&b=x%20y} (a query string or a form body). */
    public static Map<String, List<String>> parseForm(String encoded) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) return fields;
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return fields;
    }

    private static String stripTrailingSlash(String p) {
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
