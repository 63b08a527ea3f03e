package dev.postpone.dashboard;

import dev.postpone.admin.ChangedJob;
import dev.postpone.admin.JobAction;
import dev.postpone.admin.JobAdmin;
import dev.postpone.admin.JobSelection;
import dev.postpone.admin.JobStatus;
import dev.postpone.admin.JobWindow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The actions: each confirmed (by the browser, or else by a page of its own: nothing runs without
 * {@code confirmed=yes}), logged with who did it, then answered with a redirect back and a notice.
 */
final class Actions {

    private final JobAdmin admin;
    private final QueuePauses pauses;
    private final SecretFields secrets;
    private final Dashboard.View v;

    Actions(JobAdmin admin, QueuePauses pauses, SecretFields secrets, Dashboard.View v) {
        this.admin = admin;
        this.pauses = pauses;
        this.secrets = secrets;
        this.v = v;
    }

    private boolean confirmed() {
        return "yes".equals(v.request().param("confirmed"));
    }

    DashboardResponse onJob(long id, String verb) {
        JobAction action = JobAction.valueOf(verb.toUpperCase(Locale.ROOT));
        Optional<dev.postpone.admin.Job> job = admin.get(id);
        if (job.isEmpty()) return back("Job " + id + " does not exist (any more).");
        String name = "job " + id + " (" + job.get().task() + ", " + job.get().status().label() + ")";
        if (!confirmed()) {
            String question = action == JobAction.CANCEL && job.get().status() == JobStatus.DOING
                    ? "Its worker interrupts it and it ends cancelled, unless it finishes first." : question(action, 1);
            return confirm(JobsPage.verb(action) + " " + name + "?", question, Map.of());
        }
        String result;
        switch (action) {
            case RETRY -> result = admin.retry(id).map(s -> s == JobStatus.TODO ? "Retried job " + id + ": waiting again."
                    : "Job " + id + " is " + s.label() + ": only failed or cancelled jobs can be retried.").orElse("Job " + id + " no longer exists.");
            case CANCEL -> {
                List<ChangedJob> changed = admin.cancel(JobSelection.ids(id), v.user() + " (dashboard)");
                result = !changed.isEmpty() ? (changed.getFirst().status() == JobStatus.DOING
                        ? "Asked the worker running job " + id + " to stop it: it ends cancelled, unless it finishes first."
                        : "Cancelled job " + id + ".")
                        : admin.get(id).map(j -> "Job " + id + " is " + j.status().label() + ": only waiting or running jobs can be cancelled.")
                                .orElse("Job " + id + " no longer exists.");
            }
            case DELETE -> {
                List<ChangedJob> deleted = admin.delete(JobSelection.ids(id));
                result = deleted.isEmpty() ? "Job " + id + " was not deleted: a running job cannot be." : "Deleted job " + id + ".";
                log(action, "job " + id, deleted.size());
                return redirect(deleted.isEmpty() ? "/jobs/" + id : "/jobs", result);
            }
            default -> throw new IllegalStateException("unreachable");
        }
        log(action, "job " + id, result);
        return back(result);
    }

