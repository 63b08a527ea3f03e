package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.CancelReason;
import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.Attempt;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobSelection;
import dev.postpone.admin.JobStatus;
import dev.postpone.retry.RetryPolicy;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cancelling a running job aborts it: its worker hears of it (NOTIFY, or its poll when it does not listen),
 * interrupts the handler, and the job ends cancelled, never retried; a handler that returns normally keeps its
 * outcome; a job still waiting for a slot ends cancelled without running.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(90)
class AbortTest {

    record Nap(long millis) {
    }

    @BeforeAll
    static void install(TestDatabase db) {
        Sql.installSchema(db);
    }

    /** A task whose handler sleeps until interrupted, recording what its context said then. */
    private static final class Sleeper {
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicReference<CancelReason> reasonWhenInterrupted = new AtomicReference<>();
        final AtomicInteger runs = new AtomicInteger();
        final Task<Nap> task;

        Sleeper(String queue) {
            task = Task.named("sleep-" + queue, Nap.class).queue(queue)
                    .retry(RetryPolicy.fixed(Duration.ofMillis(10), 5)) // an abort is never retried, whatever the policy
                    .action((context, nap) -> {
                        runs.incrementAndGet();
                        started.countDown();
                        try {
                            Thread.sleep(nap.millis());
                        } catch (InterruptedException e) {
                            reasonWhenInterrupted.set(context.cancelReason().orElse(null));
                            throw e;
                        }
                    });
        }
    }

