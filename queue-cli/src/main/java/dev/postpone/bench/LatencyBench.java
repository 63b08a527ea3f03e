package dev.postpone.bench;

import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.worker.ListenerKind;
import dev.postpone.worker.Worker;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Enqueue-to-start latency on an idle worker: jobs deferred one at a time, a few ms apart; latency is
 * from the moment {@code defer} returned (the commit is acknowledged) to the moment the handler starts,
 * both read from the same clock in this JVM.
 */
final class LatencyBench {

    /** How the idle worker learns about new jobs. */
    enum Mode { LISTEN_PGJDBC, LISTEN_PGJDBC_NG, POLL_ONLY }

    /** Latency percentiles in milliseconds. */
    record Percentiles(double p50, double p95, double p99, double max) {}

    private final DataSource dataSource;
    /** For the pgjdbc-ng listener, credentials included. */
    private final String listenerUrl;
    private final String schema;

    LatencyBench(DataSource dataSource, String listenerUrl, String schema) {
        this.dataSource = dataSource;
        this.listenerUrl = listenerUrl;
        this.schema = schema;
    }

    Percentiles measure(Postpone client, Mode mode, int jobs, int gapMillis, Duration pollInterval) throws Exception {
        long[] committed = new long[jobs];
        long[] started = new long[jobs];
        CountDownLatch done = new CountDownLatch(jobs);
        Task<NoOp.Args> task = Task.named(NoOp.NAME, NoOp.Args.class).queue("bench-latency").action((context, args) -> {
            started[args.n()] = System.nanoTime();
            done.countDown();
        });
        Worker.Builder builder = Worker.builder(dataSource, TaskSet.of(task)).schema(schema).concurrency(10)
                .queues("bench-latency").pollInterval(pollInterval).shutdownTimeout(Duration.ofSeconds(5));
        switch (mode) {
            case LISTEN_PGJDBC -> builder.listen(true);
            case LISTEN_PGJDBC_NG -> builder.listen(true).listener(ListenerKind.PGJDBC_NG).pgjdbcNgUrl(listenerUrl);
            case POLL_ONLY -> builder.listen(false);
        }
        try (Worker worker = builder.start()) {
            Thread.sleep(300); // let the worker go idle: connected, listening, nothing to fetch
            for (int i = 0; i < jobs; i++) {
                client.defer(task, new NoOp.Args(i));
                committed[i] = System.nanoTime();
                Thread.sleep(gapMillis);
            }
            if (!done.await(pollInterval.toMillis() * 2 + 30_000, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("latency jobs did not all start; " + done.getCount() + " left");
            }
        }
        double[] ms = new double[jobs];
        for (int i = 0; i < jobs; i++) ms[i] = (started[i] - committed[i]) / 1e6;
        Arrays.sort(ms);
        return new Percentiles(percentile(ms, 50), percentile(ms, 95), percentile(ms, 99), ms[ms.length - 1]);
    }

    static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
