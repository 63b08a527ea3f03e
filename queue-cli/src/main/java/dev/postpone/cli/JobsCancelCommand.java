package dev.postpone.cli;

import dev.postpone.admin.JobAction;
import dev.postpone.admin.JobStatus;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code postpone jobs cancel ID… | --queue Q …}: cancels waiting jobs. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {
                "Cancel waiting (todo) jobs: the ids given, or every job the filters select, in one statement.",
                "With filters it prints how many jobs match and asks first (--yes skips the question; without a",
                "terminal or an answer on stdin it refuses with exit 7 and changes nothing).",
                "A running job is not interrupted; naming one exits with 6."})
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
