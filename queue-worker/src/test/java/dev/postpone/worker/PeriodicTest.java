package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Three workers share a per-second cron schedule: each tick is deferred, and run, exactly once. */
@ExtendWith(PostgresExtension.class)
@Timeout(60)
class PeriodicTest {

    record Tick(Instant at) {
    }

    @Test
    void eachTickIsDeferredOnceAcrossThreeWorkers(TestDatabase db) throws Exception {
        Sql.installSchema(db);
        List<Instant> ran = Collections.synchronizedList(new ArrayList<>());
        Task<Tick> tick = Task.named("tick", Tick.class).queue("cron").action((context, t) -> ran.add(t.at()));
        PeriodicTask<Tick> everySecond = PeriodicTask.forEachTick(tick, "* * * * * *", Tick::new);
        List<Worker> workers = new ArrayList<>();
        try (Postpone client = Postpone.builder(db.dataSource()).build()) {
            try {
                for (int i = 0; i < 3; i++) {
                    workers.add(Worker.builder(db.dataSource(), TaskSet.of(tick)).periodic(everySecond).start());
                }
                Await.until("four ticks ran", Duration.ofSeconds(20), () -> ran.size() >= 4);
            } finally {
                workers.forEach(Worker::close);
            }
            List<Instant> ticks = List.copyOf(ran);
            assertThat(ticks).doesNotHaveDuplicates();
            List<Instant> sorted = ticks.stream().sorted().toList();
            for (int i = 1; i < sorted.size(); i++) {
                assertThat(Duration.between(sorted.get(i - 1), sorted.get(i))).as("no tick skipped").isEqualTo(Duration.ofSeconds(1));
            }
            // A tick may have been deferred while the workers stopped, and not run; none may be deferred twice.
            assertThat(Sql.count(db.dataSource(), "select count(*) - count(distinct args) from postpone.jobs where task = 'tick'"))
                    .isZero();
            assertThat(Sql.count(db.dataSource(), "select count(*) from postpone.jobs where task = 'tick'"))
                    .isBetween((long) ticks.size(), (long) ticks.size() + 1);
            long lastTick = Sql.single(db.dataSource(), "select extract(epoch from last_tick)::bigint from postpone.periodic_runs"
                    + " where task = 'tick'");
            assertThat(Instant.ofEpochSecond(lastTick)).isBetween(sorted.getLast(), sorted.getLast().plusSeconds(1));
        }
    }
}
