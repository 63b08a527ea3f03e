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
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

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

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", converter = LimitConverter.class,
            description = "At most this many (default: ${DEFAULT-VALUE}, up to 10000).")
    int limit;

    @Override
    public Integer call() {
        ConnectionOptions db = ConnectionOptions.of(spec);
        JobFilter filter = JobFilter.all().queue(queue).task(task).status(status).limit(limit);
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

    /** {@code --limit}, checked while parsing (the range {@link JobFilter} takes) so the message names the option. */
    static final class LimitConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n = IntegerText.parse(value);
            if (n < 1 || n > 10_000) throw new TypeConversionException("must be between 1 and 10000, not " + n);
            return n;
        }
    }
}
