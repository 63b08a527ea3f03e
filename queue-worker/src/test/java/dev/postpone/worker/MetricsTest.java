package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.JobStatus;
import dev.postpone.admin.QueueCount;
import dev.postpone.retry.RetryPolicy;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The meters count what happened: started, succeeded, failed, retried, durations; and Prometheus serves them. */
@ExtendWith(PostgresExtension.class)
@Timeout(60)
class MetricsTest {

    record Input(int n) {
    }

    @Test
    void countersMatchWhatHappened(TestDatabase db) throws Exception {
        Sql.installSchema(db);
        Task<Input> ok = Task.named("ok", Input.class).queue("m").action((c, i) -> { });
        Task<Input> broken = Task.named("broken", Input.class).queue("m")
                .retry(RetryPolicy.fixed(Duration.ofMillis(10), 3))
                .action((c, i) -> {
                    throw new IllegalStateException("always");
                });
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (Postpone client = Postpone.builder(db.dataSource()).build();
             Worker worker = Worker.builder(db.dataSource(), TaskSet.of(ok, broken)).meterRegistry(registry)
                     .pollInterval(Duration.ofMillis(100)).prometheusPort(port).start()) {
            client.deferAll(ok, Collections.nCopies(5, new Input(1)));
            client.deferAll(broken, List.of(new Input(1), new Input(2)));
            Await.until("7 jobs finished", Duration.ofSeconds(30), () -> client.jobs().counts(Set.of(JobStatus.SUCCEEDED, JobStatus.FAILED))
                    .stream().mapToLong(QueueCount::jobs).sum() == 7);
            Await.until("the last outcome was counted", Duration.ofSeconds(5), () -> count(registry, WorkerMetrics.JOBS_FAILED, "broken") == 2);

            assertThat(count(registry, WorkerMetrics.JOBS_STARTED, "ok")).isEqualTo(5);
            assertThat(count(registry, WorkerMetrics.JOBS_SUCCEEDED, "ok")).isEqualTo(5);
            assertThat(count(registry, WorkerMetrics.JOBS_FAILED, "ok")).isZero();
            assertThat(count(registry, WorkerMetrics.JOBS_STARTED, "broken")).isEqualTo(6);
            assertThat(count(registry, WorkerMetrics.JOBS_RETRIED, "broken")).isEqualTo(4);
            assertThat(count(registry, WorkerMetrics.JOBS_FAILED, "broken")).isEqualTo(2);
            assertThat(count(registry, WorkerMetrics.JOBS_SUCCEEDED, "broken")).isZero();
            assertThat(registry.get(WorkerMetrics.JOB_DURATION).tags("task", "ok", "queue", "m", "outcome", "succeeded").timer().count())
                    .isEqualTo(5);
            assertThat(registry.get(WorkerMetrics.JOB_QUEUE_WAIT).tags("task", "broken", "queue", "m").timer().count()).isEqualTo(6);
            assertThat(registry.get(WorkerMetrics.JOBS_IN_FLIGHT).tag("worker", worker.name()).gauge().value()).isZero();

            HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.prometheusPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("postpone_jobs_succeeded_total{queue=\"m\",task=\"ok\"} 5.0");
        }
    }

    private static double count(MeterRegistry registry, String name, String task) {
        var counter = registry.find(name).tags("task", task, "queue", "m").counter();
        return counter == null ? 0 : counter.count();
    }
}
