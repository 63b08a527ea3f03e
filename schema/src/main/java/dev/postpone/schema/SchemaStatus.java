package dev.postpone.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A schema's migration state as an operator needs it: every step with its state, the live workers
 * and their releases, who holds the migration lock, problems that block migrate, and the next safe
 * action as one sentence with the exact command.
 */
public record SchemaStatus(
        SchemaName schema,
        List<StepStatus> steps,
        List<LiveWorker> liveWorkers,
        List<LiveClient> liveClients,
        Optional<String> lockHolder,
        List<String> problems,
        String nextSafeAction) {

    public SchemaStatus {
        steps = List.copyOf(steps);
        liveWorkers = List.copyOf(liveWorkers);
        liveClients = List.copyOf(liveClients);
        problems = List.copyOf(problems);
    }

    /** The steps grouped by release and phase ({@code "1.0.0 pre"}), in migration order. */
    public Map<String, List<StepStatus>> byReleaseAndPhase() {
        return steps.stream().collect(Collectors.groupingBy(s -> s.release() + " " + s.phase().label(),
                LinkedHashMap::new, Collectors.toList()));
    }

    static SchemaStatus of(SchemaName schema, MigrationCatalog catalog, List<AppliedStep> ledgerRows,
                           List<LiveWorker> workers, List<LiveClient> clients,
                           Optional<PostGuard.Blockers> postBlockers, Optional<String> lockHolder) {
        Map<StepId, AppliedStep> rows = ledgerRows.stream().collect(Collectors.toMap(AppliedStep::id, Function.identity()));
        Map<StepId, StepStatus> steps = new TreeMap<>();
        for (MigrationStep step : catalog.steps()) {
            AppliedStep row = rows.get(step.id());
            StepState state = row == null ? StepState.PENDING : StepState.ofLedger(row.state());
            steps.put(step.id(), new StepStatus(step.id(), step.displayName(), state,
                    Optional.ofNullable(row).map(AppliedStep::finishedAt), Optional.ofNullable(row).map(AppliedStep::error)));
        }
        for (AppliedStep row : ledgerRows) {
            steps.computeIfAbsent(row.id(), id -> new StepStatus(id, id + "_" + row.name(), StepState.UNKNOWN,
                    Optional.ofNullable(row.finishedAt()), Optional.ofNullable(row.error())));
        }
        List<StepStatus> ordered = new ArrayList<>(steps.values());
        List<String> problems = StepSelection.ledgerProblems(catalog, ledgerRows);
        String next = nextSafeAction(schema, ordered, postBlockers, lockHolder, problems);
        List<Release> newer = StepSelection.newerPreReleases(catalog, ledgerRows);
        if (!newer.isEmpty()) {
            next += "; steps of a newer release are applied (pre of " + newer.stream().map(Release::toString)
                    .collect(Collectors.joining(", ")) + "): fine for this release, use the newer release's CLI to go on";
        }
        return new SchemaStatus(schema, ordered, workers, clients, lockHolder, problems, next);
    }

    private static String nextSafeAction(SchemaName schema, List<StepStatus> steps, Optional<PostGuard.Blockers> postBlockers,
                                         Optional<String> lockHolder, List<String> problems) {
        if (lockHolder.isPresent()) return "wait: a migrator is running (" + lockHolder.get() + ")";
        if (!problems.isEmpty()) return "fix first: " + problems.getFirst();
        // Steps this jar does not know (a newer release's) are for that release's CLI to act on.
        Optional<StepStatus> first = steps.stream().filter(s -> s.state() != StepState.APPLIED && s.state() != StepState.UNKNOWN).findFirst();
        if (first.isEmpty()) return "up to date";
        if (steps.stream().allMatch(s -> s.state() == StepState.PENDING)) {
            // Nothing installed yet, so no worker can be running: both phases at once.
            return "fresh install; run: " + Commands.install(steps.getLast().release(), schema);
        }
        StepStatus step = first.get();
        String command = Commands.migrate(step.phase(), step.release(), schema);
        return switch (step.state()) {
            case FAILED -> "step " + step.displayName() + " failed (" + step.error().orElse("no error recorded")
                    + "); fix the cause, then run: " + command;
            case RUNNING -> "step " + step.displayName() + " was left running by a migrator that stopped; run: " + command;
            case PENDING -> step.phase() == Phase.PRE ? "run: " + command : postAction(schema, step.release(), postBlockers, command);
            case APPLIED, UNKNOWN -> throw new IllegalStateException("unreachable: " + step);
        };
    }

    private static String postAction(SchemaName schema, Release release, Optional<PostGuard.Blockers> blockers, String command) {
        if (blockers.isEmpty() || blockers.get().none()) return "run: " + command;
        return "post of " + release + " is pending; wait for " + blockers.get().summary() + " to stop or upgrade ("
                + blockers.get().describe() + "; " + Commands.workers(schema) + " lists the workers), then run: " + command;
    }
}
