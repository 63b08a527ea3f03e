package dev.postpone.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpone.DeferOptions;
import dev.postpone.Postpone;
import dev.postpone.SchemaNotReadyException;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.worker.ListenerKind;
import dev.postpone.worker.Worker;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * An application JVM of the cold and warm latency scenarios, started fresh by {@link WorkerLatencyBench}:
 * a HikariCP pool, a client and a worker on it, as an application has (and as the peer harness runs
 * every queue). It runs {@code warmUpJobs} no-op jobs first (0 for a just-started process), lets the
 * worker idle for {@code idleMillis}, then defers {@code jobs} jobs {@code gapMillis} apart, each timed
 * from just before its {@code defer} call to its handler's start (one clock, this JVM). Prints one line
 * {@code result <p50> <p95> <p99> <max>} (ms) and one {@code latencies <ms>…} line in defer order.
 *
 * <p>Arguments: {@code jdbcUrl schema warmUpJobs jobs gapMillis idleMillis [listener]} ({@link ListenerKind},
 * default the worker's default); credentials in
 * {@link WorkerProcess#USER_VARIABLE} and {@link WorkerProcess#PASSWORD_VARIABLE}.
 */
public final class LatencyProcess {

    private LatencyProcess() {
    }

    public static void main(String[] args) throws Exception {
        DatabaseAddress database = new DatabaseAddress(args[0], System.getenv(WorkerProcess.USER_VARIABLE),
                System.getenv(WorkerProcess.PASSWORD_VARIABLE));
        String schema = args[1];
        int warmUpJobs = Integer.parseInt(args[2]);
        int jobs = Integer.parseInt(args[3]);
        int gapMillis = Integer.parseInt(args[4]);
        int idleMillis = Integer.parseInt(args[5]);
        ListenerKind listener = args.length > 6 ? ListenerKind.valueOf(args[6]) : null;

        long[] called = new long[jobs];
        long[] started = new long[jobs];
        CountDownLatch measured = new CountDownLatch(jobs);
        CountDownLatch warm = new CountDownLatch(warmUpJobs);
        // Warm-up jobs carry negative numbers so the handler tells them apart from measured ones.
        Task<NoOp.Args> task = Task.named(NoOp.NAME, NoOp.Args.class).queue("bench-latency").action((context, a) -> {
            if (a.n() < 0) {
                warm.countDown();
            } else {
                started[a.n()] = System.nanoTime();
                measured.countDown();
            }
        });
        try (HikariDataSource pool = database.pool(14);
             Postpone client = Postpone.builder(pool).schema(schema).build();
             Worker worker = worker(pool, task, schema, listener, database)) {
            if (warmUpJobs > 0) {
                client.deferAll(task, IntStream.range(0, warmUpJobs).mapToObj(i -> new NoOp.Args(-1 - i)).toList(),
                        DeferOptions.defaults());
                if (!warm.await(5, TimeUnit.MINUTES)) throw new IllegalStateException("warm-up jobs did not all run");
            }
            Thread.sleep(idleMillis);
            for (int i = 0; i < jobs; i++) {
                called[i] = System.nanoTime();
                client.defer(task, new NoOp.Args(i));
                Thread.sleep(gapMillis);
            }
            if (!measured.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latency jobs did not all start; " + measured.getCount() + " left");
            }
        }
        print(called, started);
    }

    private static Worker worker(HikariDataSource pool, Task<NoOp.Args> task, String schema, ListenerKind listener,
                                 DatabaseAddress database) throws SchemaNotReadyException {
        Worker.Builder builder = Worker.builder(pool, TaskSet.of(task)).schema(schema).concurrency(10)
                .queues("bench-latency").shutdownTimeout(Duration.ofSeconds(5));
        if (listener == ListenerKind.PGJDBC_NG) builder.listener(listener).pgjdbcNgUrl(database.urlWithCredentials());
        return builder.start();
    }

    private static void print(long[] called, long[] started) {
        int jobs = called.length;
        double[] ms = new double[jobs];
        for (int i = 0; i < jobs; i++) ms[i] = (started[i] - called[i]) / 1e6;
        System.out.println("latencies " + Arrays.stream(ms).mapToObj(v -> String.format(Locale.ROOT, "%.3f", v))
                .collect(Collectors.joining(" ")));
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.println(String.format(Locale.ROOT, "result %.3f %.3f %.3f %.3f", LatencyBench.percentile(sorted, 50),
                LatencyBench.percentile(sorted, 95), LatencyBench.percentile(sorted, 99), sorted[sorted.length - 1]));
    }
}
