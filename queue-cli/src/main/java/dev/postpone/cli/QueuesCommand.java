package dev.postpone.cli;

import dev.postpone.Postpone;
import dev.postpone.TaskSet;
import dev.postpone.admin.JobStatus;
import dev.postpone.admin.QueueCount;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code postpone queues}: how many jobs each queue has in each status. */
@Command(name = "queues", mixinStandardHelpOptions = true, description = "Job counts per queue and status.")
final class QueuesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    
    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        ConnectionOptions db = ConnectionOptions.of(spec);
        List<QueueCount> counts;
        try (Postpone client = db.client(TaskSet.of())) {
            counts = client.jobs().counts();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            JsonOutput.print(out, counts);
            return ExitCode.OK.code();
        }
        Map<String, Map<JobStatus, Long>> byQueue = new TreeMap<>();
        for (QueueCount c : counts) {
            byQueue.computeIfAbsent(c.queue(), q -> new EnumMap<>(JobStatus.class)).merge(c.status(), c.jobs(), Long::sum);
        }
        List<String> headers = new ArrayList<>(List.of("QUEUE"));
        for (JobStatus s : JobStatus.values()) headers.add(s.name());
        Table table = new Table(headers.toArray(String[]::new));
        for (Map.Entry<String, Map<JobStatus, Long>> e : byQueue.entrySet()) {
            List<Object> row = new ArrayList<>(List.of(e.getKey()));
            for (JobStatus s : JobStatus.values()) row.add(e.getValue().getOrDefault(s, 0L));
            table.row(row.toArray());
        }
        if (table.isEmpty()) out.println("no jobs");
        else table.print(out);
        out.flush();
        return ExitCode.OK.code();
    }
}
