package dev.postpone.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Task;
import dev.postpone.worker.CatchUp;
import dev.postpone.worker.PeriodicTask;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Which ticks are due after downtime, per catch-up policy and time zone. */
class PeriodicSchedulerTest {

    record None() {
    }

    private final Task<None> task = Task.named("hourly", None.class).action((c, n) -> { });
    private final Instant lastTick = Instant.parse("2026-03-01T10:00:00Z");
    private final Instant now = Instant.parse("2026-03-01T15:30:00Z");

    @Test
    void latestOnlyDefersJustTheMostRecentMissedTick() {
        PeriodicTask<None> hourly = PeriodicTask.of(task, "0 * * * *", new None());
        assertThat(PeriodicScheduler.dueTicks(hourly, lastTick, now)).containsExactly(Instant.parse("2026-03-01T15:00:00Z"));
    }

    @Test
    void allMissedDefersUpToTheLimitOfTheMostRecentTicks() {
        PeriodicTask<None> hourly = PeriodicTask.of(task, "0 * * * *", new None()).catchUp(CatchUp.allMissed(3));
        assertThat(PeriodicScheduler.dueTicks(hourly, lastTick, now)).containsExactly(
                Instant.parse("2026-03-01T13:00:00Z"), Instant.parse("2026-03-01T14:00:00Z"), Instant.parse("2026-03-01T15:00:00Z"));
        PeriodicTask<None> generous = hourly.catchUp(CatchUp.allMissed(100));
        assertThat(PeriodicScheduler.dueTicks(generous, lastTick, now)).hasSize(5);
    }

    @Test
    void nothingIsDueBeforeTheNextTick() {
        PeriodicTask<None> hourly = PeriodicTask.of(task, "0 * * * *", new None());
        assertThat(PeriodicScheduler.dueTicks(hourly, Instant.parse("2026-03-01T15:00:00Z"), now)).isEmpty();
    }

    @Test
    void theCronIsReadInTheTaskTimeZone() {
        PeriodicTask<None> sevenInParis = PeriodicTask.of(task, "0 7 * * *", new None()).zone(ZoneId.of("Europe/Paris"));
        assertThat(PeriodicScheduler.dueTicks(sevenInParis, Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-01T12:00:00Z")))
                .containsExactly(Instant.parse("2026-03-01T06:00:00Z"));
    }
}
