package dev.postpone.cli;

import dev.postpone.Postpone;
import dev.postpone.TaskSet;
import dev.postpone.admin.WorkerInfo;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code postpone workers}: registered workers with their release and last heartbeat. */
@Command(name = "workers", mixinStandardHelpOptions = true,
        description = {"Registered workers: name, host, pid, release, queues and last heartbeat.",
                "Before 'schema migrate --phase post', no worker of an older release should be listed."})
final class WorkersCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    
    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        ConnectionOptions db = ConnectionOptions.of(spec);
        List<WorkerInfo> workers;
        try (Postpone client = db.client(TaskSet.of())) {
            workers = client.jobs().workers();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            JsonOutput.print(out, workers);
            return ExitCode.OK.code();
        }
        Instant now = Instant.now();
        Table table = new Table("ID", "NAME", "HOST", "PID", "RELEASE", "QUEUES", "CONCURRENCY", "STARTED", "LAST HEARTBEAT");
        for (WorkerInfo w : workers) {
            table.row(w.id(), w.name(), w.host(), w.pid(), w.release(), w.queues().isEmpty() ? "all" : String.join(",", w.queues()),
                    w.concurrency(), Times.local(w.startedAt()), Times.ago(w.lastHeartbeat(), now));
        }
        if (table.isEmpty()) out.println("no workers registered");
        else table.print(out);
        out.flush();
        return ExitCode.OK.code();
    }
}
