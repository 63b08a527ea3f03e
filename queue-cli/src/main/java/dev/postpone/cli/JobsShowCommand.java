package dev.postpone.cli;

import dev.postpone.Postpone;
import dev.postpone.TaskSet;
import dev.postpone.admin.Job;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code postpone jobs show ID}: everything stored about one job, including its last error's trace. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show one job with its arguments and last error.")
final class JobsShowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    
    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "ID", converter = JobIdConverter.class, description = "Job id.")
    long id;

    @Override
    public Integer call() {
        ConnectionOptions db = ConnectionOptions.of(spec);
        Job job;
        try (Postpone client = db.client(TaskSet.of())) {
            job = JobId.require(client, id);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            JsonOutput.print(out, job);
            return ExitCode.OK.code();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", job.id());
        fields.put("task", job.task());
        fields.put("queue", job.queue());
        fields.put("status", job.status().label());
        fields.put("arguments", job.args());
        fields.put("priority", job.priority());
        fields.put("attempts", job.attempts() + " of " + job.maxAttempts());
        fields.put("scheduled at", Times.local(job.scheduledAt()));
        fields.put("lock", job.lock());
        fields.put("queueing lock", job.queueingLock());
        fields.put("worker", job.workerId());
        fields.put("created at", Times.local(job.createdAt()));
        fields.put("started at", Times.local(job.startedAt()));
        fields.put("finished at", Times.local(job.finishedAt()));
        fields.put("last error", job.lastError());
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
        fields.forEach((k, v) -> out.println(k + ":" + " ".repeat(width - k.length() + 1) + (v == null ? "-" : v)));
        if (job.lastErrorTrace() != null) {
            out.println();
            out.println(job.lastErrorTrace().stripTrailing());
        }
        out.flush();
        return ExitCode.OK.code();
    }
}
