package dev.postpone.dashboard;

import dev.postpone.admin.Job;
import dev.postpone.admin.JobAction;
import dev.postpone.admin.JobAdmin;
import dev.postpone.admin.JobSearch;
import dev.postpone.admin.JobSearchPage;
import dev.postpone.admin.JobStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Jobs: filters, a keyset-paged list (no OFFSET, no count), bulk selection and bulk actions over the filter. */
final class JobsPage {

    static final int PAGE = 50;
    /**
     * A bulk change over a time range reads at most the newest this many job ids the filter can match (as a
     * page reads at most {@link JobSearch#DEFAULT_MAX_SCANNED}); over text, where the database masks each
     * candidate's secrets before it compares (about 0.1 ms a job on a busy machine), {@link #BULK_TEXT_WINDOW}.
     */
    static final long BULK_WINDOW = JobSearch.DEFAULT_MAX_SCANNED;
    static final long BULK_TEXT_WINDOW = 20_000;
    /** A bulk change over text or time changes at most the newest this many matching jobs at once. */
    static final int BULK_LIMIT = 5_000;

    static DashboardResponse render(Dashboard.View v, JobAdmin admin, SecretFields secrets) {
        JobsFilter filter = JobsFilter.of(v.request());
        JobSearch search = filter.search(v.now(), PAGE);
        JobSearchPage page = admin.search(search);
        // A text search looks in the stored arguments; a job whose match lies only inside a secret value is
        // not listed, so the search box cannot be used to guess secrets.
        List<Job> jobs = search.text() == null ? page.jobs()
                : page.jobs().stream().filter(j -> secrets.visibleTextContains(j.args(), search.text())).toList();
        Optional<Long> estimate = filter.isEmpty() ? admin.estimatedJobCount() : Optional.empty();
        return Pages.page(v, "Jobs", "Jobs", h -> {
            h.open("div", "class", "title-row").el("h1", "Jobs");
            estimate.ifPresent(n -> h.el("span", "about " + Pages.number(n) + " in the table", "class", "muted"));
            h.close("div");
            filterForm(h, v, filter);
            if (!v.readOnly()) bulkBar(h, v, filter);
            table(h, v, jobs, secrets);
            pager(h, v, filter, page, jobs.size());
        });
    }

    private static void filterForm(Html h, Dashboard.View v, JobsFilter f) {
        h.open("form", "method", "get", "action", v.url("/jobs"), "class", "filters", "id", "filters");
        field(h, "Queue", "queue", f.queue(), "any queue");
        field(h, "Task", "task", f.task(), "any task");
        field(h, "Arguments contain", "text", f.text(), "text in the JSON");
        h.open("label").el("span", "Created");
        h.open("select", "name", "range");
        h.el("option", "any time", "value", "");
        for (String r : JobsFilter.RANGES.keySet()) {
            h.el("option", "last " + r, "value", r, "selected", r.equals(f.range()) ? "selected" : null);
        }
        h.close("select").close("label");
        h.open("label").el("span", "From (UTC)").open("input", "type", "datetime-local", "name", "from", "value", f.from()).close("label");
        h.open("label").el("span", "To (UTC)").open("input", "type", "datetime-local", "name", "to", "value", f.to()).close("label");
        h.open("fieldset", "class", "statuses").el("legend", "Status");
        for (JobStatus s : JobStatus.values()) {
            h.open("label", "class", "check").open("input", "type", "checkbox", "name", "status", "value", s.label(),
                    "checked", f.statuses().contains(s) ? "checked" : null);
            h.text(" ");
            Pages.status(h, s.label());
            h.close("label");
        }
        h.close("fieldset");
        h.open("div", "class", "buttons").el("button", "Filter", "type", "submit", "class", "btn primary");
        if (!f.isEmpty()) h.link(v.url("/jobs"), "Clear", "class", "btn");
        h.close("div").close("form");
    }

    private static void field(Html h, String label, String name, String value, String placeholder) {
        h.open("label").el("span", label)
                .open("input", "type", "search", "name", name, "value", value, "placeholder", placeholder, "autocomplete", "off")
                .close("label");
    }

