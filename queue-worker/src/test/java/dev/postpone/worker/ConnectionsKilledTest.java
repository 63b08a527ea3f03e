package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.JobStatus;
import dev.postpone.admin.QueueCount;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every connection of the workers is terminated several times while they run (what a database
 * restart does to them): they reconnect and finish every job; nothing is lost.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(120)
class ConnectionsKilledTest {

    record Unit(int n) {
    }

    @Test
    void workersReconnectAndFinishEverything(TestDatabase db) throws Exception {
        Sql.installSchema(db);
        Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
        Task<Unit> unit = Task.named("unit", Unit.class).queue("flaky-db").action((context, u) -> {
            runs.computeIfAbsent(context.jobId(), id -> new AtomicInteger()).incrementAndGet();
            Thread.sleep(2);
        });
        int total = 4_000;
        try (Postpone client = Postpone.builder(db.dataSource()).build()) {
            List<Long> ids = client.deferAll(unit, IntStream.range(0, total).mapToObj(Unit::new).toList());
            List<Worker> workers = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    workers.add(Worker.builder(db.dataSource(), TaskSet.of(unit)).concurrency(8).pollInterval(Duration.ofMillis(500))
                            .heartbeatInterval(Duration.ofMillis(300)).stalledThreshold(Duration.ofSeconds(2)).start());
                }
                for (int kill = 0; kill < 4; kill++) {
                    Await.until("some progress", Duration.ofSeconds(30), () -> runs.size() > 0);
                    Thread.sleep(400);
                    long killed = Sql.count(db.dataSource(), "select count(pg_terminate_backend(pid)) from pg_stat_activity"
                            + " where datname = current_database() and pid <> pg_backend_pid()");
                    assertThat(killed).isPositive();
                }
                Await.until("every job succeeded", Duration.ofSeconds(60), () -> client.jobs().counts(Set.of(JobStatus.SUCCEEDED))
                        .stream().mapToLong(QueueCount::jobs).sum() == total);
                assertThat(workers).allMatch(Worker::isRunning);
            } finally {
                workers.forEach(Worker::close);
            }
            assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(client.jobs().counts()).extracting(QueueCount::status).containsOnly(JobStatus.SUCCEEDED);
        }
    }
}
