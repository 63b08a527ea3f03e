package dev.postpone.cli;

import dev.postpone.Postpone;
import dev.postpone.TaskSet;
import dev.postpone.admin.JobStatus;
import dev.postpone.admin.QueueCount;
import dev.postpone.admin.QueuePause;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code postpone queues}: how many jobs each queue has in each status, and which queues are paused.
 * Waiting and running counts are exact; finished ones of a large table are estimates, marked {@code ~}.
 */
@Command(name = "queues", mixinStandardHelpOptions = true,
        description = {"Job counts per queue and status, and which queues are paused (since when, by whom).",
                "TODO and DOING are exact; finished counts of a large table are estimated from a sample, shown as ~N.",
                "Pause and resume a queue for every worker with the subcommands."},
        subcommands = {QueuesPauseCommand.class, QueuesResumeCommand.class})
final class QueuesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    
    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        ConnectionOptions db = ConnectionOptions.of(spec);
        List<QueueCount> counts;
        Map<String, QueuePause> pauses = new TreeMap<>();
        try (Postpone client = db.client(TaskSet.of())) {
            counts = client.jobs().counts();
            for (QueuePause p : client.jobs().pausedQueues()) pauses.put(p.queue(), p);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            // Kept as the 1.0 array of counts, so scripts reading it keep working ("estimated" was added in 1.1).
            JsonOutput.print(out, counts);
            return ExitCode.OK.code();
        }
        Map<String, Map<JobStatus, Long>> byQueue = new TreeMap<>();
        boolean anyEstimated = false;
        for (QueueCount c : counts) {
            byQueue.computeIfAbsent(c.queue(), q -> new EnumMap<>(JobStatus.class)).merge(c.status(), c.jobs(), Long::sum);
            anyEstimated |= c.estimated();
        }
        // Finished jobs are estimated for the whole table or not at all (queue_counts_v2 decides by its size),
        // so a queue or status absent from the sample shows ~0 too.
        Set<JobStatus> estimatedStatuses = anyEstimated
                ? EnumSet.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED) : EnumSet.noneOf(JobStatus.class);
        // A paused queue is listed even when it has no jobs.
        for (String q : pauses.keySet()) byQueue.computeIfAbsent(q, k -> new EnumMap<>(JobStatus.class));
        List<String> headers = new ArrayList<>(List.of("QUEUE"));
        for (JobStatus s : JobStatus.values()) headers.add(s.name());
        headers.add("PAUSED");
        Table table = new Table(headers.toArray(String[]::new));
        for (Map.Entry<String, Map<JobStatus, Long>> e : byQueue.entrySet()) {
            List<Object> row = new ArrayList<>(List.of(e.getKey()));
            for (JobStatus s : JobStatus.values()) {
                long n = e.getValue().getOrDefault(s, 0L);
                row.add(estimatedStatuses.contains(s) ? "~" + n : n);
            }
            QueuePause p = pauses.get(e.getKey());
            row.add(p == null ? "-" : "since " + p.pausedAt() + (p.pausedBy() == null ? "" : " by " + p.pausedBy()));
            table.row(row.toArray());
        }
        if (table.isEmpty()) {
            out.println("no jobs");
        } else {
            table.print(out);
            if (!estimatedStatuses.isEmpty()) {
                out.println("~ estimated from a sample of the jobs table (" + estimatedStatuses.stream().map(JobStatus::name)
                        .collect(Collectors.joining(", ")) + "); TODO and DOING are exact");
            }
        }
        out.flush();
        return ExitCode.OK.code();
    }
}
