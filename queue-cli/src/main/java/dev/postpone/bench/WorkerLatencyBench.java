package dev.postpone.bench;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Enqueue-to-start latency in an application JVM started for the measurement ({@link LatencyProcess}), as
 * the peer harness measures every queue: cold, a process that has just started its client and worker (its
 * jobs come one second after the worker started), and warm, the same after the worker ran the warm-up jobs.
 * Timed from the defer call (the cold client's first defers count) to the handler's start.
 */
final class WorkerLatencyBench {

    /** How long the fresh worker idles before the first job, as in the peer harness. */
    static final int IDLE_MILLIS = 1000;

    private final DatabaseAddress database;
    private final String schema;

    WorkerLatencyBench(DatabaseAddress database, String schema) {
        this.database = database;
        this.schema = schema;
    }

    LatencyBench.Percentiles measure(int warmUpJobs, int jobs, int gapMillis) throws Exception {
        ProcessBuilder pb = ChildJvm.of(database, LatencyProcess.class, database.jdbcUrl(), schema, String.valueOf(warmUpJobs),
                String.valueOf(jobs), String.valueOf(gapMillis), String.valueOf(IDLE_MILLIS));
        Process p = pb.start();
        try {
            BufferedReader out = p.inputReader(StandardCharsets.UTF_8);
            for (String line; (line = out.readLine()) != null; ) {
                if (!line.startsWith("result ")) continue;
                String[] r = line.split(" ");
                if (!p.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("latency process did not exit");
                return new LatencyBench.Percentiles(Double.parseDouble(r[1]), Double.parseDouble(r[2]), Double.parseDouble(r[3]),
                        Double.parseDouble(r[4]));
            }
            throw new IllegalStateException("latency process ended without a result (exit " + p.waitFor() + ")");
        } finally {
            p.destroyForcibly();
        }
    }
}
