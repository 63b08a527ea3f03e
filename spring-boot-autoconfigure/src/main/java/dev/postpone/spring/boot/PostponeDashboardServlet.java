package dev.postpone.spring.boot;

import dev.postpone.dashboard.Dashboard;
import dev.postpone.dashboard.DashboardRequest;
import dev.postpone.dashboard.DashboardResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves a {@link Dashboard} mounted at {@code <mountPath>/*}: adapts the servlet request to a
 * {@link DashboardRequest} (its user is the one the application authenticated, {@code getRemoteUser()})
 * and the {@link DashboardResponse} back, as {@code DashboardHttpHandler} does for the JDK's server.
 */
public class PostponeDashboardServlet extends HttpServlet {

    /** Form bodies are small (a few ids and filter fields); anything larger is refused, as by the JDK adapter. */
    static final int MAX_FORM_BYTES = 256 * 1024;

    private final transient Dashboard dashboard;
    private final String mountPath;

    public PostponeDashboardServlet(Dashboard dashboard, String mountPath) {
        this.dashboard = dashboard;
        this.mountPath = normalize(mountPath);
    }

    /** "/postpone/" and "postpone" become "/postpone"; "/" becomes "". */
    static String normalize(String mountPath) {
        String m = mountPath == null ? "" : mountPath.strip();
        if (!m.isEmpty() && !m.startsWith("/")) m = "/" + m;
        while (m.endsWith("/")) m = m.substring(0, m.length() - 1);
        return m;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            String value = req.getHeader(name);
            if (value != null) headers.putIfAbsent(name, value);
        }
        Map<String, List<String>> query = DashboardRequest.parseForm(req.getQueryString());
        Map<String, List<String>> form = Map.of();
        String type = req.getContentType() == null ? "" : req.getContentType();
        if (req.getMethod().equalsIgnoreCase("POST") && type.startsWith("application/x-www-form-urlencoded")) {
            byte[] body = readAtMost(req.getInputStream(), MAX_FORM_BYTES);
            if (body == null) {
                resp.sendError(413, "form too large");
                return;
            }
            form = body.length > 0 || req.getContentLengthLong() == 0 ? DashboardRequest.parseForm(new String(body, StandardCharsets.UTF_8))
                    : formReadByAFilter(req, query);
        }
        DashboardRequest request = new DashboardRequest(req.getMethod(), req.getPathInfo(), req.getContextPath() + mountPath,
                query, form, headers, req.getRemoteAddr(), user(req));
        send(req, resp, dashboard.handle(request));
    }

    /** The user the application authenticated (Spring Security sets both, and neither for an anonymous user). */
    private static String user(HttpServletRequest req) {
        if (req.getRemoteUser() != null) return req.getRemoteUser();
        Principal principal = req.getUserPrincipal();
        return principal == null ? null : principal.getName();
    }

    /**
     * A filter that called {@code getParameter} has consumed the body already: the container's
     * parameters are the query's values followed by the form's, so the form's are what remains.
     */
    private static Map<String, List<String>> formReadByAFilter(HttpServletRequest req, Map<String, List<String>> query) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        req.getParameterMap().forEach((name, values) -> {
            List<String> rest = new ArrayList<>(Arrays.asList(values));
            for (String q : query.getOrDefault(name, List.of())) rest.remove(q);
            if (!rest.isEmpty()) form.put(name, rest);
        });
        return form;
    }

    private static byte[] readAtMost(InputStream in, int max) throws IOException {
        byte[] body = in.readNBytes(max + 1);
        return body.length > max ? null : body;
    }

    private static void send(HttpServletRequest req, HttpServletResponse resp, DashboardResponse response) throws IOException {
        resp.setStatus(response.status());
        response.headers().forEach(resp::setHeader);
        resp.setContentLength(response.body().length);
        if (!req.getMethod().equalsIgnoreCase("HEAD") && response.body().length > 0) {
            resp.getOutputStream().write(response.body());
        }
    }
}
