package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobStatus;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** close(): running jobs get the shutdown timeout to finish; the rest go back to todo with the attempt not counted. */
@ExtendWith(PostgresExtension.class)
@Timeout(60)
class GracefulShutdownTest {

    record Work(String kind) {
    }

    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean blockedWasInterrupted = new AtomicBoolean();

    private Task<Work> task(String queue) {
        return Task.named("work-" + queue, Work.class).queue(queue).action((context, w) -> {
            started.add(w.kind());
            if (w.kind().equals("quick")) {
                Thread.sleep(300);
            } else {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    blockedWasInterrupted.set(true);
                    throw e;
                }
            }
        });
    }

    @BeforeAll
    static void install(TestDatabase db) {
        Sql.installSchema(db);
    }

    @Test
    void finishesWhatCanFinishAndHandsBackTheRest(TestDatabase db) throws Exception {
        Task<Work> work = task("drain");
        try (Postpone client = Postpone.builder(db.dataSource()).build()) {
            Worker worker = Worker.builder(db.dataSource(), TaskSet.of(work)).queues("drain").shutdownTimeout(Duration.ofSeconds(1)).start();
            long quick = client.defer(work, new Work("quick"));
            long blocked = client.defer(work, new Work("blocked"));
            Await.until("both jobs started", Duration.ofSeconds(20), () -> started.containsAll(Set.of("quick", "blocked")));
            worker.close();

            Job quickJob = client.jobs().get(quick).orElseThrow();
            Job blockedJob = client.jobs().get(blocked).orElseThrow();
            assertThat(quickJob.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(blockedJob.status()).isEqualTo(JobStatus.TODO);
            assertThat(blockedJob.attempts()).isZero();
            assertThat(blockedJob.workerId()).isNull();
            assertThat(blockedWasInterrupted).isTrue();
            assertThat(client.jobs().workers()).isEmpty();
        }
    }

    @Test
    void aSecondCloseWhileDrainingStopsWithoutWaiting(TestDatabase db) throws Exception {
        Task<Work> work = task("hard");
        try (Postpone client = Postpone.builder(db.dataSource()).build()) {
            Worker worker = Worker.builder(db.dataSource(), TaskSet.of(work)).queues("hard").shutdownTimeout(Duration.ofMinutes(5)).start();
            long blocked = client.defer(work, new Work("blocked"));
            Await.until("the job started", Duration.ofSeconds(20), () -> started.contains("blocked"));
            Thread first = Thread.ofPlatform().start(worker::close);
            Await.until("the worker is draining", Duration.ofSeconds(10), () -> !worker.isRunning());
            worker.close(); // the second request: returns once stopped, well within the test's timeout
            first.join();

            Job job = client.jobs().get(blocked).orElseThrow();
            assertThat(job.status()).isEqualTo(JobStatus.TODO);
            assertThat(job.attempts()).isZero();
        }
    }
}
