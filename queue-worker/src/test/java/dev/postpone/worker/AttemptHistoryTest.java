package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.Attempt;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobFilter;
import dev.postpone.admin.JobStatus;
import dev.postpone.retry.RetryPolicy;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every attempt is kept on the job with its worker, times, outcome, error and trace; a handler's return value is its result. */
@ExtendWith(PostgresExtension.class)
@Timeout(60)
class AttemptHistoryTest {

    record Order(int number) {
    }

    record Receipt(int order, String status) {
    }

    /** Not a JSON value: Jackson refuses a bean without properties. */
    static final class Opaque {
    }

    @BeforeAll
    static void install(TestDatabase db) {
        Sql.installSchema(db);
    }

    @Test
    void twoFailuresThenASuccessAreAllListedAndTheResultIsStored(TestDatabase db) throws Exception {
        Task<Order> flaky = Task.named("flaky-receipt", Order.class).queue("history")
                .retry(RetryPolicy.fixed(Duration.ofMillis(10), 3))
                .handler((context, order) -> {
                    if (context.attempt() < 3) throw new IllegalStateException("payment service down (attempt " + context.attempt() + ")");
                    return new Receipt(order.number(), "paid");
                });
        Instant before = Instant.now();
        try (Postpone client = Postpone.builder(db.dataSource()).build();
             Worker worker = Worker.builder(db.dataSource(), TaskSet.of(flaky)).queues("history").name("history-worker")
                     .pollInterval(Duration.ofMillis(50)).start()) {
            long id = client.defer(flaky, new Order(42));
            Await.until("the job succeeded", Duration.ofSeconds(30), () -> client.jobs().get(id).map(Job::status).orElseThrow() == JobStatus.SUCCEEDED);

            Job job = client.jobs().get(id).orElseThrow();
            assertThat(job.result()).isEqualTo("{\"order\": 42, \"status\": \"paid\"}");
            assertThat(job.lastError()).as("1.0.0 readers still see the last error").contains("attempt 2");
            List<Attempt> attempts = job.attemptHistory();
            assertThat(attempts).extracting(Attempt::number).containsExactly(1, 2, 3);
            assertThat(attempts).extracting(Attempt::outcome).containsExactly("retry", "retry", "succeeded");
            assertThat(attempts).allSatisfy(a -> {
                assertThat(a.worker()).isEqualTo("history-worker");
                assertThat(a.workerId()).isEqualTo(worker.id());
                assertThat(a.startedAt()).isAfterOrEqualTo(before.minusSeconds(1));
                assertThat(a.finishedAt()).isAfterOrEqualTo(a.startedAt());
            });
            assertThat(attempts.get(1).startedAt()).isAfterOrEqualTo(attempts.get(0).finishedAt());
            assertThat(attempts.get(0).error()).isEqualTo("java.lang.IllegalStateException: payment service down (attempt 1)");
            assertThat(attempts.get(1).error()).endsWith("(attempt 2)");
            assertThat(attempts.get(0).trace()).startsWith("java.lang.IllegalStateException: payment service down (attempt 1)")
                    .contains("\tat ");
            assertThat(attempts.get(2).error()).isNull();
            assertThat(attempts.get(2).trace()).isNull();

            Job listed = client.jobs().list(JobFilter.all().queue("history")).jobs().getFirst();
            assertThat(listed.attemptHistory()).as("lists leave the history out: get has it").isEmpty();
            assertThat(listed.result()).isNull();
            assertThat(listed.lastError()).isEqualTo(job.lastError());
        }
    }

    @Test
    void aResultTooLargeOrNotJsonIsNotStoredAndTheJobStillSucceeds(TestDatabase db) throws Exception {
        Task<Order> large = Task.named("large-result", Order.class).queue("results")
                .handler((context, order) -> Map.of("blob", "x".repeat(70_000)));
        Task<Order> opaque = Task.named("opaque-result", Order.class).queue("results").handler((context, order) -> new Opaque());
        Task<Order> none = Task.named("no-result", Order.class).queue("results").action((context, order) -> { });
        try (Postpone client = Postpone.builder(db.dataSource()).build();
             Worker ignored = Worker.builder(db.dataSource(), TaskSet.of(large, opaque, none)).queues("results").start()) {
            long tooLarge = client.defer(large, new Order(1));
            long notJson = client.defer(opaque, new Order(2));
            long nothing = client.defer(none, new Order(3));
            client.jobs().awaitFinished(List.of(tooLarge, notJson, nothing), Duration.ofSeconds(30));

            Job big = client.jobs().get(tooLarge).orElseThrow();
            assertThat(big.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(big.result()).isNull();
            assertThat(big.attemptHistory().getFirst().note()).startsWith("result not stored: its JSON is 70011 bytes, more than the limit of 65536");
            Job odd = client.jobs().get(notJson).orElseThrow();
            assertThat(odd.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(odd.attemptHistory().getFirst().note()).startsWith("result not stored: a " + Opaque.class.getName()
                    + " cannot be written as JSON");
            Job plain = client.jobs().get(nothing).orElseThrow();
            assertThat(plain.result()).isNull();
            assertThat(plain.attemptHistory()).singleElement().satisfies(a -> assertThat(a.note()).isNull());
        }
    }
}
