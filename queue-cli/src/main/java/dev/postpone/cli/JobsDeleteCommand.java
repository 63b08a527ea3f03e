package dev.postpone.cli;

import dev.postpone.Postpone;
import dev.postpone.TaskSet;
import dev.postpone.admin.JobAction;
import dev.postpone.admin.JobStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code postpone jobs delete ID… | --queue Q …}: removes waiting or finished jobs; with {@code --older-than},
 * retention by hand (the worker's cleaner does it continuously), which asks nothing: it is meant for cron.
 */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = {
                "Delete waiting (todo) and finished jobs, never running ones.",
                "The ids given, or every job the filters select, in one statement. With filters it prints how many",
                "jobs match and asks first (--yes skips the question; without an answer it refuses with exit 7 and",
                "changes nothing).",
                "With --older-than (retention, e.g. from cron): delete the jobs that finished more than that long",
                "ago, in small batches, without asking."})
final class JobsDeleteCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JobSelectionOptions select;

    @Mixin
    OutputOptions output;

    @Option(names = "--older-than", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Retention: only finished jobs older than this, e.g. 7d, 12h (--status: finished ones,"
                    + " default succeeded,failed,cancelled).")
    Duration olderThan;

    /** What {@code --json} prints with {@code --older-than}. */
    record Result(long deleted) {
    }

    @Override
    public Integer call() {
        if (olderThan == null) {
            return new BulkJobChange(JobAction.DELETE, "deleted", "job %d deleted", Optional.empty())
                    .run(spec, select, output.json, (jobs, selection) -> jobs.delete(selection));
        }
        if (!select.ids.isEmpty() || select.queue != null || select.task != null) {
            throw new CliException(ExitCode.USAGE, "--older-than deletes finished jobs by age across all queues;"
                    + " leave it out to delete jobs by id, --queue or --task");
        }
        Set<JobStatus> statuses = select.statuses.isEmpty()
                ? EnumSet.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED) : select.statuses;
        for (JobStatus s : statuses) {
            if (!s.isFinished()) throw new CliException(ExitCode.USAGE, "--status " + s.label() + " is not a finished status;"
                    + " --older-than deletes only succeeded, failed and cancelled jobs");
        }
        long deleted;
        try (Postpone client = ConnectionOptions.of(spec).client(TaskSet.of())) {
            deleted = client.jobs().deleteFinished(olderThan, statuses);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) JsonOutput.print(out, new Result(deleted));
        else out.println("deleted " + deleted + " job" + (deleted == 1 ? "" : "s"));
        out.flush();
        return ExitCode.OK.code();
    }
}