    DashboardResponse bulk() {
        String[] parts = Optional.ofNullable(v.request().param("action")).orElse("").split(":");
        if (parts.length != 2) throw new IllegalArgumentException("bulk action must be like retry:selected or retry:filter");
        JobAction action = JobAction.valueOf(parts[0].toUpperCase(Locale.ROOT));
        boolean byFilter = parts[1].equals("filter");
        JobSelection selection;
        String what;
        Map<String, String> carry = new LinkedHashMap<>();
        String window = null;
        boolean limited = false;
        if (byFilter) {
            JobsFilter filter = JobsFilter.of(filterRequest());
            // The list leaves out jobs whose text matches only inside a secret (JobsPage); the database does so here.
            selection = filter.search(v.now(), JobsPage.PAGE).asSelection().secretFields(secrets.postgresPattern());
            what = "every job matching: " + filter.describe();
            v.request().form().forEach((k, vals) -> {
                if (k.startsWith("f.") && !vals.isEmpty()) carry.put(k, vals.getFirst());
            });
            // Statuses can repeat; carry them all.
            List<String> statuses = v.request().form().getOrDefault("f.status", List.of());
            for (int i = 0; i < statuses.size(); i++) carry.put("f.status#" + i, statuses.get(i));
            carry.remove("f.status");
            if (selection.hasTextOrTime()) {
                // Text and time are read job by job: count and change the newest ids only, the same ids at the
                // confirmation and after it (jobs deferred meanwhile are not touched).
                long scanned = selection.text() != null ? JobsPage.BULK_TEXT_WINDOW : JobsPage.BULK_WINDOW;
                Long from = longParam("window.from");
                Long to = longParam("window.to");
                // The confirmed window comes back with the form; never wider than one window, whatever is posted.
                JobWindow w = from != null && to != null
                        ? new JobWindow(selection.idsBetween(Math.max(from, to - scanned), to), !"no".equals(v.request().param("window.whole")))
                        : admin.newest(selection, scanned);
                selection = w.selection().limit(JobsPage.BULK_LIMIT);
                carry.put("window.from", selection.idFrom().toString());
                carry.put("window.to", selection.idTo().toString());
                carry.put("window.whole", w.whole() ? "yes" : "no");
                if (!w.whole()) {
                    window = " Only the newest " + Pages.number(scanned) + " job ids the filter can match are looked at (ids "
                            + selection.idFrom() + " to " + (selection.idTo() - 1) + "); to reach older jobs, narrow the time range.";
                }
                limited = true;
            }
        } else {
            List<Long> ids = new ArrayList<>();
            for (String s : v.request().form().getOrDefault("id", List.of())) {
                try {
                    ids.add(Long.parseLong(s));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a job id: " + s);
                }
            }
            if (ids.isEmpty()) return back("Select some jobs first.");
            selection = JobSelection.ids(ids);
            what = ids.size() == 1 ? "job " + ids.getFirst() : ids.size() + " selected jobs";
            for (int i = 0; i < ids.size(); i++) carry.put("id#" + i, ids.get(i).toString());
        }
        JobSelection restricted;
        try {
            restricted = action.restrict(selection);
        } catch (IllegalArgumentException e) {
            return back("Nothing done: " + e.getMessage() + ".");
        }
        if (!confirmed()) {
            long n = admin.count(restricted);
            if (limited && n >= JobsPage.BULK_LIMIT) {
                window = (window == null ? "" : window) + " At most the newest " + Pages.number(JobsPage.BULK_LIMIT)
                        + " change at once: run it again for the rest.";
            }
            carry.put("action", v.request().param("action"));
            String applies = String.join(", ", restricted.statuses().stream().map(JobStatus::label).sorted().toList());
            return confirm(JobsPage.verb(action) + " " + Pages.number(n) + (n == 1 ? " job" : " jobs") + "?",
                    "Of " + what + ", " + Pages.number(n) + " " + (n == 1 ? "is" : "are") + " " + applies + ": "
                            + question(action, n) + (window == null ? "" : window), carry);
        }
        List<ChangedJob> changed = switch (action) {
            case RETRY -> admin.retry(restricted, null);
            case CANCEL -> admin.cancel(restricted, v.user() + " (dashboard)");
            case DELETE -> admin.delete(restricted);
        };
        log(action, what, changed.size());
        long stopping = changed.stream().filter(c -> c.status() == JobStatus.DOING).count();
        String done = switch (action) {
            case RETRY -> "Retried " + jobs(changed.size()) + ".";
            case CANCEL -> {
                String stop = "the workers running " + jobs(stopping) + " to stop " + (stopping == 1 ? "it: it ends" : "them: they end")
                        + " cancelled, unless " + (stopping == 1 ? "it finishes" : "they finish") + " first.";
                long cancelled = changed.size() - stopping;
                yield stopping == 0 ? "Cancelled " + jobs(cancelled) + "."
                        : cancelled == 0 ? "Asked " + stop : "Cancelled " + jobs(cancelled) + " and asked " + stop;
            }
            case DELETE -> "Deleted " + jobs(changed.size()) + ".";
        };
        return back(done);
    }

