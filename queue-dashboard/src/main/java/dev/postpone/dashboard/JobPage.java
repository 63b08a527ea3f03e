package dev.postpone.dashboard;

import dev.postpone.admin.Attempt;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobAction;
import dev.postpone.admin.JobAdmin;
import dev.postpone.admin.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** One job at /jobs/ID: arguments, attempts with error and trace, timeline, locks, worker, actions. */
final class JobPage {

    private JobPage() {
    }

    static DashboardResponse render(Dashboard.View v, JobAdmin admin, SecretFields secrets, long id) {
        Optional<Job> found = admin.get(id);
        if (found.isEmpty()) {
            return Pages.error(v, 404, "No job " + id, "Job " + id + " does not exist: it was never deferred, or it was deleted"
                    + " (finished jobs are deleted after the retention period).");
        }
        Job j = found.get();
        return Pages.page(v, "Jobs", "Job " + id, h -> {
            h.open("div", "class", "title-row").el("h1", "Job " + j.id());
            Pages.status(h, j, v.now());
            h.el("span", j.task(), "class", "task big");
            h.el("span", "on queue " + j.queue(), "class", "muted");
            h.close("div");
            actions(h, v, j);
            h.open("div", "class", "columns");
            h.open("section", "class", "panel");
            h.el("h2", "Details");
            details(h, v, j);
            h.close("section");
            h.open("section", "class", "panel");
            h.el("h2", "Timeline");
            timeline(h, v, j);
            h.close("section");
            h.close("div");
            h.open("section", "class", "panel");
            h.el("h2", "Arguments");
            h.el("pre", secrets.pretty(j.args()), "class", "json");
            h.close("section");
            if (j.result() != null) {
                h.open("section", "class", "panel");
                h.el("h2", "Result");
                h.el("pre", secrets.pretty(j.result()), "class", "json");
                h.close("section");
            }
            h.open("section", "class", "panel attempts");
            h.el("h2", "Attempts");
            attempts(h, v, j);
            h.close("section");
        });
    }

    private static void actions(Html h, Dashboard.View v, Job j) {
        if (v.readOnly()) return;
        h.open("div", "class", "actions");
        String name = "job " + j.id() + " (" + j.task() + ")";
        if (JobAction.RETRY.actsOn().contains(j.status())) {
            Pages.actionButton(h, v, "/jobs/" + j.id() + "/retry", "Retry", "Retry " + name + " now, with one more attempt?", "primary", Map.of());
        }
        if (j.status() == JobStatus.DOING) {
            Pages.actionButton(h, v, "/jobs/" + j.id() + "/cancel", "Stop", "Stop " + name + "? Its worker interrupts it and it ends"
                    + " cancelled, unless it finishes first.", "", Map.of());
        } else if (JobAction.CANCEL.actsOn().contains(j.status())) {
            Pages.actionButton(h, v, "/jobs/" + j.id() + "/cancel", "Cancel", "Cancel " + name + "? It will not run.", "", Map.of());
        }
        if (JobAction.DELETE.actsOn().contains(j.status())) {
            Pages.actionButton(h, v, "/jobs/" + j.id() + "/delete", "Delete", "Delete " + name + " for good?", "danger", Map.of());
        }
        if (j.status() == JobStatus.DOING) {
            h.el("span", "A running job is held by its worker: stopping asks the worker to interrupt it; it can be retried or"
                    + " deleted once it finishes.", "class", "muted");
        }
        h.close("div");
    }

    private static void details(Html h, Dashboard.View v, Job j) {
        h.open("dl", "class", "kv");
        kv(h, "Queue", j.queue(), v.url("/jobs?queue=" + Pages.enc(j.queue())));
        kv(h, "Task", j.task(), v.url("/jobs?task=" + Pages.enc(j.task())));
        kv(h, "Priority", Integer.toString(j.priority()), null);
        kv(h, "Attempts", j.attempts() + " of " + j.maxAttempts(), null);
        kv(h, "Lock", j.lock() == null ? "—" : j.lock(), null);
        kv(h, "Queueing lock", j.queueingLock() == null ? "—" : j.queueingLock(), null);
        String worker = j.workerId() == null ? "—" : "worker " + j.workerId() + (j.status() == JobStatus.DOING ? " (running it)" : " (ran it last)");
        kv(h, "Worker", worker, j.workerId() == null ? null : v.url("/workers#worker-" + j.workerId()));
        if (j.abortRequest() != null) {
            kv(h, "Stop requested", "by " + j.abortRequest().requestedBy() + " at " + Pages.UTC.format(j.abortRequest().requestedAt())
                    + " (attempt " + j.abortRequest().attempt() + ")", null);
        }
        h.close("dl");
    }

