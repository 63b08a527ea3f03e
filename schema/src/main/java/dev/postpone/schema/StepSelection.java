package dev.postpone.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The steps a migration to a target would run, and the reasons it must not run, found by comparing
 * the ledger with the catalog. Problems are collected rather than thrown so that {@code plan} and
 * {@code status} can show them; {@code migrate} refuses when there is any.
 */
record StepSelection(List<MigrationStep> pending, List<String> problems) {

    StepSelection {
        pending = List.copyOf(pending);
        problems = List.copyOf(problems);
    }

    static StepSelection select(MigrationCatalog catalog, List<AppliedStep> ledgerRows, MigrationTarget target,
                                Release release, SchemaName schema) {
        List<String> problems = new ArrayList<>(ledgerProblems(catalog, ledgerRows));
        if (!catalog.releases().contains(release) && release.compareTo(catalog.latest()) > 0) {
            problems.add("release " + release + " is newer than this migrator knows (latest: " + catalog.latest()
                    + "); use the postpone CLI of release " + release + ".");
        }
        Map<StepId, AppliedStep> done = applied(ledgerRows);
        List<MigrationStep> pending = catalog.upTo(release, target.lastPhase()).stream()
                .filter(s -> !done.containsKey(s.id()))
                .toList();
        if (!pending.isEmpty()) {
            StepId firstPending = pending.getFirst().id();
            done.keySet().stream().filter(id -> id.compareTo(firstPending) > 0).sorted().findFirst().ifPresent(later ->
                    problems.add("migration step " + pending.getFirst().displayName() + " is pending but the later step "
                            + later + " is already applied; steps run in order. Check the ledger (postpone schema status)."));
        }
        if (target == MigrationTarget.POST
                && pending.stream().anyMatch(s -> s.release().equals(release) && s.phase() == Phase.PRE)) {
            problems.add("the pre steps of " + release + " are not applied yet: run " + Commands.migrate(Phase.PRE, release, schema)
                    + ", roll out the " + release + " workers, then run --phase post (or use --phase all"
                    + " when no worker is running).");
        }
        return new StepSelection(pending, problems);
    }

    /**
     * Applied steps this jar does not know or whose file changed since. Pre steps of a release newer than
     * this jar are no problem: they are additive, so this release still runs (the rolling upgrade to
     * that release is under way). Its post steps, and unknown steps of releases this jar knows, are.
     */
    static List<String> ledgerProblems(MigrationCatalog catalog, List<AppliedStep> ledgerRows) {
        Map<StepId, MigrationStep> known = catalog.steps().stream()
                .collect(Collectors.toMap(MigrationStep::id, Function.identity()));
        List<String> problems = new ArrayList<>();
        for (AppliedStep row : applied(ledgerRows).values()) {
            MigrationStep step = known.get(row.id());
            if (step == null && row.id().phase() == Phase.PRE && row.id().release().compareTo(catalog.latest()) > 0) {
                continue;
            }
            if (step == null) {
                problems.add("the database has migration step " + row.id() + "_" + row.name()
                        + " applied, which this Postpone (" + LibraryVersion.current() + ", schema release " + Release.current() + ") does not know:"
                        + " the schema was migrated by a newer release. Use that release's postpone CLI.");
            } else if (!step.checksum().equals(row.checksum())) {
                problems.add("migration step " + step.displayName() + " was changed after it was applied"
                        + " (checksum in the database " + abbreviate(row.checksum()) + ", in this jar "
                        + abbreviate(step.checksum()) + "). Applied steps must never change; restore the original file.");
            }
        }
        return problems;
    }

    /** Releases newer than this jar whose pre steps are applied: fine for this release, worth saying. */
    static List<Release> newerPreReleases(MigrationCatalog catalog, List<AppliedStep> ledgerRows) {
        return applied(ledgerRows).keySet().stream()
                .filter(id -> id.phase() == Phase.PRE && id.release().compareTo(catalog.latest()) > 0)
                .map(StepId::release).distinct().toList();
    }

    private static Map<StepId, AppliedStep> applied(List<AppliedStep> ledgerRows) {
        return ledgerRows.stream().filter(AppliedStep::applied)
                .collect(Collectors.toMap(AppliedStep::id, Function.identity(), (a, b) -> a, java.util.TreeMap::new));
    }

    private static String abbreviate(String checksum) {
        return checksum.length() > 12 ? checksum.substring(0, 12) : checksum;
    }
}