    private static String jobs(long n) {
        return Pages.number(n) + (n == 1 ? " job" : " jobs");
    }

    private Long longParam(String name) {
        String s = v.request().param(name);
        if (s == null) return null;
        try {
            return Long.valueOf(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + name + "' must be a job id, not '" + s + "'");
        }
    }

    DashboardResponse onQueue(String queue, String verb) {
        if (!confirmed()) {
            return confirm((verb.equals("pause") ? "Pause" : "Resume") + " queue " + queue + "?", verb.equals("pause")
                    ? "Workers stop fetching its jobs until it is resumed; running jobs finish; deferring still works."
                    : "Workers start fetching its jobs again.", Map.of());
        }
        String result;
        if (verb.equals("pause")) {
            pauses.pause(queue, v.user() + " (dashboard)");
            result = "Paused queue " + queue + ".";
        } else {
            result = pauses.resume(queue) ? "Resumed queue " + queue + "." : "Queue " + queue + " was not paused.";
        }
        log(null, "queue " + queue + " " + verb, result);
        return back(result);
    }

    private static String question(JobAction action, long n) {
        String them = n == 1 ? "it" : "they";
        return switch (action) {
            case RETRY -> them + " will wait again, with one more attempt allowed.";
            case CANCEL -> n == 1 ? "waiting, it will not run; running, its worker stops it (unless it finishes first)."
                    : "waiting ones will not run; running ones are stopped by their workers (unless they finish first).";
            case DELETE -> them + " will be removed for good.";
        };
    }

    /** The form fields of a bulk-over-filter request ("f.queue", …), as a request the Jobs filter can read. */
    private DashboardRequest filterRequest() {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        v.request().form().forEach((k, vals) -> {
            if (k.startsWith("f.")) fields.put(k.substring(2), vals);
        });
        return new DashboardRequest("GET", "/jobs", v.base(), fields, Map.of(), Map.of(), v.request().remoteAddress());
    }

    /** A page asking to confirm, re-posting every field with confirmed=yes. */
    private DashboardResponse confirm(String title, String text, Map<String, String> fields) {
        return Pages.page(v, "", title, h -> {
            h.open("section", "class", "panel confirm").el("h1", title).el("p", text);
            h.open("form", "method", "post", "action", v.url(v.request().path()));
            Pages.hidden(h, CsrfTokens.FIELD, v.csrfToken());
            Pages.hidden(h, "confirmed", "yes");
            Pages.hidden(h, "return", returnPath());
            fields.forEach((k, val) -> Pages.hidden(h, k.replaceAll("#\\d+$", ""), val));
            h.el("button", "Confirm", "type", "submit", "class", "btn primary", "id", "confirm");
            h.text(" ").link(v.url(returnPath()), "Back", "class", "btn");
            h.close("form").close("section");
        });
    }

    private void log(JobAction action, String what, Object result) {
        Dashboard.LOG.info("dashboard action by {} from {}: {} {} -> {}", v.user(), v.request().remoteAddress(),
                action == null ? "" : action.verb(), what, result);
    }

    private DashboardResponse back(String notice) {
        return redirect(returnPath(), notice);
    }

    private DashboardResponse redirect(String path, String notice) {
        String sep = path.contains("?") ? "&" : "?";
        return DashboardResponse.redirect(v.url(path) + sep + "notice=" + Pages.enc(notice));
    }

    /** Where the action came from, only ever a path of this dashboard. */
    private String returnPath() {
        String r = v.request().param("return");
        if (r == null || !r.startsWith("/") || r.startsWith("//") || r.contains("\\") || r.contains("\r") || r.contains("\n")) return "/";
        return r;
    }
}
