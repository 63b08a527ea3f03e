package dev.postpone.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.DeferOptions;
import dev.postpone.JobContext;
import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.admin.JobStatus;
import dev.postpone.admin.JobSelection;
import dev.postpone.testing.SpringTestDatabases;
import dev.postpone.worker.WorkerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Service;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The embedded worker runs the application's @PostponeTask methods, reports health and metrics, and stops with the application. */
@SpringBootTest(properties = {"postpone.schema.migrate=pre", "postpone.worker.queues=emails",
        "postpone.worker.poll-interval=200ms", "postpone.health.queue-depth-threshold=0"})
class WorkerLifecycleTest {

    static final String URL = SpringTestDatabases.create(WorkerLifecycleTest.class).jdbcUrl();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL);
    }

    record Receipt(long orderId, String email) {}

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Receipts.class)
    static class App {
    }

    @Service
    static class Receipts {
        final List<Receipt> sent = new CopyOnWriteArrayList<>();
        static final CountDownLatch slowStarted = new CountDownLatch(1);

        @PostponeTask(name = "send-receipt", queue = "emails")
        void send(Receipt receipt) {
            sent.add(receipt);
        }

        /** Runs until interrupted, so only the shutdown timeout ends it. */
        @PostponeTask(name = "slow", queue = "slow")
        void slow(JobContext context) throws InterruptedException {
            slowStarted.countDown();
            Thread.sleep(Duration.ofMinutes(5));
        }
    }

    @Autowired Postpone postpone;
    @Autowired Receipts receipts;
    @Autowired @Qualifier("send-receipt") Task<Receipt> sendReceipt;
    @Autowired MeterRegistry meters;
    @Autowired PostponeHealthIndicator health;

    @Test
    void a_deferred_job_runs_the_annotated_method_with_its_arguments_and_is_counted_in_the_applications_registry()
            throws Exception {
        long id = postpone.defer(sendReceipt, new Receipt(42, "ada@example.com"));

        assertThat(postpone.jobs().awaitFinished(List.of(id), Duration.ofSeconds(20))).containsEntry(id, JobStatus.SUCCEEDED);
        assertThat(receipts.sent).contains(new Receipt(42, "ada@example.com"));
        assertThat(meters.get("postpone.jobs.deferred").tag("task", "send-receipt").counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get(WorkerMetrics.JOBS_SUCCEEDED).tag("task", "send-receipt").counter().count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void health_is_up_with_a_running_worker_and_down_when_a_queue_is_deeper_than_the_threshold() throws Exception {
        Health up = health.health(true);
        assertThat(up.getStatus().getCode()).isEqualTo("UP");
        assertThat(up.getDetails()).containsEntry("schema", "compatible");
        assertThat(up.getDetails().get("worker")).isEqualTo(Map.of("state", "running", "name", ((Map<?, ?>) up.getDetails().get("worker")).get("name"), "inFlight", 0));

        long parked = postpone.defer(sendReceipt, new Receipt(1, "x@example.com"), DeferOptions.defaults().queue("parked"));
        try {
            Health down = health.health(true);
            assertThat(down.getStatus().getCode()).isEqualTo("DOWN");
            assertThat(down.getDetails().get("queueDepth")).isEqualTo(Map.of("parked", 1L));
        } finally {
            postpone.jobs().delete(JobSelection.ids(parked));
        }
    }

    @Test
    void stopping_the_application_hands_back_a_job_that_outlives_the_shutdown_timeout_within_the_phase_timeout()
            throws Exception {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("spring.datasource.url=" + URL, "postpone.worker.queues=slow", "postpone.worker.shutdown-timeout=1s",
                        "spring.lifecycle.timeout-per-shutdown-phase=10s", "management.endpoints.enabled-by-default=false")
                .run();
        Postpone client = app.getBean(Postpone.class);
        long id = client.defer(taskNamed(client, "slow"), null);
        assertThat(Receipts.slowStarted.await(20, TimeUnit.SECONDS)).isTrue();

        long started = System.nanoTime();
        app.close();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isLessThan(Duration.ofSeconds(10));
        assertThat(postpone.jobs().get(id)).hasValueSatisfying(job -> {
            assertThat(job.status()).isEqualTo(JobStatus.TODO);
            assertThat(job.workerId()).isNull();
        });
        postpone.jobs().delete(JobSelection.ids(id));
    }

    @SuppressWarnings("unchecked")
    private static Task<Object> taskNamed(Postpone client, String name) {
        return (Task<Object>) client.tasks().require(name);
    }
}
