package dev.postpone.worker;

import dev.postpone.Task;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.Function;

/**
 * A task deferred on a cron schedule. Each tick is deferred exactly once however many workers run it
 * (the database records the last tick per task and key). Give a {@link #key key} to schedule one task
 * several times, e.g. with different arguments.
 *
 * <pre>{@code
 * PeriodicTask.of(REPORT, "0 7 * * 1-5", new Report("daily")).zone(ZoneId.of("Europe/Paris"))
 * PeriodicTask.forEachTick(PING, "0/5 * * * * *", tick -> new Ping(tick))   // every 5 s, the tick as argument
 * }</pre>
 *
 * @param <A> the task's argument type
 */
public final class PeriodicTask<A> {

    private final Task<A> task;
    private final String key;
    private final CronSchedule schedule;
    private final Function<Instant, ? extends A> args;
    private final CatchUp catchUp;

    private PeriodicTask(Task<A> task, String key, CronSchedule schedule, Function<Instant, ? extends A> args, CatchUp catchUp) {
        this.task = Objects.requireNonNull(task, "task");
        this.key = Objects.requireNonNull(key, "key");
        this.schedule = schedule;
        this.args = Objects.requireNonNull(args, "args");
        this.catchUp = Objects.requireNonNull(catchUp, "catchUp");
    }

    /**
     * Defers {@code task} with {@code args} at every tick of {@code cron} (UTC unless {@link #zone} is set).
     *
     * @throws IllegalArgumentException when the cron expression is invalid
     */
    public static <A> PeriodicTask<A> of(Task<A> task, String cron, A args) {
        return new PeriodicTask<>(task, "", schedule(task, "", cron, ZoneOffset.UTC), tick -> args, CatchUp.latestOnly());
    }

    /** Like {@link #of(Task, String, Object)}, with arguments computed from the tick's instant. */
    public static <A> PeriodicTask<A> forEachTick(Task<A> task, String cron, Function<Instant, ? extends A> argsForTick) {
        return new PeriodicTask<>(task, "", schedule(task, "", cron, ZoneOffset.UTC), argsForTick, CatchUp.latestOnly());
    }

    /** Distinguishes several schedules of one task (default: empty). */
    public PeriodicTask<A> key(String key) {
        return new PeriodicTask<>(task, key, schedule, args, catchUp);
    }

    /** The time zone the cron expression is read in (default UTC). */
    public PeriodicTask<A> zone(ZoneId zone) {
        return new PeriodicTask<>(task, key, schedule(task, key, schedule.expression(), zone), args, catchUp);
    }

    /** The schedule, refused with a message that names the task (and key), so a typo among many schedules is found. */
    private static CronSchedule schedule(Task<?> task, String key, String cron, ZoneId zone) {
        Objects.requireNonNull(task, "task");
        return CronSchedule.parse(cron, zone, "of periodic task '" + task.name() + "'" + (key.isEmpty() ? "" : " (key '" + key + "')"));
    }

    /** What to do with ticks missed while no worker ran (default {@link CatchUp#latestOnly()}). */
    public PeriodicTask<A> catchUp(CatchUp catchUp) {
        return new PeriodicTask<>(task, key, schedule, args, catchUp);
    }

    public Task<A> task() {
        return task;
    }

    public String key() {
        return key;
    }

    public CronSchedule schedule() {
        return schedule;
    }

    public CatchUp catchUp() {
        return catchUp;
    }

    /** The arguments of the job deferred for {@code tick}. */
    public A argsFor(Instant tick) {
        return args.apply(tick);
    }

    @Override
    public String toString() {
        return "PeriodicTask[" + task.name() + (key.isEmpty() ? "" : ", key=" + key) + ", " + schedule + "]";
    }
}