    private static void kv(Html h, String key, String value, String href) {
        h.el("dt", key).open("dd");
        if (href == null) h.text(value); else h.link(href, value);
        h.close("dd");
    }

    private static void timeline(Html h, Dashboard.View v, Job j) {
        h.open("ol", "class", "timeline");
        event(h, v, "created", j.createdAt(), null);
        if (j.scheduledAt() != null && j.createdAt() != null && Duration.between(j.createdAt(), j.scheduledAt()).abs().toMillis() > 1000) {
            event(h, v, j.attempts() > 0 && j.status() == JobStatus.TODO ? "due again" : "due", j.scheduledAt(), null);
        } else if (j.status() == JobStatus.TODO) {
            event(h, v, "due", j.scheduledAt(), null);
        }
        if (j.startedAt() != null) {
            String wait = j.scheduledAt() == null ? null : "after waiting " + Pages.span(Duration.between(j.scheduledAt(), j.startedAt()).abs());
            event(h, v, j.attempts() > 1 ? "attempt " + j.attempts() + " started" : "started", j.startedAt(), wait);
        }
        if (j.finishedAt() != null) {
            String took = j.startedAt() == null || j.status() == JobStatus.CANCELLED ? null
                    : "after running " + Pages.span(Duration.between(j.startedAt(), j.finishedAt()).abs());
            event(h, v, j.status().label(), j.finishedAt(), took);
        }
        h.close("ol");
    }

    private static void event(Html h, Dashboard.View v, String what, Instant at, String note) {
        h.open("li").el("span", what, "class", "what").open("span", "class", "when");
        Pages.ago(h, at, v.now());
        h.close("span");
        if (at != null) h.el("span", Pages.UTC.format(at), "class", "muted mono");
        if (note != null) h.el("span", note, "class", "muted");
        h.close("li");
    }

    private static void attempts(Html h, Dashboard.View v, Job j) {
        if (j.attempts() == 0) {
            h.el("p", "Not attempted yet.", "class", "empty");
            return;
        }
        h.open("p").text(j.attempts() + (j.attempts() == 1 ? " attempt" : " attempts") + " of " + j.maxAttempts() + " allowed. ");
        if (j.lastError() == null) h.text("No attempt failed.");
        h.close("p");
        if (!j.attemptHistory().isEmpty()) {
            // Newest first, as the page is read; each with its worker, times, error and trace.
            for (Attempt a : j.attemptHistory().reversed()) {
                h.open("div", "class", "attempt" + ("succeeded".equals(a.outcome()) ? "" : " failed"));
                h.el("h3", "Attempt " + a.number() + " " + ("retry".equals(a.outcome()) ? "failed (retried)" : a.outcome()));
                String took = a.startedAt() == null || a.finishedAt() == null ? "" : ", took " + Pages.span(Duration.between(a.startedAt(), a.finishedAt()));
                h.el("p", (a.worker() == null ? "" : "on " + a.worker() + ", ")
                        + (a.startedAt() == null ? "never started" : "started " + Pages.UTC.format(a.startedAt())) + took, "class", "muted");
                if (a.error() != null) h.el("p", a.error(), "class", "error-message");
                if (a.note() != null) h.el("p", a.note(), "class", "muted");
                if (a.trace() != null && !a.trace().isBlank()) {
                    h.open("details", "class", "trace").el("summary", "Stack trace").el("pre", a.trace()).close("details");
                }
                h.close("div");
            }
            return;
        }
        if (j.lastError() != null) {
            boolean lastFailed = j.status() == JobStatus.FAILED || j.status() == JobStatus.TODO;
            h.open("div", "class", "attempt failed");
            h.el("h3", lastFailed ? "Attempt " + j.attempts() + " failed" : "An earlier attempt failed");
            h.el("p", j.lastError(), "class", "error-message");
            if (j.lastErrorTrace() != null && !j.lastErrorTrace().isBlank()) {
                h.open("details", "class", "trace").el("summary", "Stack trace").el("pre", j.lastErrorTrace()).close("details");
            }
            h.close("div");
        }
    }
}
