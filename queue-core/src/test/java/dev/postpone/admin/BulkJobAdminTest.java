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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bulk cancel, retry, delete and count over ids and filters: each changes exactly the jobs its action applies to. */
@ExtendWith(PostgresExtension.class)
class BulkJobAdminTest {

    static final Task<Integer> REPORT = Task.named("report", Integer.class).action((c, n) -> { });
    static final Task<Integer> EMAIL = Task.named("email", Integer.class).action((c, n) -> { });
    static Postpone postpone;
    static TestDatabase db;
    static JobStore store;

    @BeforeAll
    static void install(TestDatabase database) throws Exception {
        db = database;
        Migrator.builder(db.dataSource()).build().migrate();
        postpone = Postpone.builder(db.dataSource()).tasks(TaskSet.of(REPORT, EMAIL)).build();
        store = new JobStore(postpone.schema());
    }

    private static List<Long> defer(Task<Integer> task, String queue, int n) throws Exception {
        return postpone.deferAll(task, IntStream.range(0, n).boxed().toList(), DeferOptions.defaults().queue(queue));
    }

    /** Claims up to {@code n} jobs of the queue for a worker; with an outcome, records it for each. */
    private static List<Long> claim(String queue, int n, Outcome.Kind outcome) throws Exception {
        try (Connection c = db.connect()) {
            long worker = store.registerWorker(c, new WorkerRegistration("w", "h", 1, "1.1.0", List.of(queue), n,
                    java.time.Duration.ofSeconds(30), false), java.time.Instant.now());
            List<FetchedJob> jobs = store.fetch(c, worker, List.of(queue), n);
            List<Long> ids = jobs.stream().map(FetchedJob::id).toList();
            if (outcome != null) {
                List<FinishedAttempt> outcomes = new ArrayList<>();
                for (long id : ids) outcomes.add(new FinishedAttempt(worker, "w", java.time.Instant.now(), null,
                        new Outcome(id, outcome, null, outcome == Outcome.Kind.FAILED ? "boom" : null, null, null, null)));
                store.complete(c, outcomes, java.time.Instant.now());
            }
            return ids;
        }
    }

    private static JobStatus status(long id) {
        return postpone.jobs().get(id).orElseThrow().status();
    }

    @Test
    void cancelByQueueAndTaskCancelsTheirWaitingJobsAndAbortsTheirRunningOne() throws Exception {
        List<Long> reports = defer(REPORT, "bulk-cancel", 5);
        List<Long> emails = defer(EMAIL, "bulk-cancel", 2);
        List<Long> elsewhere = defer(REPORT, "bulk-cancel-other", 2);
        List<Long> running = claim("bulk-cancel", 1, null);
        JobSelection selection = JobSelection.all().queue("bulk-cancel").task("report");

        assertThat(postpone.jobs().count(JobAction.CANCEL.restrict(selection))).isEqualTo(5);
        List<ChangedJob> cancelled = postpone.jobs().cancel(selection);

        assertThat(cancelled).hasSize(5).contains(new ChangedJob(running.getFirst(), JobStatus.DOING));
        assertThat(cancelled).filteredOn(j -> j.status() == JobStatus.CANCELLED).extracting(ChangedJob::id)
                .containsExactlyInAnyOrderElementsOf(reports.subList(1, 5));
        Job aborted = postpone.jobs().get(running.getFirst()).orElseThrow();
        assertThat(aborted.status()).as("its worker stops it").isEqualTo(JobStatus.DOING);
        assertThat(aborted.abortRequest()).isNotNull();
        assertThat(aborted.abortRequest().attempt()).isEqualTo(1);
        assertThat(aborted.abortRequest().requestedBy()).contains(System.getProperty("user.name")).contains("pid " + ProcessHandle.current().pid());
        assertThat(aborted.abortRequest().requestedAt()).isNotNull();
        assertThat(emails).allMatch(id -> status(id) == JobStatus.TODO);
        assertThat(elsewhere).allMatch(id -> status(id) == JobStatus.TODO);
        assertThat(postpone.jobs().get(reports.get(1)).orElseThrow().finishedAt()).isNotNull();
        assertThat(postpone.jobs().get(reports.get(1)).orElseThrow().abortRequest()).as("a waiting job needs no abort").isNull();

        assertThat(postpone.jobs().cancel(running.getFirst())).as("cancel by id reports the abort too").hasValue(JobStatus.DOING);
        assertThat(postpone.jobs().cancel(JobSelection.ids(running.getFirst()), "ada (dashboard)")).hasSize(1);
        assertThat(postpone.jobs().get(running.getFirst()).orElseThrow().abortRequest().requestedBy())
                .as("the first request is kept").isEqualTo(aborted.abortRequest().requestedBy());
    }