    @Test
    void aHandlerBlockedInSleepIsInterruptedWithinASecondAndTheJobEndsCancelled(TestDatabase db) throws Exception {
        Sleeper sleeper = new Sleeper("abort-notify");
        try (Postpone client = Postpone.builder(db.dataSource()).clientName("abort-test").build();
             Worker worker = Worker.builder(db.dataSource(), TaskSet.of(sleeper.task)).queues("abort-notify").name("w-notify").start()) {
            long id = client.defer(sleeper.task, new Nap(60_000));
            assertThat(sleeper.started.await(30, TimeUnit.SECONDS)).isTrue();

            long asked = System.nanoTime();
            assertThat(client.jobs().cancel(id)).as("running: its abort is requested").hasValue(JobStatus.DOING);
            Await.until("the job is cancelled", Duration.ofSeconds(10), () -> status(client, id) == JobStatus.CANCELLED);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);

            assertThat(millis).as("from cancel to cancelled, ms").isLessThan(2_000);
            assertThat(sleeper.reasonWhenInterrupted).hasValue(CancelReason.CANCELLED);
            Job job = client.jobs().get(id).orElseThrow();
            assertThat(job.attempts()).as("not retried").isEqualTo(1);
            assertThat(job.lastError()).contains("was cancelled while it ran");
            assertThat(job.lastErrorTrace()).contains("Caused by: java.lang.InterruptedException");
            assertThat(job.abortRequest().requestedBy()).contains("abort-test");
            assertThat(job.attemptHistory()).singleElement().satisfies(a -> {
                assertThat(a.outcome()).isEqualTo("cancelled");
                assertThat(a.worker()).isEqualTo("w-notify");
                assertThat(a.workerId()).isEqualTo(worker.id());
                assertThat(a.startedAt()).isNotNull();
            });
            Thread.sleep(200);
            assertThat(sleeper.runs).as("not run again").hasValue(1);
        }
    }

    @Test
    void withoutListeningTheAbortPollStopsItWithinAHeartbeat(TestDatabase db) throws Exception {
        Sleeper sleeper = new Sleeper("abort-poll");
        try (Postpone client = Postpone.builder(db.dataSource()).build();
             Worker ignored = Worker.builder(db.dataSource(), TaskSet.of(sleeper.task)).queues("abort-poll").listen(false)
                     .pollInterval(Duration.ofMillis(100)).heartbeatInterval(Duration.ofMillis(500)).start()) {
            long id = client.defer(sleeper.task, new Nap(60_000));
            assertThat(sleeper.started.await(30, TimeUnit.SECONDS)).isTrue();

            long asked = System.nanoTime();
            client.jobs().cancel(JobSelection.all().queue("abort-poll"));
            Await.until("the job is cancelled", Duration.ofSeconds(10), () -> status(client, id) == JobStatus.CANCELLED);

            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked)).as("ms").isLessThan(2_000);
            assertThat(sleeper.reasonWhenInterrupted).hasValue(CancelReason.CANCELLED);
        }
    }

    @Test
    void aHandlerThatReturnsNormallyKeepsItsOutcomeAndResult(TestDatabase db) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Boolean> cancelledSeen = new AtomicReference<>();
        Task<Nap> stubborn = Task.named("stubborn-finisher", Nap.class).queue("abort-finish")
                .handler((context, nap) -> {
                    started.countDown();
                    while (!context.isCancelled()) Thread.onSpinWait();
                    cancelledSeen.set(true);
                    return java.util.Map.of("finished", "anyway"); // its work was done: the real outcome stands
                });
        try (Postpone client = Postpone.builder(db.dataSource()).build();
             Worker ignored = Worker.builder(db.dataSource(), TaskSet.of(stubborn)).queues("abort-finish").start()) {
            long id = client.defer(stubborn, new Nap(0));
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            client.jobs().cancel(id);
            Await.until("the job finished", Duration.ofSeconds(10), () -> status(client, id).isFinished());

            Job job = client.jobs().get(id).orElseThrow();
            assertThat(cancelledSeen).hasValue(true);
            assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(job.result()).isEqualTo("{\"finished\": \"anyway\"}");
            assertThat(job.abortRequest()).as("the request stays on record").isNotNull();
            assertThat(job.attemptHistory()).extracting(Attempt::outcome).containsExactly("succeeded");
        }
    }

    @Test
    void aJobWaitingForASlotEndsCancelledWithoutRunningAndAWaitingJobIsCancelledAtOnce(TestDatabase db) throws Exception {
        Sleeper sleeper = new Sleeper("abort-prefetched");
        try (Postpone client = Postpone.builder(db.dataSource()).build();
             Worker ignored = Worker.builder(db.dataSource(), TaskSet.of(sleeper.task)).queues("abort-prefetched")
                     .concurrency(1).maxPrefetch(5).start()) {
            long running = client.defer(sleeper.task, new Nap(60_000));
            long prefetched = client.defer(sleeper.task, new Nap(60_000));
            assertThat(sleeper.started.await(30, TimeUnit.SECONDS)).isTrue();
            Await.until("the second job is claimed into the prefetch buffer", Duration.ofSeconds(10),
                    () -> status(client, prefetched) == JobStatus.DOING);

            assertThat(client.jobs().cancel(prefetched)).hasValue(JobStatus.DOING);
            Await.until("the prefetched job is cancelled", Duration.ofSeconds(10), () -> status(client, prefetched) == JobStatus.CANCELLED);
            assertThat(sleeper.runs).as("its handler never ran").hasValue(1);
            assertThat(client.jobs().get(prefetched).orElseThrow().attemptHistory()).singleElement()
                    .satisfies(a -> assertThat(a.startedAt()).isNull())
                    .satisfies(a -> assertThat(a.error()).contains("cancelled before it started"));
            assertThat(client.jobs().get(prefetched).orElseThrow().attempts()).as("it never started: no attempt spent").isZero();

            Task<Nap> unserved = Task.named("unserved", Nap.class).queue("abort-nobody").action((context, nap) -> { });
            long waiting = client.defer(unserved, new Nap(1));
            assertThat(client.jobs().cancel(waiting)).as("no worker holds it").hasValue(JobStatus.CANCELLED);
            assertThat(client.jobs().get(waiting).orElseThrow().abortRequest()).isNull();
            assertThat(client.jobs().cancel(running)).hasValue(JobStatus.DOING);
            Await.until("the running job is cancelled", Duration.ofSeconds(10), () -> status(client, running) == JobStatus.CANCELLED);
            assertThat(client.jobs().cancel(running)).as("a finished job is left as it is").hasValue(JobStatus.CANCELLED);
        }
    }

    private static JobStatus status(Postpone client, long id) {
        return client.jobs().get(id).map(Job::status).orElseThrow();
    }
}
