package dev.postpone.cli;

import dev.postpone.Postpone;
import dev.postpone.TaskSet;
import dev.postpone.admin.ChangedJob;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobAction;
import dev.postpone.admin.JobAdmin;
import dev.postpone.admin.JobSelection;
import dev.postpone.admin.JobStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The one flow of {@code jobs cancel}, {@code retry} and {@code delete}: select, count and confirm when
 * filters chose the jobs (ids named one by one need no question), change them in one statement, print
 * the count, and explain every named id that was not changed. A refused question changes nothing.
 *
 * @param action   what the command does
 * @param done     past tense for the result line ("cancelled")
 * @param jobDone  the line for one named job changed, e.g. "job %d cancelled"
 * @param settled  the status a named job may already be in for the command to count as done
 */
record BulkJobChange(JobAction action, String done, String jobDone, Optional<JobStatus> settled) {

    /** The line for a named running job that cancel asked its worker to stop (only cancel returns doing jobs). */
    private static final String ABORT_REQUESTED = "job %d is running: asked its worker to stop it (it ends cancelled unless it finishes first)";

    /** What {@code --json} prints. */
    record Result(String action, long changed, List<ChangedJob> jobs) {
    }

    int run(CommandSpec spec, JobSelectionOptions options, boolean json, BiFunction<JobAdmin, JobSelection, List<ChangedJob>> change) {
        JobSelection selection = options.selection(action);
        boolean named = new JobSelection(options.ids, options.queue, options.task, options.statuses).onlyIds();
        PrintWriter out = spec.commandLine().getOut();
        List<ChangedJob> changed;
        List<CliException> problems = new ArrayList<>();
        List<Long> alreadySettled = new ArrayList<>();
        try (Postpone client = ConnectionOptions.of(spec).client(TaskSet.of())) {
            if (!named) {
                long matching = client.jobs().count(selection);
                if (matching == 0) {
                    out.println("no jobs match (" + options.describe(selection) + "); nothing to " + action.verb());
                    out.flush();
                    return ExitCode.OK.code();
                }
                if (!options.yes) confirm(spec, matching, options.describe(selection));
            }
            changed = change.apply(client.jobs(), selection);
            if (named) problems = unchanged(client, options.ids, changed, alreadySettled);
        }
        if (json) {
            JsonOutput.print(out, new Result(action.verb(), changed.size(), changed));
        } else if (named) {
            changed.forEach(j -> out.println(j.status() == JobStatus.DOING ? ABORT_REQUESTED.formatted(j.id()) : jobDone.formatted(j.id())));
            alreadySettled.forEach(id -> out.println("job " + id + " was already " + settled.orElseThrow().label()));
        } else {
            long running = changed.stream().filter(j -> j.status() == JobStatus.DOING).count();
            long rest = changed.size() - running;
            out.println(done + " " + rest + " job" + (rest == 1 ? "" : "s") + (running == 0 ? ""
                    : "; asked the workers of " + running + " running job" + (running == 1 ? "" : "s") + " to stop "
                    + (running == 1 ? "it" : "them") + " (each ends cancelled unless it finishes first)"));
        }
        out.flush();
        if (problems.isEmpty()) return ExitCode.OK.code();
        if (problems.size() == 1) throw problems.getFirst();
        ExitCode code = problems.stream().anyMatch(p -> p.exitCode() == ExitCode.NOT_FOUND) ? ExitCode.NOT_FOUND : ExitCode.CONFLICT;
        throw new CliException(code, problems.stream().map(Throwable::getMessage).collect(Collectors.joining("; ")));
    }

    /** Asks on stderr, reads the answer from stdin; no answer (no terminal, empty stdin) is a no. */
    private void confirm(CommandSpec spec, long matching, String what) {
        PrintWriter err = spec.commandLine().getErr();
        String jobs = matching + " job" + (matching == 1 ? "" : "s");
        err.print(action.verb() + " " + jobs + " (" + what + ")? [y/N] ");
        err.flush();
        String answer;
        try {
            answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null) err.println();
        String a = answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
        if (!a.equals("y") && !a.equals("yes")) {
            throw new CliException(ExitCode.NOT_CONFIRMED, (answer == null ? "no answer on stdin" : "not confirmed")
                    + "; nothing " + done + " (" + jobs + (matching == 1 ? " matches" : " match") + "; pass --yes to " + action.verb() + " them without asking)");
        }
    }

    /** Why each named id was not changed: no such job, or a status the command does not apply to. */
    private List<CliException> unchanged(Postpone client, List<Long> ids, List<ChangedJob> changed, List<Long> alreadySettled) {
        Set<Long> done = changed.stream().map(ChangedJob::id).collect(Collectors.toSet());
        List<CliException> problems = new ArrayList<>();
        for (long id : ids) {
            if (done.contains(id)) continue;
            Optional<Job> job = client.jobs().get(id);
            if (job.isEmpty()) {
                problems.add(JobId.notFound(client, id));
            } else if (settled.isPresent() && job.get().status() == settled.get()) {
                alreadySettled.add(id);
            } else {
                problems.add(new CliException(ExitCode.CONFLICT, "job " + id + " is " + job.get().status().label() + "; "
                        + action.verb() + " applies to " + action.actsOn().stream().map(JobStatus::label).sorted()
                        .collect(Collectors.joining(", ")) + " jobs"));
            }
        }
        return problems;
    }
}
