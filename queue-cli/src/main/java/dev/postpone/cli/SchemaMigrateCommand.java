package dev.postpone.cli;

import dev.postpone.schema.PostBlockedException;
import dev.postpone.schema.MigrationResult;
import dev.postpone.schema.MigrationStep;
import dev.postpone.schema.Migrator;
import dev.postpone.schema.Release;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code postpone schema migrate}: applies pending steps up to a release's pre or post phase. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {
                "Apply the pending migration steps up to --phase of --to (default: this release).",
                "Rolling upgrade: 'migrate --phase pre --to N', roll out the N workers, then 'migrate --phase post --to N'.",
                "Fresh install, or every worker stopped: '--phase all'. Progress goes to stderr."})
final class SchemaMigrateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    
    @Mixin
    OutputOptions output;

    @Option(names = "--phase", required = true, paramLabel = "pre|post|all",
            description = "pre: additive steps, safe while old workers run; post: contracting steps, refused while"
                    + " workers of an older release are alive; all: both.")
    PhaseOption phase;

    @Mixin
    TargetReleaseOption target;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "How long one DDL statement may wait for a table lock before it is retried (default: ${DEFAULT-VALUE}).")
    Duration lockTimeout;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "2m", converter = DurationConverter.class,
            description = "How long to wait for another running migrator (default: ${DEFAULT-VALUE}).")
    Duration lockWait;

    @Option(names = "--force",
            description = "Apply post steps even while workers of an older release are registered as alive.")
    boolean force;

    /** What {@code --json} prints. */
    record Result(String schema, String target, String release, List<String> applied) {
    }

    @Override
    public Integer call() {
        ConnectionOptions db = ConnectionOptions.of(spec);
        DataSource ds = db.connect();
        Release release = target.release();
        PrintWriter err = spec.commandLine().getErr();
        Migrator migrator = Migrator.builder(ds).schema(db.schemaName()).lockTimeout(lockTimeout).lockWait(lockWait)
                .listener(new MigrationProgress(err)).build();
        MigrationResult result;
        try {
            result = migrator.migrate(phase.target(), release, force);
        } catch (PostBlockedException e) {
            throw new CliException(ExitCode.OLDER_WORKERS_ALIVE, e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        List<String> applied = result.applied().stream().map(MigrationStep::displayName).toList();
        if (output.json) {
            JsonOutput.print(out, new Result(db.schemaName().value(), phase.name(), release.toString(), applied));
        } else if (applied.isEmpty()) {
            out.println("schema " + db.schemaName() + ": nothing pending up to " + phase.stateAfter(release));
        } else {
            out.println("applied " + applied.size() + " step" + (applied.size() == 1 ? "" : "s") + "; schema "
                    + db.schemaName() + " is now at " + phase.stateAfter(release));
        }
        out.flush();
        return ExitCode.OK.code();
    }
}
