package dev.postpone.cli;

import dev.postpone.schema.MigrationPlan;
import dev.postpone.schema.Migrator;
import dev.postpone.schema.PlannedStep;
import dev.postpone.schema.Release;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code postpone schema plan}: what migrate would do now, with an exit code a deploy script can branch on. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {
                "Show the steps 'migrate' would apply now, and what would make it refuse; applies nothing.",
                "Exit 0: nothing pending. 10: steps pending. 11: post steps wait for older workers. 12: migrate would refuse."})
final class SchemaPlanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--phase", paramLabel = "pre|post|all", defaultValue = "all",
            description = "Up to which phase of --to (default: ${DEFAULT-VALUE}).")
    PhaseOption phase;

    @Mixin
    TargetReleaseOption target;

    @Option(names = "--sql", description = "Also print each pending step's SQL.")
    boolean sql;

    @Override
    public Integer call() {
        ConnectionOptions db = ConnectionOptions.of(spec);
        DataSource ds = db.connect();
        Release release = target.release();
        MigrationPlan plan = Migrator.builder(ds).schema(db.schemaName()).build().plan(phase.target(), release);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            JsonOutput.print(out, plan);
        } else {
            print(plan, db, release, out);
        }
        out.flush();
        return exitCode(plan).code();
    }

    private void print(MigrationPlan plan, ConnectionOptions db, Release release, PrintWriter out) {
        if (plan.upToDate()) {
            out.println("schema " + db.schemaName() + ": nothing pending up to " + phase.stateAfter(release));
            return;
        }
        out.println(plan.steps().size() + " step" + (plan.steps().size() == 1 ? "" : "s") + " pending for schema "
                + db.schemaName() + " up to " + phase.stateAfter(release) + ":");
        for (PlannedStep step : plan.steps()) {
            out.println("  " + step.displayName() + (step.transactional() ? "" : " (not in a transaction)"));
            if (sql) {
                out.println();
                step.sql().strip().lines().forEach(l -> out.println("    " + l));
                out.println();
            }
        }
        plan.problems().forEach(p -> out.println("problem: " + p));
    }

    private static ExitCode exitCode(MigrationPlan plan) {
        if (plan.upToDate()) return ExitCode.OK;
        if (plan.runnable()) return ExitCode.PENDING;
        boolean onlyOlderWorkers = plan.problems().stream().allMatch(p -> p.startsWith("refusing the post steps"));
        return onlyOlderWorkers ? ExitCode.OLDER_WORKERS_ALIVE : ExitCode.BLOCKED;
    }
}
