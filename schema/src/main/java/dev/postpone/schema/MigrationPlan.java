package dev.postpone.schema;

import java.util.List;

/**
 * What {@code migrate(target, release)} would do now: the pending steps in order, and the problems
 * that would make it refuse (a changed or unknown applied step, pre not applied before post, older
 * workers alive before post). A plan is computed without the migration lock, so it describes the
 * moment it was taken.
 */
public record MigrationPlan(MigrationTarget target, Release release, List<PlannedStep> steps, List<String> problems) {

    public MigrationPlan {
        steps = List.copyOf(steps);
        problems = List.copyOf(problems);
    }

    /** True when migrate would apply the steps (it may still wait for the migration lock). */
    public boolean runnable() {
        return problems.isEmpty();
    }

    /** True when there is nothing to run and nothing in the way. */
    public boolean upToDate() {
        return steps.isEmpty() && problems.isEmpty();
    }
}
