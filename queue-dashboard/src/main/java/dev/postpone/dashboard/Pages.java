package dev.postpone.dashboard;

import dev.postpone.admin.Job;
import dev.postpone.admin.JobStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** The page frame (header, navigation, live updates) and the small pieces every page uses. */
final class Pages {

    static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final String[][] NAV = {
            {"/", "Overview"}, {"/jobs", "Jobs"}, {"/workers", "Workers"}, {"/periodic", "Periodic"}, {"/schema", "Schema"}};
    private static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                    + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "same-origin",
            "Cache-Control", "no-store");

    private Pages() {
    }

    /** A full page, or only its main part when the live update asks for {@code fragment=main}. */
    static DashboardResponse page(Dashboard.View v, String active, String title, Consumer<Html> main) {
        return page(v, 200, active, title, main);
    }

    static DashboardResponse page(Dashboard.View v, int status, String active, String title, Consumer<Html> main) {
        Html h = new Html();
        if (v.fragment()) {
            main.accept(h);
            return DashboardResponse.of(status, "text/html; charset=utf-8", h.toString(), SECURITY_HEADERS);
        }
        h.raw("<!DOCTYPE html>").open("html", "lang", "en").open("head")
                .raw("<meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .el("title", title + " · Postpone")
                .open("link", "rel", "stylesheet", "href", v.url("/assets/app.css"))
                .open("link", "rel", "icon", "href", "data:,")
                .open("script", "src", v.url("/assets/app.js"), "defer", "defer").close("script")
                .close("head").open("body");
        h.open("header", "class", "top").open("a", "class", "brand", "href", v.url("/")).text("Postpone").close("a").open("nav");
        for (String[] item : NAV) {
            boolean on = item[1].equals(active);
            h.link(v.url(item[0]), item[1], "class", on ? "on" : null, "aria-current", on ? "page" : null);
        }
        h.close("nav").open("div", "class", "meta");
        if (!v.database().isEmpty()) h.el("span", v.database(), "class", "db", "title", "database");
        if (v.readOnly()) h.el("span", "read-only", "class", "badge ro", "title", "actions are disabled");
        h.el("span", v.user(), "class", "user", "title", "signed in as");
        h.open("label", "class", "live").open("input", "type", "checkbox", "id", "live", "checked", "checked").text(" live").close("label");
        h.close("div").close("header");
        h.open("main", "id", "main", "data-live", "5000");
        notice(h, v);
        main.accept(h);
        h.close("main").close("body").close("html");
        return DashboardResponse.of(status, "text/html; charset=utf-8", h.toString(), SECURITY_HEADERS);
    }

    private static void notice(Html h, Dashboard.View v) {
        String notice = v.request().query().getOrDefault("notice", List.of()).stream().findFirst().orElse(null);
        if (notice != null && !notice.isBlank()) h.el("p", notice, "class", "notice", "role", "status");
    }

    static DashboardResponse plain(int status, String text, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(SECURITY_HEADERS);
        all.putAll(headers);
        return DashboardResponse.of(status, "text/plain; charset=utf-8", text + "\n", all);
    }

    static DashboardResponse error(Dashboard.View v, int status, String title, String message) {
        return page(v, status, "", title, h -> h.el("h1", title).el("p", message, "class", "error-message"));
    }

    /** A status badge; a waiting job due later reads "scheduled". */
    static void status(Html h, Job job, Instant now) {
        boolean later = job.status() == JobStatus.TODO && job.scheduledAt() != null && job.scheduledAt().isAfter(now);
        status(h, later ? "scheduled" : job.status().label());
        if (job.stopRequested()) {
            h.text(" ");
            h.el("span", "stop requested", "class", "badge stop", "title", "asked by " + job.abortRequest().requestedBy() + " at "
                    + UTC.format(job.abortRequest().requestedAt()) + "; it ends cancelled unless it finishes first");
        }
    }

    static void status(Html h, String label) {
        h.el("span", label, "class", "badge s-" + label);
    }

    /** "3 min ago" / "in 2 h", with the exact UTC time on hover. */
    static void ago(Html h, Instant t, Instant now) {
        if (t == null) {
            h.el("span", "—", "class", "muted");
            return;
        }
        h.el("time", relative(t, now), "datetime", t.toString(), "title", UTC.format(t));
    }

    static String relative(Instant t, Instant now) {
        Duration d = Duration.between(t, now);
        // The database's clock and this JVM's differ by a little: a moment ago is not "in 1 ms".
        if (d.abs().toMillis() < 1000) return "just now";
        boolean future = d.isNegative();
        String span = span(d.abs());
        return future ? "in " + span : span + " ago";
    }

    static String span(Duration d) {
        long s = d.toSeconds();
        if (s < 1) return d.toMillis() + " ms";
        if (s < 60) return s + " s";
        if (s < 3600) return s / 60 + " min";
        if (s < 86400 * 2) return s / 3600 + " h " + (s % 3600) / 60 + " min";
        return s / 86400 + " d";
    }

    static String millis(Double ms) {
        if (ms == null) return "—";
        if (ms < 1000) return Math.round(ms) + " ms";
        if (ms < 60_000) return String.format(Locale.ROOT, "%.1f s", ms / 1000);
        return span(Duration.ofMillis(Math.round(ms)));
    }

    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A query string from name, value pairs, leaving out null values: "?a=1&b=x". */
    static String query(List<String[]> pairs) {
        StringBuilder q = new StringBuilder();
        for (String[] p : pairs) {
            if (p[1] == null || p[1].isEmpty()) continue;
            q.append(q.isEmpty() ? '?' : '&').append(enc(p[0])).append('=').append(enc(p[1]));
        }
        return q.toString();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * A one-button form posting an action, with its CSRF token. {@code confirm} is asked in the browser
     * (the server asks again on a page of its own when the browser did not: no action runs unconfirmed).
     */
    static void actionButton(Html h, Dashboard.View v, String path, String label, String confirm, String cls,
                             Map<String, String> fields) {
        if (v.readOnly()) return;
        h.open("form", "method", "post", "action", v.url(path), "class", "inline", "data-confirm", confirm);
        hidden(h, CsrfTokens.FIELD, v.csrfToken());
        hidden(h, "return", v.request().path() + Pages.query(currentQuery(v)));
        fields.forEach((k, val) -> hidden(h, k, val));
        h.el("button", label, "type", "submit", "class", "btn " + cls);
        h.close("form");
    }

    static void hidden(Html h, String name, String value) {
        h.open("input", "type", "hidden", "name", name, "value", value);
    }

    /** The request's own query parameters (except notices and fragments), to come back to the same view. */
    static List<String[]> currentQuery(Dashboard.View v) {
        return v.request().query().entrySet().stream()
                .filter(e -> !e.getKey().equals("notice") && !e.getKey().equals("fragment"))
                .flatMap(e -> e.getValue().stream().map(val -> new String[] {e.getKey(), val}))
                .toList();
    }

    static String truncate(String s, int max) {
        if (s == null) return "";
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
