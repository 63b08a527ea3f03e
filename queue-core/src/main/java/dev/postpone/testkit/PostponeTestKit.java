package dev.postpone.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpone.Postpone;
import dev.postpone.PostponeException;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobFilter;
import dev.postpone.admin.JobPage;
import dev.postpone.admin.JobStatus;
import dev.postpone.internal.DatabaseErrors;
import dev.postpone.internal.FetchedJob;
import dev.postpone.internal.FinishedAttempt;
import dev.postpone.internal.JobRunner;
import dev.postpone.internal.JobStore;
import dev.postpone.internal.Json;
import dev.postpone.internal.Outcome;
import dev.postpone.internal.WorkerRegistration;
import dev.postpone.schema.LibraryVersion;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * For application tests: assert that a task was deferred with given arguments, and run deferred jobs
 * inline on the calling thread, without a worker. It works on the real database through the same
 * functions the worker uses (like Oban's testing helpers), so what passes here runs in production.
 *
 * <pre>{@code
 * PostponeTestKit kit = PostponeTestKit.of(postpone, tasks);
 * signUp.register("ada@example.com");                      // code under test defers a job
 * kit.assertDeferred(SEND_WELCOME, new Welcome("ada@example.com"));
 * RunSummary run = kit.runDeferred();                      // runs it, here and now
 * assertThat(run.succeeded()).isEqualTo(1);
 * }</pre>
 */
public final class PostponeTestKit {

    static final String WORKER_NAME = "inline";
    private static final int PAGE = 1000;

    private final Postpone postpone;
    private final TaskSet tasks;
    private final JobStore store;
    private final Json json;
    private final JobRunner runner;

    private PostponeTestKit(Postpone postpone, TaskSet tasks) {
        this.postpone = postpone;
        this.tasks = tasks;
        this.store = new JobStore(postpone.schema());
        this.json = new Json(postpone.objectMapper());
        this.runner = new JobRunner(tasks, json, Clock.systemUTC());
    }

    /** A test kit running jobs with {@code tasks}, on {@code postpone}'s database and schema. */
    public static PostponeTestKit of(Postpone postpone, TaskSet tasks) {
        return new PostponeTestKit(postpone, tasks);
    }

    /** A test kit using the tasks the client was built with. */
    public static PostponeTestKit of(Postpone postpone) {
        return new PostponeTestKit(postpone, postpone.tasks());
    }

    /** Arguments of the waiting jobs of {@code task}, oldest first. */
    public <A> List<A> deferred(Task<A> task) {
        List<A> args = new ArrayList<>();
        for (Job job : waiting(task.name())) args.add(json.read(job.args(), task.argsType(), task.name(), job.id()));
        return args;
    }

    /** Fails unless a waiting job of {@code task} has arguments equal (as JSON) to {@code args}. */
    public <A> void assertDeferred(Task<A> task, A args) {
        JsonNode expected = json.mapper().valueToTree(args);
        List<Job> jobs = waiting(task.name());
        for (Job job : jobs) {
            if (tree(job).equals(expected)) return;
        }
        throw new AssertionError("expected a waiting job of task '" + task.name() + "' with arguments " + expected
                + ", but " + (jobs.isEmpty() ? "none is waiting" : "the waiting ones have: "
                + jobs.stream().map(j -> tree(j).toString()).toList()));
    }

    /** Fails if any job of {@code task} is waiting. */
    public void assertNothingDeferred(Task<?> task) {
        List<Job> jobs = waiting(task.name());
        if (!jobs.isEmpty()) {
            throw new AssertionError("expected no waiting job of task '" + task.name() + "', found " + jobs.size()
                    + " (ids " + jobs.stream().map(Job::id).toList() + ")");
        }
    }

    /**
     * Runs every due waiting job (of all queues) inline, including jobs those jobs defer and retries
     * due at once, until none is due. Jobs scheduled for later are left waiting.
     */
    public RunSummary runDeferred() {
        return runDeferred(List.of());
    }

    /** Like {@link #runDeferred()}, only for the given queues. */
    public RunSummary runDeferred(List<String> queues) {
        int succeeded = 0, failed = 0, retried = 0;
        try (Connection c = postpone.dataSource().getConnection()) {
            long workerId = store.registerWorker(c, new WorkerRegistration(WORKER_NAME, "localhost",
                    ProcessHandle.current().pid(), LibraryVersion.current(), queues.isEmpty() ? null : queues, 1,
                    Duration.ofMinutes(5), false), Instant.now());
            try {
                for (List<FetchedJob> batch; !(batch = store.fetch(c, workerId, queues, 100)).isEmpty(); ) {
                    List<FinishedAttempt> outcomes = new ArrayList<>(batch.size());
                    for (FetchedJob job : batch) {
                        Instant started = Instant.now();
                        Outcome o = runner.run(job, new InlineJobContext(job)).outcome();
                        outcomes.add(new FinishedAttempt(workerId, WORKER_NAME, started, Instant.now(), o));
                        switch (o.kind()) {
                            case SUCCEEDED -> succeeded++;
                            case RETRY, HAND_BACK -> retried++;
                            default -> failed++;
                        }
                    }
                    store.complete(c, outcomes, Instant.now());
                }
            } finally {
                store.unregisterWorker(c, workerId, Instant.now());
            }
        } catch (SQLException e) {
            throw DatabaseErrors.unexpected(e, postpone.schema(), "running deferred jobs inline");
        }
        return new RunSummary(succeeded, failed, retried);
    }

    /** The job's latest state, e.g. to check its status and last error after {@link #runDeferred()}. */
    public Optional<Job> job(long id) {
        return postpone.jobs().get(id);
    }

    private List<Job> waiting(String taskName) {
        List<Job> jobs = new ArrayList<>();
        JobFilter filter = JobFilter.all().task(taskName).status(JobStatus.TODO).limit(PAGE);
        for (Optional<JobFilter> next = Optional.of(filter); next.isPresent(); ) {
            JobPage page = postpone.jobs().list(next.get());
            jobs.addAll(page.jobs());
            next = page.next();
        }
        return jobs.reversed();
    }

    private JsonNode tree(Job job) {
        try {
            return json.mapper().readTree(job.args());
        } catch (Exception e) {
            throw new PostponeException("job " + job.id() + " has unreadable arguments: " + e.getMessage(), e);
        }
    }

    /** The tasks this kit runs. */
    public TaskSet tasks() {
        return tasks;
    }
}
