package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpone.DeferOptions;
import dev.postpone.Postpone;
import dev.postpone.SchemaNotReadyException;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobStatus;
import dev.postpone.retry.RetryPolicy;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
@Timeout(60)
class WorkerBasicsTest {

    record Greeting(String name) {
    }

    @BeforeAll
    static void install(TestDatabase db) {
        Sql.installSchema(db);
    }

    @Test
    void runsDeferredJobsToSucceeded(TestDatabase db) throws Exception {
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        Task<Greeting> greet = Task.named("greet", Greeting.class).queue("basics")
                .action((context, g) -> seen.merge(g.name() + "@" + context.queue(), 1, Integer::sum));
        try (Postpone client = Postpone.builder(db.dataSource()).build();
             Worker worker = Worker.builder(db.dataSource(), TaskSet.of(greet)).queues("basics").start()) {
            List<Long> ids = client.deferAll(greet, IntStream.range(0, 50).mapToObj(i -> new Greeting("n" + i)).toList());
            Await.until("all 50 jobs succeeded", Duration.ofSeconds(20),
                    () -> ids.stream().allMatch(id -> status(client, id) == JobStatus.SUCCEEDED));
            assertThat(seen).hasSize(50).containsEntry("n7@basics", 1);
            assertThat(worker.isRunning()).isTrue();
        }
    }

    /**
     * During a rollout a newer release defers a task older workers do not know: they hand the job back
     * (no attempt spent, a short delay, a warning) instead of failing it, and a worker that knows it runs it.
     */
    @Test
    void aJobOfAnUnknownTaskIsHandedBackForAWorkerThatKnowsIt(TestDatabase db) throws Exception {
        Task<Greeting> known = Task.named("known", Greeting.class).queue("unknown-q").action((c, g) -> { });
        Task<Greeting> newer = Task.named("newer-task", Greeting.class).queue("unknown-q").action((c, g) -> { });
        try (Postpone client = Postpone.builder(db.dataSource()).build()) {
            long id = client.deferByName("newer-task", "{}", DeferOptions.defaults().queue("unknown-q").maxAttempts(1));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (Worker older = Worker.builder(db.dataSource(), TaskSet.of(known)).queues("unknown-q").meterRegistry(registry).start()) {
                Await.until("the job handed back", Duration.ofSeconds(20),
                        () -> client.jobs().get(id).orElseThrow().lastError() != null);
                Job job = client.jobs().get(id).orElseThrow();
                assertThat(job.status()).isEqualTo(JobStatus.TODO);
                assertThat(job.attempts()).as("never ran, so no attempt spent").isZero();
                assertThat(job.lastError()).contains("unknown task 'newer-task'").contains("handed back").contains("known");
                assertThat(job.scheduledAt()).isAfter(java.time.Instant.now());
                assertThat(registry.find(WorkerMetrics.JOBS_STARTED).tag("task", "newer-task").counters())
                        .as("a hand-back is no attempt started").allSatisfy(c -> assertThat(c.count()).isZero());
                assertThat(registry.find(WorkerMetrics.JOB_QUEUE_WAIT).tag("task", "newer-task").timers())
                        .as("nor the end of a queue wait: the job still waits").allSatisfy(t -> assertThat(t.count()).isZero());
            }
            try (Worker newerWorker = Worker.builder(db.dataSource(), TaskSet.of(known, newer)).queues("unknown-q").start()) {
                Await.until("a worker that knows the task ran it", Duration.ofSeconds(30), () -> status(client, id) == JobStatus.SUCCEEDED);
                assertThat(client.jobs().get(id).orElseThrow().attempts()).isEqualTo(1);
            }
        }
    }

    @Test
    void retriesWithFixedDelayUntilSucceededKeepingTheLastError(TestDatabase db) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Task<Greeting> flaky = Task.named("flaky", Greeting.class).queue("retry-q")
                .retry(RetryPolicy.fixed(Duration.ofMillis(50), 5))
                .action((context, g) -> {
                    if (calls.incrementAndGet() < 3) throw new IllegalStateException("boom " + context.attempt());
                });
        try (Postpone client = Postpone.builder(db.dataSource()).build();
             Worker ignored = Worker.builder(db.dataSource(), TaskSet.of(flaky)).queues("retry-q")
                     .pollInterval(Duration.ofMillis(100)).start()) {
            long id = client.defer(flaky, new Greeting("x"));
            Await.until("the job succeeded", Duration.ofSeconds(20), () -> status(client, id) == JobStatus.SUCCEEDED);
            Job job = client.jobs().get(id).orElseThrow();
            assertThat(job.attempts()).isEqualTo(3);
            assertThat(calls).hasValue(3);
            assertThat(job.lastError()).isEqualTo("java.lang.IllegalStateException: boom 2");
            assertThat(job.lastErrorTrace()).contains("IllegalStateException");
        }
    }

    @Test
    void refusesToStartWithoutTheSchemaAndSaysWhichCommandToRun(TestDatabase db) {
        Task<Greeting> task = Task.named("any", Greeting.class).action((c, g) -> { });
        assertThatThrownBy(() -> Worker.builder(db.dataSource(), TaskSet.of(task)).schema("not_installed").start())
                .isInstanceOf(SchemaNotReadyException.class)
                .hasMessageContaining("postpone schema migrate --phase all --to 1.1.0 --schema not_installed");
    }

    @Test
    void rejectsABadCronExpressionNamingIt() {
        Task<Greeting> task = Task.named("cron", Greeting.class).action((c, g) -> { });
        assertThatThrownBy(() -> PeriodicTask.of(task, "61 * * * *", new Greeting("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid cron expression '61 * * * *' of periodic task 'cron': ")
                .hasMessageNotContaining("null");
        assertThatThrownBy(() -> PeriodicTask.forEachTick(task, "*/61 * * * * *", tick -> new Greeting("x")))
                .hasMessageStartingWith("invalid cron expression '*/61 * * * * *' of periodic task 'cron': ");
        assertThatThrownBy(() -> PeriodicTask.of(task, "0 * * * * * *", new Greeting("x")))
                .hasMessage("invalid cron expression '0 * * * * * *' of periodic task 'cron': expected 5 fields (minute hour"
                        + " day-of-month month day-of-week) or 6 fields (with leading seconds), found 7");
        assertThatThrownBy(() -> CronSchedule.parse("61 * * * *", java.time.ZoneOffset.UTC))
                .as("a schedule of no task names none").hasMessageStartingWith("invalid cron expression '61 * * * *': ");
    }

    static JobStatus status(Postpone client, long id) {
        return client.jobs().get(id).map(Job::status).orElse(null);
    }
}
