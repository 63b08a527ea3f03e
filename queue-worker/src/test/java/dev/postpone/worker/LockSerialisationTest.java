package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.DeferOptions;
import dev.postpone.JobRequest;
import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.JobStatus;
import dev.postpone.admin.QueueCount;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Jobs sharing a lock never overlap, across workers, and run in priority-then-id order. */
@ExtendWith(PostgresExtension.class)
@Timeout(90)
class LockSerialisationTest {

    record Step(String lock, int priority) {
    }

    record Deferred(long id, String lock, int priority) {
    }

    @Test
    void jobsOfOneLockRunOneAtATimeInPriorityThenIdOrder(TestDatabase db) throws Exception {
        Sql.installSchema(db);
        Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        Map<String, List<Long>> order = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        Task<Step> step = Task.named("step", Step.class).queue("locks").action((context, s) -> {
            AtomicInteger active = running.computeIfAbsent(s.lock(), k -> new AtomicInteger());
            if (active.incrementAndGet() > 1) overlaps.incrementAndGet();
            order.computeIfAbsent(s.lock(), k -> Collections.synchronizedList(new ArrayList<>())).add(context.jobId());
            Thread.sleep(3);
            active.decrementAndGet();
        });
        Random random = new Random(42);
        List<String> locks = List.of("red", "green", "blue");
        List<JobRequest<?>> requests = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            Step s = new Step(locks.get(i % 3), random.nextInt(3));
            steps.add(s);
            requests.add(JobRequest.of(step, s, DeferOptions.defaults().lock(s.lock()).priority(s.priority())));
        }
        try (Postpone client = Postpone.builder(db.dataSource()).build()) {
            List<Long> ids = client.deferAll(requests);
            List<Worker> workers = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    workers.add(Worker.builder(db.dataSource(), TaskSet.of(step)).concurrency(6).start());
                }
                Await.until("all jobs succeeded", Duration.ofSeconds(60), () -> client.jobs().counts(Set.of(JobStatus.SUCCEEDED))
                        .stream().mapToLong(QueueCount::jobs).sum() == 150);
            } finally {
                workers.forEach(Worker::close);
            }
            assertThat(overlaps).hasValue(0);
            for (String lock : locks) {
                List<Long> expected = new ArrayList<>();
                List<Deferred> ofLock = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    if (steps.get(i).lock().equals(lock)) ofLock.add(new Deferred(ids.get(i), lock, steps.get(i).priority()));
                }
                ofLock.sort(Comparator.comparingInt(Deferred::priority).reversed().thenComparingLong(Deferred::id));
                ofLock.forEach(d -> expected.add(d.id()));
                assertThat(order.get(lock)).as("run order of lock %s", lock).containsExactlyElementsOf(expected);
            }
        }
    }
}
