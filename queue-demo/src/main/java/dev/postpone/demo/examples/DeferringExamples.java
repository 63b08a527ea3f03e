package dev.postpone.demo.examples;

import dev.postpone.DeferOptions;
import dev.postpone.JobRequest;
import dev.postpone.Postpone;
import dev.postpone.QueueingLockTakenException;
import dev.postpone.SchemaNotReadyException;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.TaskSetProvider;
import dev.postpone.admin.Attempt;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobFilter;
import dev.postpone.admin.JobStatus;
import dev.postpone.retry.RetryPolicy;
import dev.postpone.testkit.PostponeTestKit;
import dev.postpone.testkit.RunSummary;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The code shown in docs/defining-tasks.md, compiled here so the page cannot go stale
 * ({@code DefiningTasksDocTest} checks that each snippet in the page matches its tagged region).
 */
public final class DeferringExamples {

    private DeferringExamples() {
    }

    interface Mailer {
        void send(String to, String subject) throws IOException;
    }

    static Mailer mailer = (to, subject) -> { };

    // tag::task[]
    record SendEmail(String to, String subject) {}

    static final Task<SendEmail> SEND_EMAIL = Task.named("send-email", SendEmail.class)
            .queue("emails")
            .priority(5)
            .retry(RetryPolicy.exponential(Duration.ofSeconds(2), 6)
                    .withCap(Duration.ofMinutes(10))
                    .withJitter(0.2)
                    .neverOn(IllegalArgumentException.class))
            .timeout(Duration.ofSeconds(30))
            .action((context, email) -> {
                context.logger().info("sending to {} (attempt {})", email.to(), context.attempt());
                mailer.send(email.to(), email.subject());
            });
    // end::task[]

    // tag::locks[]
    record Refund(long orderId, long cents) {}

    static final Task<Refund> REFUND = Task.named("refund", Refund.class)
            .lockBy(refund -> "order:" + refund.orderId())          // one refund per order at a time, in order
            .queueingLockBy(refund -> "refund:" + refund.orderId()) // at most one waiting refund per order
            .handler((context, refund) -> "refunded " + refund.cents());
    // end::locks[]

    // tag::untyped[]
    static final Task<Map<String, Object>> AUDIT = Task.named("audit", new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { })
            .aliases("audit-log")                                   // the task's old name: queued jobs still run
            .action((context, event) -> context.logger().info("audit {}", event));
    // end::untyped[]

    // tag::taskset[]
    public static final class MyTasks implements TaskSetProvider {
        @Override
        public TaskSet tasks() {
            return TaskSet.of(SEND_EMAIL, REFUND, AUDIT);
        }
    }
    // end::taskset[]

    static Postpone client(DataSource dataSource) throws SchemaNotReadyException {
        // tag::client[]
        Postpone postpone = Postpone.builder(dataSource)     // the application's pool (HikariCP, …)
                .schema("postpone")                          // the default
                .tasks(new MyTasks().tasks())                // optional: lets deferByName use task defaults
                .build();                                    // fails if the schema is missing or too old
        // end::client[]
        return postpone;
    }

    static void defer(Postpone postpone) throws QueueingLockTakenException {
        // tag::defer[]
        long id = postpone.defer(SEND_EMAIL, new SendEmail("ada@example.com", "Welcome"));

        postpone.defer(SEND_EMAIL, new SendEmail("bob@example.com", "Reminder"), DeferOptions.defaults()
                .queue("emails-bulk")
                .priority(-1)
                .in(Duration.ofHours(1))                     // or .at(Instant)
                .maxAttempts(3));

        List<Long> ids = postpone.deferAll(SEND_EMAIL, List.of(
                new SendEmail("c@example.com", "Hi"),
                new SendEmail("d@example.com", "Hi")));      // one statement, atomic

        postpone.deferAll(List.of(                           // a batch may mix tasks
                JobRequest.of(REFUND, new Refund(42, 1999)),
                JobRequest.of(SEND_EMAIL, new SendEmail("e@example.com", "Refunded"))));
        // end::defer[]
        System.out.println(id + " " + ids);
    }

    static void transactional(Postpone postpone, DataSource dataSource) throws SQLException, QueueingLockTakenException {
        // tag::transaction[]
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("insert into users (email) values (?)")) {
                insert.setString(1, "ada@example.com");
                insert.executeUpdate();
            }
            postpone.defer(connection, SEND_EMAIL, new SendEmail("ada@example.com", "Welcome"));
            connection.commit();   // the user and the job exist together, or neither does
        }
        // end::transaction[]
    }

    static void queueingLock(Postpone postpone) {
        // tag::queueing-lock[]
        try {
            postpone.defer(REFUND, new Refund(42, 500));
        } catch (QueueingLockTakenException alreadyQueued) {
            System.out.println("a refund for order 42 is already waiting: " + alreadyQueued.queueingLock());
        }
        // end::queueing-lock[]
    }

    static void byName(Postpone postpone) throws QueueingLockTakenException {
        // tag::by-name[]
        long id = postpone.deferByName("send-email", "{\"to\":\"ada@example.com\",\"subject\":\"Hi\"}",
                DeferOptions.defaults().at(Instant.parse("2030-01-01T09:00:00Z")));
        // end::by-name[]
        System.out.println(id);
    }

    static void admin(Postpone postpone) {
        // tag::admin[]
        Job job = postpone.jobs().get(42).orElseThrow();
        List<Job> failed = postpone.jobs().list(JobFilter.all().queue("emails").status(JobStatus.FAILED).limit(50)).jobs();
        postpone.jobs().retry(job.id());                     // failed or cancelled -> todo, one more attempt
        postpone.jobs().cancel(job.id());                    // waiting: cancelled; running: its worker stops it
        postpone.jobs().counts().forEach(c -> System.out.println(c.queue() + " " + c.status() + " " + c.jobs()));
        postpone.jobs().deleteFinished(Duration.ofDays(7), Set.of(JobStatus.SUCCEEDED, JobStatus.CANCELLED));
        // end::admin[]
        System.out.println(failed.size());
    }

    static void results(Postpone postpone) {
        // tag::results[]
        Job refund = postpone.jobs().get(42).orElseThrow();
        String result = refund.result();                     // "refunded 500" as JSON: what the handler returned
        for (Attempt a : refund.attemptHistory()) {          // every attempt, oldest first
            System.out.println(a.number() + " " + a.outcome() + " on " + a.worker() + " from " + a.startedAt()
                    + " to " + a.finishedAt() + (a.error() == null ? "" : ": " + a.error()));
        }
        // end::results[]
        System.out.println(result);
    }

    static void awaiting(Postpone postpone) throws QueueingLockTakenException, InterruptedException {
        // tag::await[]
        List<Long> ids = postpone.deferAll(SEND_EMAIL, List.of(
                new SendEmail("ada@example.com", "Hi"),
                new SendEmail("bob@example.com", "Hi")));
        Map<Long, JobStatus> done = postpone.jobs().awaitFinished(ids, Duration.ofSeconds(30)); // a worker runs them
        done.forEach((id, status) -> System.out.println(id + " " + status));                  // SUCCEEDED, FAILED or CANCELLED
        // end::await[]
    }

    static void testing(Postpone postpone) {
        // tag::testkit[]
        PostponeTestKit kit = PostponeTestKit.of(postpone);           // the real database, no worker
        kit.assertDeferred(SEND_EMAIL, new SendEmail("ada@example.com", "Welcome"));
        RunSummary run = kit.runDeferred();                           // runs due jobs inline, here and now
        assert run.failed() == 0;
        // end::testkit[]
    }
}