    private static void bulkBar(Html h, Dashboard.View v, JobsFilter f) {
        h.open("form", "method", "post", "action", v.url("/jobs/bulk"), "id", "bulk", "class", "bulk");
        Pages.hidden(h, CsrfTokens.FIELD, v.csrfToken());
        Pages.hidden(h, "return", v.request().path() + Pages.query(Pages.currentQuery(v)));
        for (String[] p : f.pairs()) {
            if (p[1] != null && !p[1].isEmpty()) Pages.hidden(h, "f." + p[0], p[1]);
        }
        h.el("span", "Selected:", "class", "muted");
        for (JobAction a : JobAction.values()) {
            h.el("button", verb(a) + " selected", "type", "submit", "name", "action", "value", a.verb() + ":selected",
                    "class", "btn small " + (a == JobAction.DELETE ? "danger" : ""), "data-needs-selection", "true");
        }
        h.el("span", "All matching the filter:", "class", "muted sep");
        for (JobAction a : JobAction.values()) {
            h.el("button", verb(a) + " all…", "type", "submit", "name", "action", "value", a.verb() + ":filter",
                    "class", "btn small " + (a == JobAction.DELETE ? "danger" : ""),
                    "title", "asks for confirmation with the number of jobs first");
        }
        h.close("form");
    }

    static String verb(JobAction a) {
        return switch (a) {
            case CANCEL -> "Cancel";
            case RETRY -> "Retry";
            case DELETE -> "Delete";
        };
    }

    private static void table(Html h, Dashboard.View v, List<Job> jobs, SecretFields secrets) {
        if (jobs.isEmpty()) {
            h.el("p", "No jobs match.", "class", "empty");
            return;
        }
        h.open("table", "class", "grid jobs").open("thead").open("tr");
        h.open("th", "class", "sel").open("input", "type", "checkbox", "id", "select-all", "title", "select all on this page",
                "aria-label", "select all").close("th");
        for (String c : new String[] {"ID", "Status", "Queue", "Task", "Arguments", "Attempts", "Created", "Last change", "Last error"}) {
            h.el("th", c, "class", c.equals("ID") || c.equals("Attempts") ? "num" : null);
        }
        h.close("tr").close("thead").open("tbody");
        TreeSet<String> seen = new TreeSet<>();
        for (Job j : jobs) {
            seen.add(j.task());
            h.open("tr", "data-job", Long.toString(j.id()));
            h.open("td", "class", "sel").open("input", "type", "checkbox", "name", "id", "value", Long.toString(j.id()),
                    "form", "bulk", "aria-label", "select job " + j.id()).close("td");
            h.open("td", "class", "num").link(v.url("/jobs/" + j.id()), Long.toString(j.id())).close("td");
            h.open("td");
            Pages.status(h, j, v.now());
            h.close("td");
            h.el("td", j.queue());
            h.el("td", j.task(), "class", "task");
            String args = secrets.compact(j.args());
            h.el("td", Pages.truncate(args, 90), "class", "args mono", "title", Pages.truncate(args, 600));
            h.el("td", j.attempts() + "/" + j.maxAttempts(), "class", "num");
            h.open("td");
            Pages.ago(h, j.createdAt(), v.now());
            h.close("td");
            h.open("td");
            lastChange(h, j, v);
            h.close("td");
            h.el("td", Pages.truncate(j.lastError(), 80), "class", "error", "title", Pages.truncate(j.lastError(), 600));
            h.close("tr");
        }
        h.close("tbody").close("table");
    }

    /** What happened last: finished, started, or when it is due. */
    private static void lastChange(Html h, Job j, Dashboard.View v) {
        if (j.finishedAt() != null) {
            h.el("span", "finished ", "class", "muted");
            Pages.ago(h, j.finishedAt(), v.now());
        } else if (j.status() == JobStatus.DOING) {
            h.el("span", "started ", "class", "muted");
            Pages.ago(h, j.startedAt(), v.now());
        } else {
            h.el("span", "due ", "class", "muted");
            Pages.ago(h, j.scheduledAt(), v.now());
        }
    }

    private static void pager(Html h, Dashboard.View v, JobsFilter f, JobSearchPage page, int shown) {
        h.open("nav", "class", "pager");
        if (f.before() != null) h.link(f.url(v, null), "⇤ Newest", "class", "btn");
        if (page.nextBefore().isPresent()) {
            long next = page.nextBefore().get();
            if (!page.complete()) {
                h.el("span", (shown == 0 ? "No match" : shown + " found") + " among the " + Pages.number(page.search().maxScanned())
                        + " newest job ids searched" + (f.before() == null ? "" : " below " + f.before()) + ".", "class", "muted");
                h.link(f.url(v, next), "Search older jobs →", "class", "btn", "rel", "next");
            } else {
                h.link(f.url(v, next), "Older →", "class", "btn", "rel", "next");
            }
        } else if (shown > 0) {
            h.el("span", "That is all.", "class", "muted");
        }
        h.close("nav");
    }
}
