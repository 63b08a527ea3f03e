package dev.postpone.cli;

import dev.postpone.Postpone;
import dev.postpone.TaskSet;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobFilter;
import dev.postpone.admin.JobStatus;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code postpone jobs list}: the newest jobs matching a filter. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List jobs, newest first.")
final class JobsListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    
    @Mixin
    OutputOptions output;

    @Option(names = "--queue", paramLabel = "QUEUE", description = "Only jobs of this queue.")
    String queue;

    @Option(names = "--task", paramLabel = "TASK", description = "Only jobs of this task.")
    String task;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only jobs in this status: ${COMPLETION-CANDIDATES}.")
    JobStatus status;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most this many (default: ${DEFAULT-VALUE}, up to 10000).")
    int limit;

    @Override
    public Integer call() {
        ConnectionOptions db = ConnectionOptions.of(spec);
        JobFilter filter;
        try {
            filter = JobFilter.all().queue(queue).task(task).status(status).limit(limit);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "--limit: " + e.getMessage());
        }
        List<Job> jobs;
        try (Postpone client = db.client(TaskSet.of())) {
            jobs = client.jobs().list(filter).jobs();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            JsonOutput.print(out, jobs);
            return ExitCode.OK.code();
        }
        Table table = new Table("ID", "QUEUE", "TASK", "STATUS", "ATTEMPTS", "PRIORITY", "SCHEDULED", "CREATED", "LAST ERROR");
        for (Job j : jobs) {
            table.row(j.id(), j.queue(), j.task(), j.status().label(), j.attempts() + "/" + j.maxAttempts(), j.priority(),
                    Times.local(j.scheduledAt()), Times.local(j.createdAt()), j.lastError());
        }
        if (table.isEmpty()) out.println("no jobs match");
        else table.print(out);
        out.flush();
        return ExitCode.OK.code();
    }
}
