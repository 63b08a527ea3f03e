package dev.postpone.cli;

import dev.postpone.schema.LiveClient;
import dev.postpone.schema.LiveWorker;
import dev.postpone.schema.Migrator;
import dev.postpone.schema.SchemaStatus;
import dev.postpone.schema.StepStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code postpone schema status}: every step's state, live workers, and the next safe action. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show every migration step's state, the live workers and their releases, and what is safe to run next.")
final class SchemaStatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        ConnectionOptions db = ConnectionOptions.of(spec);
        SchemaStatus status = Migrator.builder(db.connect()).schema(db.schemaName()).build().status();
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            JsonOutput.print(out, status);
            return ExitCode.OK.code();
        }
        Table steps = new Table("RELEASE", "PHASE", "STEP", "STATE", "FINISHED", "ERROR");
        for (StepStatus s : status.steps()) {
            steps.row(s.release(), s.phase().label(), s.displayName(), s.state().name().toLowerCase(Locale.ROOT),
                    s.finishedAt().map(Times::local).orElse(null), s.error().orElse(null));
        }
        out.println("schema " + status.schema());
        out.println();
        steps.print(out);
        out.println();
        if (status.liveWorkers().isEmpty()) {
            out.println("live workers: none");
        } else {
            Instant now = Instant.now();
            Table workers = new Table("WORKER", "NAME", "HOST", "PID", "RELEASE", "LAST HEARTBEAT");
            for (LiveWorker w : status.liveWorkers()) {
                workers.row(w.id(), w.name(), w.host(), w.pid(), w.release(), Times.ago(w.lastHeartbeat(), now));
            }
            workers.print(out);
        }
        if (!status.liveClients().isEmpty()) {
            Instant now = Instant.now();
            Table clients = new Table("CLIENT", "NAME", "HOST", "PID", "VERSION", "LAST SEEN");
            for (LiveClient c : status.liveClients()) {
                clients.row(c.id(), c.name(), c.host(), c.pid(), c.version(), Times.ago(c.lastSeen(), now));
            }
            clients.print(out);
        }
        out.println("migration lock: " + status.lockHolder().map(h -> "held by " + h).orElse("free"));
        status.problems().forEach(p -> out.println("problem: " + p));
        out.println("next: " + status.nextSafeAction());
        out.flush();
        return ExitCode.OK.code();
    }
}
