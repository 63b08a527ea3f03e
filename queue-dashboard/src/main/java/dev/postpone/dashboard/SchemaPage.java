package dev.postpone.dashboard;

import dev.postpone.schema.LiveWorker;
import dev.postpone.schema.SchemaStatus;
import dev.postpone.schema.StepStatus;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Schema: every migration step's state per release and phase, the lock, problems, what is safe next. */
final class SchemaPage {

    private SchemaPage() {
    }

    static DashboardResponse render(Dashboard.View v, SchemaStatus status) {
        return Pages.page(v, "Schema", "Schema", h -> {
            h.open("div", "class", "title-row").el("h1", "Schema").el("span", "schema " + status.schema(), "class", "muted").close("div");
            h.open("div", "class", "next").el("span", "Next", "class", "label").el("code", status.nextSafeAction()).close("div");
            if (status.lockHolder().isPresent()) h.el("p", "A migrator holds the migration lock: " + status.lockHolder().get(), "class", "warning");
            for (String p : status.problems()) h.el("p", p, "class", "warning");
            h.open("p", "class", "muted").text("Live workers: ");
            h.text(status.liveWorkers().isEmpty() ? "none" : String.join(", ", status.liveWorkers().stream()
                    .map(w -> w.name() + " (" + w.release() + ")").toList()));
            h.text(". Live clients: " + (status.liveClients().isEmpty() ? "none" : status.liveClients().size()) + ".");
            h.close("p");
            for (Map.Entry<String, List<StepStatus>> group : status.byReleaseAndPhase().entrySet()) {
                long applied = group.getValue().stream().filter(s -> s.state().name().equals("APPLIED")).count();
                h.open("section", "class", "panel");
                h.open("h2").text(group.getKey() + " ").el("span", applied + " of " + group.getValue().size() + " applied", "class", "muted").close("h2");
                h.open("table", "class", "grid steps").open("thead").open("tr");
                for (String c : new String[] {"Step", "State", "Finished", "Error"}) h.el("th", c);
                h.close("tr").close("thead").open("tbody");
                for (StepStatus s : group.getValue()) {
                    String state = s.state().name().toLowerCase(Locale.ROOT);
                    h.open("tr").el("td", s.displayName(), "class", "mono").open("td");
                    Pages.status(h, state);
                    h.close("td").open("td");
                    Pages.ago(h, s.finishedAt().orElse(null), v.now());
                    h.close("td").el("td", s.error().orElse(""), "class", "error").close("tr");
                }
                h.close("tbody").close("table").close("section");
            }
        });
    }

}
