package dev.postpone.cli;

import dev.postpone.admin.JobAction;
import dev.postpone.admin.JobSelection;
import dev.postpone.admin.JobStatus;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Which jobs {@code jobs cancel}, {@code retry} and {@code delete} act on: ids, filters, and {@code --yes}. */
final class JobSelectionOptions {

    @Parameters(paramLabel = "ID", arity = "0..*", converter = JobIdConverter.class, description = "Job ids.")
    List<Long> ids = new ArrayList<>();

    @Option(names = "--queue", paramLabel = "QUEUE", description = "Only jobs of this queue.")
    String queue;

    @Option(names = "--task", paramLabel = "TASK", description = "Only jobs of this task.")
    String task;

    @Option(names = "--status", paramLabel = "STATUS", split = ",",
            description = "Only jobs in these statuses, comma-separated (default: every status the command applies to).")
    Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation when filters select the jobs (for scripts).")
    boolean yes;

    boolean isEmpty() {
        return ids.isEmpty() && queue == null && task == null && statuses.isEmpty();
    }

    /** The selection as given, narrowed to what {@code action} applies to; a status it does not apply to is a usage error. */
    JobSelection selection(JobAction action) {
        if (isEmpty()) {
            throw new CliException(ExitCode.USAGE, "name job ids, or select jobs with --queue, --task or --status"
                    + " (e.g. --status " + action.actsOn().stream().map(JobStatus::label).sorted().findFirst().orElse("todo") + ")");
        }
        JobSelection given = new JobSelection(ids, queue, task, statuses);
        try {
            return action.restrict(given);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "--status: " + e.getMessage());
        }
    }

    /** The filters in words, for the confirmation question. */
    String describe(JobSelection s) {
        List<String> parts = new ArrayList<>();
        if (!s.ids().isEmpty()) parts.add("ids " + s.ids().stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse(""));
        if (s.queue() != null) parts.add("queue " + s.queue());
        if (s.task() != null) parts.add("task " + s.task());
        parts.add("status " + EnumSet.copyOf(s.statuses()).stream().map(JobStatus::label).reduce((a, b) -> a + "," + b).orElse(""));
        return String.join(", ", parts);
    }
}
