package dev.postpone.cli;

import dev.postpone.Postpone;
import dev.postpone.TaskSet;
import dev.postpone.schema.Release;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code postpone healthcheck}: for probes; the exit code is the answer. */
@Command(name = "healthcheck", mixinStandardHelpOptions = true,
        description = {"Check that the database answers and its schema serves this release.",
                "Exit 0 when healthy, 3 when the database is unreachable, 4 when the schema is not ready."})
final class HealthcheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    
    @Override
    public Integer call() {
        ConnectionOptions db = ConnectionOptions.of(spec);
        DataSource ds = db.connect();
        try (Postpone ignored = db.client(ds, TaskSet.of())) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("ok: " + db.target().address() + " answers; schema " + db.schemaName() + " serves release " + Release.current());
            out.flush();
        }
        return ExitCode.OK.code();
    }
}
