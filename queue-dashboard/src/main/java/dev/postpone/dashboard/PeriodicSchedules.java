package dev.postpone.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The schedules of the application's periodic tasks: the database records only each task's last
 * tick, the schedule lives in the code that defines the tasks. A host that runs workers supplies this
 * (the CLI does from the worker's periodic tasks); without it the Periodic page shows last ticks only.
 */
@FunctionalInterface
public interface PeriodicSchedules {

    /** A periodic task's schedule and its next tick after now. */
    record Schedule(String task, String key, String expression, String zone, Optional<Instant> nextTick) {
    }

    List<Schedule> schedules(Instant now);

    static PeriodicSchedules none() {
        return now -> List.of();
    }
}
