package dev.postpone.cli.e2e;

import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.TaskSetProvider;
import dev.postpone.retry.RetryPolicy;
import dev.postpone.worker.PeriodicTask;
import dev.postpone.worker.PeriodicTaskProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The application that {@code WorkerEndToEndTest} hands to {@code postpone worker --app}: loaded from the
 * test-classes directory given with {@code --classpath}, as a user's jar would be.
 */
public final class EndToEndTasks implements TaskSetProvider, PeriodicTaskProvider {

    /** Arguments of {@link #ECHO}. */
    public record Echo(int n) {
    }

    /** Arguments of {@link #NAP}. */
    public record Nap(long millis) {
    }

    /** Finishes at once. */
    public static final Task<Echo> ECHO = Task.named("e2e-echo", Echo.class)
            .queue("e2e")
            .action((ctx, echo) -> ctx.logger().info("echo {}", echo.n()));

    /** Sleeps longer than the test's shutdown timeout, so SIGTERM finds it running. */
    public static final Task<Nap> NAP = Task.named("e2e-nap", Nap.class)
            .queue("e2e")
            .action((ctx, nap) -> Thread.sleep(nap.millis()));

    /** Fails its first two attempts, then returns a result: what {@code jobs show} lists as attempt history. */
    public static final Task<Echo> FLAKY = Task.named("e2e-flaky", Echo.class)
            .queue("e2e")
            .retry(RetryPolicy.fixed(Duration.ofMillis(50), 3))
            .handler((ctx, echo) -> {
                if (ctx.attempt() < 3) throw new IllegalStateException("flaky on attempt " + ctx.attempt());
                return Map.of("n", echo.n(), "attempt", ctx.attempt());
            });

    /** Deferred every second by the worker's periodic scheduler. */
    public static final Task<Echo> TICK = Task.named("e2e-tick", Echo.class)
            .queue("e2e")
            .action((ctx, echo) -> ctx.logger().info("tick"));

    @Override
    public TaskSet tasks() {
        return TaskSet.of(ECHO, NAP, FLAKY, TICK);
    }

    @Override
    public List<PeriodicTask<?>> periodicTasks() {
        return List.of(PeriodicTask.of(TICK, "* * * * * *", new Echo(0)));
    }
}
