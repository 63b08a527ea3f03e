package dev.postpone.cli;

import dev.postpone.admin.JobAction;
import dev.postpone.admin.JobStatus;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code postpone jobs cancel ID… | --queue Q …}: cancels waiting jobs and aborts running ones. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {
                "Cancel jobs: waiting ones at once, running ones by asking their worker to stop them.",
                "Acts on the ids given, or every job the filters select, in one statement. A waiting (todo) job",
                "is cancelled at once. A running (doing) job is aborted: its worker learns within a second,",
                "interrupts the handler and records the attempt cancelled (never retried), unless the handler",
                "finishes first, whose outcome then stands; jobs show tells who asked and when. A 1.0.0 worker",
                "ignores the request and finishes the job as usual.",
                "With filters it prints how many jobs match and asks first (--yes skips the question; without a",
                "terminal or an answer on stdin it refuses with exit 7 and changes nothing).",
                "Naming a finished job exits with 6 (one already cancelled counts as done)."})
final class JobsCancelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JobSelectionOptions select;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        return new BulkJobChange(JobAction.CANCEL, "cancelled", "job %d cancelled", Optional.of(JobStatus.CANCELLED))
                .run(spec, select, output.json, (jobs, selection) -> jobs.cancel(selection));
    }
}
