package dev.postpone.cli;

import dev.postpone.Postpone;
import dev.postpone.TaskSet;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code postpone queues resume NAME}: workers fetch from the queue again, at once (they are notified). */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Resume a paused queue: workers serving it are woken and fetch from it again.")
final class QueuesResumeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Queue name.")
    String queue;

    @Override
    public Integer call() {
        ConnectionOptions db = ConnectionOptions.of(spec);
        boolean resumed;
        try (Postpone client = db.client(TaskSet.of())) {
            resumed = client.jobs().resume(queue);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(resumed ? "queue " + queue + " resumed" : "queue " + queue + " was not paused");
        out.flush();
        return ExitCode.OK.code();
    }
}