    @Test
    void retryByIdsAndStatusPutsFailedJobsBackWithOneMoreAttempt() throws Exception {
        defer(REPORT, "bulk-retry", 3);
        List<Long> failed = claim("bulk-retry", 3, Outcome.Kind.FAILED);
        defer(REPORT, "bulk-retry-ok", 1);
        long succeeded = claim("bulk-retry-ok", 1, Outcome.Kind.SUCCEEDED).getFirst();

        List<ChangedJob> retried = postpone.jobs().retry(JobSelection.ids(failed.get(0), failed.get(1), succeeded), null);

        assertThat(retried).extracting(ChangedJob::id).containsExactlyInAnyOrder(failed.get(0), failed.get(1));
        assertThat(retried).allMatch(j -> j.status() == JobStatus.TODO);
        assertThat(postpone.jobs().get(failed.get(0)).orElseThrow().maxAttempts()).isEqualTo(2);
        assertThat(status(failed.get(2))).isEqualTo(JobStatus.FAILED);
        assertThat(status(succeeded)).as("a succeeded job is not retried").isEqualTo(JobStatus.SUCCEEDED);
        assertThat(postpone.jobs().retry(JobSelection.all().queue("bulk-retry").statuses(JobStatus.FAILED), null))
                .extracting(ChangedJob::id).containsExactly(failed.get(2));
    }

    @Test
    void deleteRemovesWaitingAndFinishedJobsButNeverARunningOne() throws Exception {
        defer(EMAIL, "bulk-delete", 4);
        long running = claim("bulk-delete", 1, null).getFirst();
        long done = claim("bulk-delete", 1, Outcome.Kind.SUCCEEDED).getFirst();

        assertThat(postpone.jobs().count(JobSelection.all().queue("bulk-delete").statuses(JobStatus.TODO))).isEqualTo(2);
        List<ChangedJob> waiting = postpone.jobs().delete(JobSelection.all().queue("bulk-delete").statuses(JobStatus.TODO));
        assertThat(waiting).hasSize(2).allMatch(j -> j.status() == JobStatus.TODO);

        List<ChangedJob> rest = postpone.jobs().delete(JobSelection.all().queue("bulk-delete"));
        assertThat(rest).containsExactly(new ChangedJob(done, JobStatus.SUCCEEDED));
        assertThat(postpone.jobs().get(running)).as("the running job stays").isPresent();
        assertThat(postpone.jobs().count(JobSelection.all().queue("bulk-delete"))).isEqualTo(1);
    }

    @Test
    void everySearchFilterSelectsTheSameJobsInBulkWithinTheNewestIds() throws Exception {
        record Note(String to, String password) {
        }
        Task<Note> note = Task.named("note", Note.class).action((c, n) -> { });
        List<Long> ids = postpone.deferAll(note, List.of(new Note("ada@example.com", "x"), new Note("grace@example.com", "x"),
                new Note("ken@example.com", "ada-secret")), DeferOptions.defaults().queue("bulk-text"));
        java.time.Instant since = java.time.Instant.now().minusSeconds(60);
        JobSearch search = JobSearch.all().queue("bulk-text").text("ADA").secretFields("passw(or)?d").createdBetween(since, null);

        // What a search lists is what the same filter counts and changes: the secret value does not match.
        assertThat(postpone.jobs().search(search).jobs()).extracting(Job::id).containsExactly(ids.get(0));
        assertThat(postpone.jobs().count(search.asSelection())).isEqualTo(1);
        assertThat(postpone.jobs().count(search.asSelection().secretFields(null))).as("without secret fields").isEqualTo(2);
        assertThat(postpone.jobs().count(search.asSelection().createdBetween(null, since))).as("created earlier").isZero();

        // The newest ids bound a text filter's cost; the window says when older jobs were left out.
        JobWindow all = postpone.jobs().newest(search.asSelection(), 1_000);
        assertThat(all.whole()).isTrue();
        assertThat(postpone.jobs().count(all.selection())).isEqualTo(1);
        JobWindow newestTwo = postpone.jobs().newest(JobSelection.all().queue("bulk-text").text("example").createdBetween(since, null), 2);
        assertThat(newestTwo.whole()).isFalse();
        assertThat(newestTwo.selection().idTo() - newestTwo.selection().idFrom()).isEqualTo(2);
        assertThat(postpone.jobs().cancel(newestTwo.selection())).extracting(ChangedJob::id)
                .containsExactlyInAnyOrder(ids.get(1), ids.get(2));
        assertThat(status(ids.get(0))).isEqualTo(JobStatus.TODO);
    }

    @Test
    void aStatusTheActionDoesNotApplyToIsRefusedBeforeAnythingChanges() throws Exception {
        long waiting = defer(REPORT, "bulk-refuse", 1).getFirst();
        JobSelection doing = JobSelection.all().queue("bulk-refuse").statuses(JobStatus.TODO, JobStatus.DOING);

        assertThatThrownBy(() -> postpone.jobs().cancel(JobSelection.all().queue("bulk-refuse").statuses(JobStatus.SUCCEEDED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot cancel succeeded jobs; cancel applies to todo, doing jobs");
        assertThatThrownBy(() -> postpone.jobs().delete(doing)).hasMessage("cannot delete doing jobs; delete applies to todo, succeeded, failed, cancelled jobs");
        assertThatThrownBy(() -> postpone.jobs().retry(doing, null)).hasMessageStartingWith("cannot retry todo, doing jobs");
        assertThat(status(waiting)).isEqualTo(JobStatus.TODO);
    }
}
