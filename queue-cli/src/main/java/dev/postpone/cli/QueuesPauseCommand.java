package dev.postpone.cli;

import dev.postpone.Postpone;
import dev.postpone.TaskSet;
import dev.postpone.admin.QueuePause;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code postpone queues pause NAME}: no 1.1.0+ worker fetches from the queue until it is resumed. */
@Command(name = "pause", mixinStandardHelpOptions = true,
        description = {"Pause a queue for every worker: none fetches from it until it is resumed.",
                "Running jobs finish; deferring to it still works. 1.0.0 workers do not know about pauses."})
final class QueuesPauseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Queue name.")
    String queue;

    @Override
    public Integer call() throws Exception {
        ConnectionOptions db = ConnectionOptions.of(spec);
        String by = System.getProperty("user.name") + "@" + java.net.InetAddress.getLocalHost().getHostName();
        QueuePause pause;
        try (Postpone client = db.client(TaskSet.of())) {
            pause = client.jobs().pause(queue, by);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("queue " + pause.queue() + " paused since " + pause.pausedAt()
                + (pause.pausedBy() == null ? "" : " by " + pause.pausedBy()));
        out.flush();
        return ExitCode.OK.code();
    }
}
