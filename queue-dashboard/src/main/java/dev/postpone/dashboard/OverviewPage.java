package dev.postpone.dashboard;

import dev.postpone.admin.ActivityMinute;
import dev.postpone.admin.JobAdmin;
import dev.postpone.admin.QueueOverview;
import dev.postpone.admin.WorkerInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** Overview: per queue waiting, scheduled, running, finished and failed in the last hour, paused; charts; workers. */
final class OverviewPage {

    /** Waiting and scheduled are counted exactly up to here per queue, then shown as "more than". */
    static final long COUNT_CAP = 5_000;
    static final Duration WINDOW = Duration.ofHours(1);
    /** A worker whose heartbeat is older than this is shown as silent. */
    static final Duration ALIVE = Duration.ofMinutes(1);

    private OverviewPage() {
    }

    private record QueueHour(long succeeded, long failed, boolean estimated) {
    }

    static DashboardResponse render(Dashboard.View v, JobAdmin admin, QueuePauses pauses) {
        List<ActivityMinute> activity = admin.activity(WINDOW);
        List<WorkerInfo> workers = admin.workers();
        Map<String, Instant> paused = pauses == null ? Map.of() : pauses.paused();
        TreeSet<String> known = new TreeSet<>(paused.keySet());
        activity.forEach(a -> known.add(a.queue()));
        workers.forEach(w -> known.addAll(w.queues()));
        List<QueueOverview> queues = admin.queueOverview(known, COUNT_CAP);
        Optional<Long> estimate = admin.estimatedJobCount();

        Map<String, QueueHour> hour = new TreeMap<>();
        for (ActivityMinute a : activity) {
            QueueHour q = hour.getOrDefault(a.queue(), new QueueHour(0, 0, false));
            hour.put(a.queue(), new QueueHour(q.succeeded() + a.succeeded(), q.failed() + a.failed(), q.estimated() || a.estimated()));
        }
        long alive = workers.stream().filter(w -> w.lastHeartbeat().isAfter(v.now().minus(ALIVE))).count();

        return Pages.page(v, "Overview", "Overview", h -> {
            h.el("h1", "Overview");
            cards(h, v, queues, hour, alive, workers.size(), estimate);
            h.open("section", "class", "charts");
            charts(h, v, activity);
            h.close("section");
            queueTable(h, v, queues, hour, paused);
        });
    }

    private static void cards(Html h, Dashboard.View v, List<QueueOverview> queues, Map<String, QueueHour> hour, long alive,
                              int registered, Optional<Long> estimate) {
        long waiting = queues.stream().mapToLong(q -> Math.min(q.waiting(), q.cap())).sum();
        boolean waitingMore = queues.stream().anyMatch(QueueOverview::waitingAboveCap);
        long running = queues.stream().mapToLong(QueueOverview::running).sum();
        long done = hour.values().stream().mapToLong(QueueHour::succeeded).sum();
        long failed = hour.values().stream().mapToLong(QueueHour::failed).sum();
        boolean estimated = hour.values().stream().anyMatch(QueueHour::estimated);
        Instant oldest = queues.stream().map(QueueOverview::oldestDueAt).filter(java.util.Objects::nonNull).min(Instant::compareTo).orElse(null);
        h.open("div", "class", "cards");
        card(h, "Waiting", (waitingMore ? "more than " : "") + Pages.number(waiting),
                oldest == null ? "none due" : "oldest due " + Pages.relative(oldest, v.now()), v.url("/jobs?status=todo"), waiting > 0 ? "c-todo" : "");
        card(h, "Running", Pages.number(running), "jobs held by workers", v.url("/jobs?status=doing"), running > 0 ? "c-doing" : "");
        card(h, "Succeeded · 1 h", (estimated ? "about " : "") + Pages.number(done), "finished by workers", v.url("/jobs?status=succeeded&range=1h"), "c-ok");
        card(h, "Failed · 1 h", (estimated ? "about " : "") + Pages.number(failed), "out of attempts or failed for good",
                v.url("/jobs?status=failed&range=1h"), failed > 0 ? "c-bad" : "");
        card(h, "Workers", Pages.number(alive), alive == registered ? "alive" : "alive of " + registered + " registered",
                v.url("/workers"), alive == 0 ? "c-bad" : "");
        card(h, "Jobs in the table", estimate.map(n -> "about " + Pages.number(n)).orElse("—"),
                estimate.isPresent() ? "from PostgreSQL's statistics" : "table not analysed yet", v.url("/jobs"), "");
        h.close("div");
    }

    private static void card(Html h, String label, String value, String hint, String href, String cls) {
        h.open("a", "class", "card " + cls, "href", href)
                .el("span", label, "class", "label").el("span", value, "class", "value").el("span", hint, "class", "hint")
                .close("a");
    }

