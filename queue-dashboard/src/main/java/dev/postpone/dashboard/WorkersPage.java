package dev.postpone.dashboard;

import dev.postpone.admin.Job;
import dev.postpone.admin.JobAdmin;
import dev.postpone.admin.WorkerInfo;
import dev.postpone.schema.LiveClient;
import dev.postpone.schema.LiveWorker;
import dev.postpone.schema.Phase;
import dev.postpone.schema.Release;
import dev.postpone.schema.SchemaStatus;
import dev.postpone.schema.StepState;
import dev.postpone.schema.StepStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Workers: name, host, release, heartbeat age, running jobs; who blocks the next post migration. */
final class WorkersPage {

    static final int RUNNING_SHOWN = 500;

    private WorkersPage() {
    }

    static DashboardResponse render(Dashboard.View v, JobAdmin admin, Supplier<SchemaStatus> schemaStatus) {
        List<WorkerInfo> workers = admin.workers();
        Map<Long, List<Job>> running = admin.running(RUNNING_SHOWN).stream()
                .collect(Collectors.groupingBy(j -> j.workerId() == null ? -1L : j.workerId()));
        SchemaStatus status = schemaStatus.get();
        Optional<Release> nextPost = status.steps().stream()
                .filter(s -> s.state() != StepState.APPLIED && s.phase() == Phase.POST).map(StepStatus::release).findFirst();
        Set<Long> blocking = nextPost.map(r -> status.liveWorkers().stream().filter(w -> w.isOlderThan(r)).map(LiveWorker::id)
                .collect(Collectors.toSet())).orElse(Set.of());
        Set<Long> alive = status.liveWorkers().stream().map(LiveWorker::id).collect(Collectors.toSet());
        return Pages.page(v, "Workers", "Workers", h -> {
            h.el("h1", "Workers");
            postNotice(h, v, status, nextPost, blocking);
            if (workers.isEmpty()) {
                h.el("p", "No worker is registered. Start one with: postpone worker", "class", "empty");
            } else {
                h.open("table", "class", "grid workers").open("thead").open("tr");
                for (String c : new String[] {"ID", "Name", "Host", "PID", "Release", "Queues", "Concurrency", "Running", "Started", "Heartbeat", ""}) {
                    h.el("th", c, "class", c.equals("ID") || c.equals("PID") || c.equals("Concurrency") || c.equals("Running") ? "num" : null);
                }
                h.close("tr").close("thead").open("tbody");
                for (WorkerInfo w : workers) {
                    List<Job> jobs = running.getOrDefault(w.id(), List.of());
                    h.open("tr", "id", "worker-" + w.id());
                    h.el("td", Long.toString(w.id()), "class", "num");
                    h.el("td", w.name());
                    h.el("td", w.host());
                    h.el("td", Long.toString(w.pid()), "class", "num");
                    h.open("td").el("span", w.release(), "class", "badge release").close("td");
                    h.el("td", w.queues().isEmpty() ? "all" : String.join(", ", w.queues()));
                    h.el("td", w.concurrency() == null ? "—" : w.concurrency().toString(), "class", "num");
                    h.open("td", "class", "num").link(v.url("/jobs?status=doing"), Integer.toString(jobs.size())).close("td");
                    h.open("td");
                    Pages.ago(h, w.startedAt(), v.now());
                    h.close("td");
                    Duration age = Duration.between(w.lastHeartbeat(), v.now());
                    h.el("td", Pages.span(age.isNegative() ? Duration.ZERO : age) + " ago", "class",
                            alive.contains(w.id()) ? "ok" : "bad", "title", Pages.UTC.format(w.lastHeartbeat()));
                    h.open("td");
                    if (!alive.contains(w.id())) Pages.status(h, "silent");
                    if (blocking.contains(w.id())) h.el("span", "blocks post " + nextPost.get(), "class", "badge s-failed");
                    h.close("td");
                    h.close("tr");
                    if (!jobs.isEmpty()) {
                        h.open("tr", "class", "sub").open("td").close("td").open("td", "colspan", "10");
                        h.el("span", "running: ", "class", "muted");
                        for (Job j : jobs.subList(0, Math.min(jobs.size(), 20))) {
                            h.link(v.url("/jobs/" + j.id()), "#" + j.id() + " " + j.task(), "class", "chip");
                        }
                        if (jobs.size() > 20) h.el("span", "and " + (jobs.size() - 20) + " more", "class", "muted");
                        h.close("td").close("tr");
                    }
                }
                h.close("tbody").close("table");
            }
            clients(h, v, status.liveClients(), nextPost);
        });
    }

    private static void postNotice(Html h, Dashboard.View v, SchemaStatus status, Optional<Release> nextPost, Set<Long> blocking) {
        if (nextPost.isEmpty()) return;
        long clients = status.liveClients().stream().filter(c -> c.isOlderThan(nextPost.get())).count();
        h.open("p", "class", blocking.isEmpty() && clients == 0 ? "notice" : "warning");
        if (blocking.isEmpty() && clients == 0) {
            h.text("The post migration of " + nextPost.get() + " is pending and nothing older is alive: ");
        } else {
            h.text("The post migration of " + nextPost.get() + " waits for " + blocking.size() + " worker(s) and " + clients
                    + " client(s) of older releases to stop or upgrade. ");
        }
        h.link(v.url("/schema"), "Schema: what is safe next").close("p");
    }

    private static void clients(Html h, Dashboard.View v, List<LiveClient> clients, Optional<Release> nextPost) {
        h.el("h2", "Clients");
        if (clients.isEmpty()) {
            h.el("p", "No application that defers jobs is registered (clients register from release 1.1.0 on).", "class", "empty");
            return;
        }
        h.open("table", "class", "grid").open("thead").open("tr");
        for (String c : new String[] {"Name", "Host", "PID", "Version", "Last seen", ""}) h.el("th", c);
        h.close("tr").close("thead").open("tbody");
        for (LiveClient c : clients) {
            h.open("tr").el("td", c.name()).el("td", c.host()).el("td", Long.toString(c.pid()));
            h.open("td").el("span", c.version(), "class", "badge release").close("td");
            h.open("td");
            Pages.ago(h, c.lastSeen(), v.now());
            h.close("td").open("td");
            if (nextPost.isPresent() && c.isOlderThan(nextPost.get())) h.el("span", "blocks post " + nextPost.get(), "class", "badge s-failed");
            h.close("td").close("tr");
        }
        h.close("tbody").close("table");
    }
}
