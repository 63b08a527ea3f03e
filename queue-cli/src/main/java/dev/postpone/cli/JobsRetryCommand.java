package dev.postpone.cli;

import dev.postpone.Postpone;
import dev.postpone.TaskSet;
import dev.postpone.admin.JobStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code postpone jobs retry ID}: puts a failed or cancelled job back in its queue. */
@Command(name = "retry", mixinStandardHelpOptions = true,
        description = "Put a failed or cancelled job back to todo, allowing one more attempt.")
final class JobsRetryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    
    @Parameters(paramLabel = "ID", description = "Job id.")
    long id;

    @Option(names = "--at", paramLabel = "TIME", converter = InstantConverter.class,
            description = "Run no earlier than this ISO-8601 time (default: now).")
    Instant at;

    @Override
    public Integer call() {
        ConnectionOptions db = ConnectionOptions.of(spec);
        try (Postpone client = db.client(TaskSet.of())) {
            JobStatus after = client.jobs().retry(id, at).orElseThrow(() -> JobId.notFound(client, id));
            if (after != JobStatus.TODO) {
                throw new CliException(ExitCode.CONFLICT, "job " + id + " is " + after.label()
                        + "; only failed or cancelled jobs can be retried");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("job " + id + " is waiting again (todo)");
        out.flush();
        return ExitCode.OK.code();
    }
}
