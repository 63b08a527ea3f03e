package dev.postpone.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpone.DeferOptions;
import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.internal.FetchedJob;
import dev.postpone.internal.FinishedAttempt;
import dev.postpone.internal.JobStore;
import dev.postpone.internal.Outcome;
import dev.postpone.internal.WorkerRegistration;
import dev.postpone.schema.Migrator;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class JobAdminTest {

    static final Task<Integer> NUMBER = Task.named("number", Integer.class).queue("numbers").action((c, n) -> { });
    static Postpone postpone;
    static TestDatabase db;
    static JobStore store;

    @BeforeAll
    static void install(TestDatabase database) throws Exception {
        db = database;
        Migrator.builder(db.dataSource()).build().migrate();
        postpone = Postpone.builder(db.dataSource()).tasks(TaskSet.of(NUMBER)).build();
        store = new JobStore(postpone.schema());
    }

    /** Claims the given queue's jobs for a worker and records {@code outcome} for each. */
    private static List<Long> runAs(String queue, Outcome.Kind outcome) throws Exception {
        try (Connection c = db.connect()) {
            long worker = store.registerWorker(c, new WorkerRegistration("w", "h", 1, "1.1.0", List.of(queue), 1,
                    java.time.Duration.ofSeconds(30), false), java.time.Instant.now());
            List<Long> ids = new ArrayList<>();
            for (List<FetchedJob> jobs; !(jobs = store.fetch(c, worker, List.of(queue), 1000)).isEmpty(); ) {
                List<FinishedAttempt> outcomes = new ArrayList<>();
                for (FetchedJob j : jobs) {
                    outcomes.add(new FinishedAttempt(worker, "w", java.time.Instant.now(), null,
                        new Outcome(j.id(), outcome, null, outcome == Outcome.Kind.FAILED ? "boom" : null, null, null, null)));
                    ids.add(j.id());
                }
                store.complete(c, outcomes, java.time.Instant.now());
            }
            return ids;
        }
    }

    @Test
    void getReturnsTheJobOrNothing() throws Exception {
        long id = postpone.defer(NUMBER, 1);
        assertThat(postpone.jobs().get(id)).hasValueSatisfying(j -> assertThat(j.args()).isEqualTo("1"));
        assertThat(postpone.jobs().get(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void listFiltersAndPagesNewestFirst() throws Exception {
        List<Long> ids = postpone.deferAll(NUMBER, IntStream.range(0, 25).boxed().toList(), DeferOptions.defaults().queue("paging"));

        JobPage first = postpone.jobs().list(JobFilter.all().queue("paging").limit(10));
        JobPage second = postpone.jobs().list(first.next().orElseThrow());
        JobPage third = postpone.jobs().list(second.next().orElseThrow());

        assertThat(first.jobs()).extracting(Job::id).containsExactlyElementsOf(ids.reversed().subList(0, 10));
        assertThat(second.jobs()).extracting(Job::id).containsExactlyElementsOf(ids.reversed().subList(10, 20));
        assertThat(third.jobs()).hasSize(5);
        assertThat(third.next()).isEmpty();
        assertThat(postpone.jobs().list(JobFilter.all().queue("paging").task("other")).jobs()).isEmpty();
        assertThat(postpone.jobs().list(JobFilter.all().queue("paging").status(JobStatus.DOING)).jobs()).isEmpty();
        assertThat(postpone.jobs().list(JobFilter.all().queue("paging").createdBetween(Instant.now().plusSeconds(60), null)).jobs()).isEmpty();
    }

    @Test
    void listFiltersByLock() throws Exception {
        long locked = postpone.defer(NUMBER, 5, DeferOptions.defaults().queue("locks").lock("account:9"));
        postpone.defer(NUMBER, 6, DeferOptions.defaults().queue("locks"));
        assertThat(postpone.jobs().list(JobFilter.all().lock("account:9")).jobs()).extracting(Job::id).containsExactly(locked);
    }

    @Test
    void countsPerQueueAndStatus() throws Exception {
        postpone.deferAll(NUMBER, List.of(1, 2, 3), DeferOptions.defaults().queue("count-a"));
        postpone.deferAll(NUMBER, List.of(1), DeferOptions.defaults().queue("count-b"));
        runAs("count-b", Outcome.Kind.SUCCEEDED);

        assertThat(postpone.jobs().counts()).contains(
                new QueueCount("count-a", JobStatus.TODO, 3), new QueueCount("count-b", JobStatus.SUCCEEDED, 1));
        assertThat(postpone.jobs().counts(Set.of(JobStatus.TODO)))
                .contains(new QueueCount("count-a", JobStatus.TODO, 3))
                .noneMatch(c -> c.status() != JobStatus.TODO);
    }

    @Test
    void cancelOnlyTouchesWaitingJobs() throws Exception {
        long waiting = postpone.defer(NUMBER, 1, DeferOptions.defaults().queue("cancel"));
        assertThat(postpone.jobs().cancel(waiting)).contains(JobStatus.CANCELLED);
        assertThat(postpone.jobs().get(waiting).orElseThrow().finishedAt()).isNotNull();

        long done = postpone.defer(NUMBER, 2, DeferOptions.defaults().queue("cancel-done"));
        runAs("cancel-done", Outcome.Kind.SUCCEEDED);
        assertThat(postpone.jobs().cancel(done)).as("a finished job keeps its status").contains(JobStatus.SUCCEEDED);
        assertThat(postpone.jobs().cancel(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void retryPutsAFailedJobBackWithOneMoreAttempt() throws Exception {
        long id = postpone.defer(NUMBER, 3, DeferOptions.defaults().queue("retry-me"));
        runAs("retry-me", Outcome.Kind.FAILED);
        assertThat(postpone.jobs().get(id).orElseThrow().status()).isEqualTo(JobStatus.FAILED);

        assertThat(postpone.jobs().retry(id)).contains(JobStatus.TODO);

        Job job = postpone.jobs().get(id).orElseThrow();
        assertThat(job.maxAttempts()).isEqualTo(2);
        assertThat(job.finishedAt()).isNull();
        assertThat(runAs("retry-me", Outcome.Kind.SUCCEEDED)).containsExactly(id);
        assertThat(postpone.jobs().retry(id)).as("a succeeded job is not retried").contains(JobStatus.SUCCEEDED);
    }

    @Test
    void deleteFinishedRemovesOnlyOldFinishedJobsOfTheGivenStatuses() throws Exception {
        List<Long> old = postpone.deferAll(NUMBER, IntStream.range(0, 2500).boxed().toList(), DeferOptions.defaults().queue("old"));
        runAs("old", Outcome.Kind.SUCCEEDED);
        long failed = postpone.defer(NUMBER, 1, DeferOptions.defaults().queue("old-failed"));
        runAs("old-failed", Outcome.Kind.FAILED);
        long waiting = postpone.defer(NUMBER, 1, DeferOptions.defaults().queue("old-waiting"));
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("update postpone.jobs set finished_at = now() - interval '10 days' where status <> 'todo'");
        }
        long recent = postpone.defer(NUMBER, 1, DeferOptions.defaults().queue("recent"));
        runAs("recent", Outcome.Kind.SUCCEEDED);

        long deleted = postpone.jobs().deleteFinished(Duration.ofDays(7), Set.of(JobStatus.SUCCEEDED, JobStatus.CANCELLED));

        assertThat(deleted).isGreaterThanOrEqualTo(old.size());
        assertThat(postpone.jobs().get(old.getFirst())).isEmpty();
        assertThat(postpone.jobs().get(failed)).as("failed jobs kept unless asked").isPresent();
        assertThat(postpone.jobs().get(waiting)).isPresent();
        assertThat(postpone.jobs().get(recent)).isPresent();
        assertThatThrownBy(() -> postpone.jobs().deleteFinished(Duration.ZERO, Set.of(JobStatus.TODO)))
                .hasMessageContaining("only finished jobs can be deleted");
    }

    @Test
    void workersListsRegisteredWorkers() throws Exception {
        try (Connection c = db.connect()) {
            long id = store.registerWorker(c, new WorkerRegistration("billing-1", "host-a", 4242, "1.1.0", List.of("billing"), 16,
                    java.time.Duration.ofSeconds(30), false), java.time.Instant.now());
            Optional<WorkerInfo> w = postpone.jobs().workers().stream().filter(x -> x.id() == id).findFirst();
            assertThat(w).hasValueSatisfying(info -> {
                assertThat(info.name()).isEqualTo("billing-1");
                assertThat(info.release()).isEqualTo("1.1.0");
                assertThat(info.queues()).containsExactly("billing");
                assertThat(info.concurrency()).isEqualTo(16);
            });
            store.unregisterWorker(c, id, java.time.Instant.now());
        }
    }
}
