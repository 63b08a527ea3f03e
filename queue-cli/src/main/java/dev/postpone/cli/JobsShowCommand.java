package dev.postpone.cli;

import dev.postpone.Postpone;
import dev.postpone.TaskSet;
import dev.postpone.admin.AbortRequest;
import dev.postpone.admin.Attempt;
import dev.postpone.admin.Job;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code postpone jobs show ID}: everything stored about one job, including every attempt and its stack trace. */
@Command(name = "show", mixinStandardHelpOptions = true, description = {
        "Show one job with its result, abort request and every attempt.",
        "After the job's fields (arguments, status, result, who asked to abort it): a table of its attempts",
        "(number, outcome, worker, start, end, duration, error), then the stack trace of each failed one.",
        "A job keeps its newest 100 attempts and the traces of the newest 20. --json prints it all as one document."})
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
        fields.put("result", job.result());
        fields.put("abort request", abortRequest(job.abortRequest()));
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
        fields.forEach((k, v) -> out.println(k + ":" + " ".repeat(width - k.length() + 1) + (v == null ? "-" : v)));
        if (job.attemptHistory().isEmpty()) {
            // Completed by a 1.0.0 worker (no history): its last error's trace is all there is.
            if (job.lastErrorTrace() != null) {
                out.println();
                out.println(job.lastErrorTrace().stripTrailing());
            }
        } else {
            printAttempts(out, job.attemptHistory());
        }
        out.flush();
        return ExitCode.OK.code();
    }

    private static String abortRequest(AbortRequest a) {
        return a == null ? null : "asked " + Times.local(a.requestedAt()) + " by " + a.requestedBy() + " (attempt " + a.attempt() + ")";
    }

    /** The attempts as a table, then each recorded stack trace under its attempt number. */
    private static void printAttempts(PrintWriter out, List<Attempt> attempts) {
        out.println();
        out.println("attempts:");
        Table table = new Table("#", "OUTCOME", "WORKER", "STARTED", "FINISHED", "TOOK", "ERROR / NOTE");
        for (Attempt a : attempts) {
            String worker = a.worker() == null ? (a.workerId() == null ? null : "id " + a.workerId())
                    : a.workerId() == null ? a.worker() : a.worker() + " (id " + a.workerId() + ")";
            String took = a.startedAt() == null || a.finishedAt() == null ? null
                    : Duration.between(a.startedAt(), a.finishedAt()).toMillis() + " ms";
            String remark = a.error() == null ? a.note() : a.note() == null ? a.error() : a.error() + "; " + a.note();
            table.row(a.number(), a.outcome(), worker, Times.local(a.startedAt()), Times.local(a.finishedAt()), took, remark);
        }
        table.print(out);
        for (Attempt a : attempts) {
            if (a.trace() == null) continue;
            out.println();
            out.println("attempt " + a.number() + " (" + a.outcome() + "):");
            out.println(a.trace().stripTrailing());
        }
    }
}
