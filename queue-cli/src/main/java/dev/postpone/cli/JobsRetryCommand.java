package dev.postpone.cli;

import dev.postpone.admin.JobAction;
import dev.postpone.admin.JobStatus;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code postpone jobs retry ID… | --queue Q …}: puts failed or cancelled jobs back in their queue. */
@Command(name = "retry", mixinStandardHelpOptions = true,
        description = {
                "Put failed or cancelled jobs back to todo, allowing one more attempt each.",
                "The ids given, or every job the filters select, in one statement. With filters it prints how many",
                "jobs match and asks first (--yes skips the question; without an answer it refuses with exit 7 and",
                "changes nothing)."})
final class JobsRetryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JobSelectionOptions select;

    @Mixin
    OutputOptions output;

    @Option(names = "--at", paramLabel = "TIME", converter = InstantConverter.class,
            description = "Run no earlier than this ISO-8601 time (default: now).")
    Instant at;

    @Override
    public Integer call() {
        return new BulkJobChange(JobAction.RETRY, "retried", "job %d is waiting again (todo)", Optional.of(JobStatus.TODO))
                .run(spec, select, output.json, (jobs, selection) -> jobs.retry(selection, at));
    }
}