    private static void charts(Html h, Dashboard.View v, List<ActivityMinute> activity) {
        Instant last = v.now().truncatedTo(ChronoUnit.MINUTES);
        List<Instant> minutes = new ArrayList<>();
        for (int i = 59; i >= 0; i--) minutes.add(last.minus(i, ChronoUnit.MINUTES));
        long[] ok = new long[60];
        long[] bad = new long[60];
        boolean[] estimated = new boolean[60];
        double[] sum50 = new double[60];
        double[] sum95 = new double[60];
        double[] weight = new double[60];
        for (ActivityMinute a : activity) {
            int i = minutes.indexOf(a.minute());
            if (i < 0) continue;
            ok[i] += a.succeeded();
            bad[i] += a.failed();
            estimated[i] |= a.estimated();
            long n = a.succeeded() + a.failed();
            // Across queues, a minute's wait is the job-weighted mean of the queues' percentiles: an
            // approximation, exact when one queue dominates, which is when it matters.
            if (a.waitP50() != null && n > 0) {
                sum50[i] += a.waitP50() * n;
                sum95[i] += (a.waitP95() == null ? a.waitP50() : a.waitP95()) * n;
                weight[i] += n;
            }
        }
        Double[] p50 = new Double[60];
        Double[] p95 = new Double[60];
        for (int i = 0; i < 60; i++) {
            if (weight[i] > 0) {
                p50[i] = sum50[i] / weight[i];
                p95[i] = sum95[i] / weight[i];
            }
        }
        h.open("figure", "class", "chart-box").el("figcaption", "Jobs finished per minute");
        Charts.throughput(h, minutes, ok, bad, estimated);
        h.open("p", "class", "legend").el("span", "succeeded", "class", "key ok").el("span", "failed", "class", "key bad");
        for (boolean e : estimated) {
            if (e) {
                h.el("span", "busy minutes are extrapolated from a sample of their jobs", "class", "muted");
                break;
            }
        }
        h.close("p").close("figure");
        h.open("figure", "class", "chart-box").el("figcaption", "Wait from due to start, of the jobs finished each minute");
        Charts.waits(h, minutes, p50, p95);
        h.open("p", "class", "legend").el("span", "p50", "class", "key p50").el("span", "p95", "class", "key p95").close("p");
        h.close("figure");
    }

    private static void queueTable(Html h, Dashboard.View v, List<QueueOverview> queues, Map<String, QueueHour> hour,
                                   Map<String, Instant> paused) {
        h.el("h2", "Queues");
        if (queues.isEmpty()) {
            h.el("p", "No queue has waiting, running or recently finished jobs.", "class", "empty");
            return;
        }
        h.open("table", "class", "grid queues").open("thead").open("tr");
        for (String c : new String[] {"Queue", "Waiting", "Waiting since", "Scheduled", "Running", "Succeeded · 1 h", "Failed · 1 h"}) {
            h.el("th", c, "class", c.equals("Queue") || c.equals("Waiting since") ? null : "num");
        }
        if (v.pausesEnabled()) h.el("th", "State");
        h.close("tr").close("thead").open("tbody");
        for (QueueOverview q : queues) {
            QueueHour qh = hour.getOrDefault(q.queue(), new QueueHour(0, 0, false));
            String about = qh.estimated() ? "about " : "";
            String qp = "?queue=" + Pages.enc(q.queue());
            h.open("tr", "data-queue", q.queue());
            h.open("td").link(v.url("/jobs" + qp), q.queue(), "class", "queue").close("td");
            countCell(h, v.url("/jobs" + qp + "&status=todo"), q.waiting(), q.cap(), "todo");
            h.open("td");
            Pages.ago(h, q.oldestDueAt(), v.now());
            h.close("td");
            countCell(h, v.url("/jobs" + qp + "&status=todo"), q.scheduled(), q.cap(), "scheduled");
            countCell(h, v.url("/jobs" + qp + "&status=doing"), q.running(), Long.MAX_VALUE, "doing");
            h.open("td", "class", "num").link(v.url("/jobs" + qp + "&status=succeeded&range=1h"), about + Pages.number(qh.succeeded())).close("td");
            h.open("td", "class", "num" + (qh.failed() > 0 ? " bad" : ""))
                    .link(v.url("/jobs" + qp + "&status=failed&range=1h"), about + Pages.number(qh.failed())).close("td");
            if (v.pausesEnabled()) {
                h.open("td");
                Instant at = paused.get(q.queue());
                String path = "/queues/" + Pages.enc(q.queue());
                if (at != null) {
                    Pages.status(h, "paused");
                    h.text(" ");
                    Pages.actionButton(h, v, path + "/resume", "Resume", "Resume queue " + q.queue() + "?", "small", Map.of());
                } else {
                    Pages.status(h, "active");
                    h.text(" ");
                    Pages.actionButton(h, v, path + "/pause", "Pause", "Pause queue " + q.queue()
                            + "? Workers stop fetching its jobs until it is resumed.", "small", Map.of());
                }
                h.close("td");
            }
            h.close("tr");
        }
        h.close("tbody").close("table");
        h.el("p", "Waiting and scheduled are counted exactly up to " + Pages.number(COUNT_CAP)
                + " per queue; the hour's counts come from the finished jobs still kept (retention).", "class", "muted small");
    }

    private static void countCell(Html h, String href, long n, long cap, String cls) {
        String text = n > cap ? "> " + Pages.number(cap) : Pages.number(n);
        h.open("td", "class", "num" + (n > 0 ? " c-" + cls : " zero")).link(href, text).close("td");
    }
}
