package dev.postpone.bench;

/**
 * Sizes of a benchmark run.
 *
 * @param jobs             jobs per throughput scenario (ceiling, enqueue, work)
 * @param repetitions      runs of each scenario; the median is reported
 * @param connections      connections the ceiling uses (what a worker uses on its hot path: fetch + complete)
 * @param latencyJobs      jobs of the latency scenario, deferred {@code latencyGapMillis} apart
 * @param latencyGapMillis pause between two latency jobs
 * @param memoryConcurrency the larger worker concurrency the memory scenario uses
 * @param warmUpJobs       jobs a worker JVM runs before its measured window (JIT warm-up)
 */
public record BenchConfig(int jobs, int repetitions, int connections, int latencyJobs, int latencyGapMillis,
                          int memoryConcurrency, int warmUpJobs) {

    public static BenchConfig defaults() {
        return new BenchConfig(20_000, 3, 2, 500, 10, 200, 10_000);
    }

    /**
     * Tiny sizes for the smoke test: seconds, not minutes. The memory concurrency differs from the fixed
     * concurrency-50 scenario so that every result row stays distinct.
     */
    public static BenchConfig smoke() {
        return new BenchConfig(500, 1, 2, 20, 5, 100, 100);
    }

    public BenchConfig {
        if (jobs < 100) throw new IllegalArgumentException("jobs must be at least 100");
        if (repetitions < 1) throw new IllegalArgumentException("repetitions must be at least 1");
        if (connections < 1) throw new IllegalArgumentException("connections must be at least 1");
        if (latencyJobs < 1) throw new IllegalArgumentException("latency jobs must be at least 1");
        if (warmUpJobs < 0) throw new IllegalArgumentException("warm-up jobs must not be negative");
    }
}
