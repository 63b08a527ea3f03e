package dev.postpone.cli;

import dev.postpone.Postpone;
import dev.postpone.TaskSet;
import dev.postpone.admin.JobStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code postpone jobs delete --older-than D}: retention by hand (the worker's cleaner does it continuously). */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete finished jobs that finished more than --older-than ago, in small batches.")
final class JobsDeleteCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    
    @Mixin
    OutputOptions output;

    @Option(names = "--older-than", required = true, paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Age of the finish time, e.g. 7d, 12h.")
    Duration olderThan;

    @Option(names = "--status", paramLabel = "STATUS", split = ",",
            description = "Finished statuses to delete, comma-separated (default: succeeded,failed,cancelled).")
    Set<JobStatus> statuses = EnumSet.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED);

    /** What {@code --json} prints. */
    record Result(long deleted) {
    }

    @Override
    public Integer call() {
        ConnectionOptions db = ConnectionOptions.of(spec);
        for (JobStatus s : statuses) {
            if (!s.isFinished()) throw new CliException(ExitCode.USAGE, "--status " + s.label() + " is not a finished status;"
                    + " only succeeded, failed and cancelled jobs can be deleted");
        }
        long deleted;
        try (Postpone client = db.client(TaskSet.of())) {
            deleted = client.jobs().deleteFinished(olderThan, statuses);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) JsonOutput.print(out, new Result(deleted));
        else out.println("deleted " + deleted + " job" + (deleted == 1 ? "" : "s"));
        out.flush();
        return ExitCode.OK.code();
    }
}
