package dev.postpone.cli;

import dev.postpone.Postpone;
import dev.postpone.TaskSet;
import dev.postpone.admin.JobStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code postpone jobs cancel ID}: cancels a waiting job. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a waiting (todo) job. A running job is not interrupted; exit code 6 says so.")
final class JobsCancelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    
    @Parameters(paramLabel = "ID", description = "Job id.")
    long id;

    @Override
    public Integer call() {
        ConnectionOptions db = ConnectionOptions.of(spec);
        try (Postpone client = db.client(TaskSet.of())) {
            if (JobId.require(client, id).status() == JobStatus.CANCELLED) {
                spec.commandLine().getOut().println("job " + id + " was already cancelled");
                spec.commandLine().getOut().flush();
                return ExitCode.OK.code();
            }
            JobStatus after = client.jobs().cancel(id).orElseThrow(() -> JobId.notFound(client, id));
            if (after != JobStatus.CANCELLED) {
                throw new CliException(ExitCode.CONFLICT, "job " + id + " is " + after.label()
                        + "; only waiting (todo) jobs can be cancelled");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("job " + id + " cancelled");
        out.flush();
        return ExitCode.OK.code();
    }
}
