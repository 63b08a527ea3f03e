package dev.postpone.cli;

import dev.postpone.schema.MigrationCatalog;
import dev.postpone.schema.MigrationStep;
import dev.postpone.schema.Phase;
import dev.postpone.schema.Release;
import dev.postpone.schema.SchemaName;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code postpone schema print}: every step's SQL, for DBAs who apply migrations themselves. */
@Command(name = "print", mixinStandardHelpOptions = true,
        description = {
                "Print the SQL of every migration step up to --phase of --to for --schema, in order, without connecting.",
                "For DBAs who apply it themselves: each step is followed by the ledger row the migrator would write;",
                "keep those rows, or a later 'postpone schema migrate' will try to apply the steps again.",
                "Steps marked 'not in a transaction' (CREATE INDEX CONCURRENTLY) must run outside BEGIN/COMMIT."})
final class SchemaPrintCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--phase", paramLabel = "pre|post|all", defaultValue = "all",
            description = "Up to which phase of --to (default: ${DEFAULT-VALUE}).")
    PhaseOption phase;

    @Mixin
    TargetReleaseOption target;

    @Override
    public Integer call() {
        SchemaName name = ConnectionOptions.of(spec).schemaName();
        Release release = target.release();
        Phase last = phase == PhaseOption.pre ? Phase.PRE : Phase.POST;
        List<MigrationStep> steps = MigrationCatalog.bundled().upTo(release, last);
        PrintWriter out = spec.commandLine().getOut();
        out.println("-- Postpone schema migrations up to " + release + " " + phase + ", for schema " + name + ".");
        out.println("-- Apply in this order. The insert after each step records it in the ledger, as the migrator does.");
        out.println();
        out.println("create schema if not exists " + name.quoted() + ";");
        out.println("set search_path to " + name.quoted() + ";");
        out.println();
        out.println(LedgerSql.createTable());
        for (MigrationStep step : steps) {
            out.println();
            out.println("-- step " + step.displayName() + (step.transactional() ? "" : " (not in a transaction)"));
            if (step.transactional()) out.println("begin;");
            out.println(step.sql().strip());
            out.println(LedgerSql.insertApplied(name, step));
            if (step.transactional()) out.println("commit;");
        }
        out.flush();
        return ExitCode.OK.code();
    }
}
