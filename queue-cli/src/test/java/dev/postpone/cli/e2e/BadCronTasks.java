package dev.postpone.cli.e2e;

import dev.postpone.Task;
import dev.postpone.worker.PeriodicTask;

/** An application whose static initialiser fails on a bad cron expression, as a user's typo would. */
public final class BadCronTasks {

    public record Report(String name) {
    }

    public static final Task<Report> REPORT = Task.named("bad-cron-report", Report.class)
            .action((ctx, report) -> { });

    public static final PeriodicTask<Report> HOURLY = PeriodicTask.of(REPORT, "61 * * * *", new Report("hourly"));

    private BadCronTasks() {
    }
}
