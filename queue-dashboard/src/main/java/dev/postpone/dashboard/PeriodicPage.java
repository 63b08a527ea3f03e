package dev.postpone.dashboard;

import dev.postpone.admin.JobAdmin;
import dev.postpone.admin.LastTick;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Periodic tasks: schedule (when the host supplies it), last tick deferred, next tick. */
final class PeriodicPage {

    private PeriodicPage() {
    }

    static DashboardResponse render(Dashboard.View v, JobAdmin admin, PeriodicSchedules schedules) {
        List<LastTick> ticks = admin.periodicTicks();
        Map<String, PeriodicSchedules.Schedule> byTask = new LinkedHashMap<>();
        for (PeriodicSchedules.Schedule s : schedules.schedules(v.now())) byTask.put(s.task() + "\u0000" + s.key(), s);
        Map<String, LastTick> lastByTask = new LinkedHashMap<>();
        for (LastTick t : ticks) lastByTask.put(t.task() + "\u0000" + t.key(), t);
        java.util.TreeSet<String> keys = new java.util.TreeSet<>(byTask.keySet());
        keys.addAll(lastByTask.keySet());
        return Pages.page(v, "Periodic", "Periodic tasks", h -> {
            h.el("h1", "Periodic tasks");
            if (keys.isEmpty()) {
                h.el("p", "No periodic task has ticked yet.", "class", "empty");
                return;
            }
            h.open("table", "class", "grid").open("thead").open("tr");
            for (String c : new String[] {"Task", "Key", "Schedule", "Last tick", "Next tick", ""}) h.el("th", c);
            h.close("tr").close("thead").open("tbody");
            for (String k : keys) {
                PeriodicSchedules.Schedule s = byTask.get(k);
                LastTick t = lastByTask.get(k);
                String task = s != null ? s.task() : t.task();
                String key = s != null ? s.key() : t.key();
                h.open("tr").open("td").link(v.url("/jobs?task=" + Pages.enc(task)), task).close("td");
                h.el("td", key == null || key.isEmpty() ? "—" : key);
                h.el("td", s == null ? "not known here" : s.expression() + ("UTC".equals(s.zone()) || "Z".equals(s.zone()) ? "" : " (" + s.zone() + ")"),
                        "class", s == null ? "muted" : "mono");
                h.open("td");
                Pages.ago(h, t == null ? null : t.lastTick(), v.now());
                h.close("td").open("td");
                Pages.ago(h, s == null ? null : s.nextTick().orElse(null), v.now());
                h.close("td").open("td");
                if (t == null) h.el("span", "never ticked", "class", "muted");
                h.close("td").close("tr");
            }
            h.close("tbody").close("table");
            h.el("p", "The database records each task's last tick; schedules come from the application that defines the tasks"
                    + " (an embedding application passes them with Dashboard.Builder.periodicSchedules; the CLI knows the demo's).", "class", "muted small");
        });
    }
}
