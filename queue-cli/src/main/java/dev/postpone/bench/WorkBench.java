package dev.postpone.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Queued no-op jobs drained by worker JVMs started for the purpose ({@link WorkerProcess}): jobs per
 * second from the end of a warm-up drain to the last job durably succeeded, CPU seconds of the worker JVMs
 * per 1 000 jobs, and the worker's heap and RSS afterwards.
 */
final class WorkBench {

    /** Warm-up jobs carry this priority so the worker runs them before the measured ones. */
    static final int WARM_UP_PRIORITY = 1;

    /** What one drain measured. */
    record Drain(double jobsPerSecond, double cpuSecondsPerThousand, double heapMb, double heapAfterGcMb, double rssMb) {}

    private final DatabaseAddress database;
    private final String schema;

    WorkBench(DatabaseAddress database, String schema) {
        this.database = database;
        this.schema = schema;
    }

    Drain drain(long jobs, int concurrency, int maxPrefetch, int processes) throws Exception {
        return drain(jobs, concurrency, maxPrefetch, processes, List.of());
    }

    /** As above, with workers that serve these queues (none: every queue). */
    Drain drain(long jobs, int concurrency, int maxPrefetch, int processes, List<String> queues) throws Exception {
        List<Process> children = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) children.add(start(concurrency, maxPrefetch, queues));
            for (Process p : children) expectLine(p, "ready");
            for (Process p : children) {
                Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
                w.write("go\n");
                w.flush();
            }
            long first = Long.MAX_VALUE, last = 0, cpu = 0;
            double heap = 0, heapAfterGc = 0, rss = 0;
            for (Process p : children) {
                String[] r = expectLine(p, "result").split(" ");
                first = Math.min(first, Long.parseLong(r[1]));
                last = Math.max(last, Long.parseLong(r[2]));
                cpu += Long.parseLong(r[4]);
                heap = Math.max(heap, Long.parseLong(r[5]) / 1048576.0);
                heapAfterGc = Math.max(heapAfterGc, Long.parseLong(r[6]) / 1048576.0);
                rss = Math.max(rss, Long.parseLong(r[7]) / 1024.0);
                if (!p.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("worker process did not exit");
            }
            double seconds = Math.max(1, last - first) / 1000.0;
            return new Drain(jobs / seconds, cpu / 1e9 / (jobs / 1000.0), heap, heapAfterGc, rss);
        } finally {
            children.forEach(Process::destroyForcibly);
        }
    }

    private Process start(int concurrency, int maxPrefetch, List<String> queues) throws Exception {
        return ChildJvm.of(database, WorkerProcess.class, database.jdbcUrl(), schema, String.valueOf(concurrency),
                String.valueOf(maxPrefetch), String.join(",", queues)).start();
    }

    private static String expectLine(Process p, String prefix) throws Exception {
        BufferedReader out = p.inputReader(StandardCharsets.UTF_8);
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith(prefix)) return line;
        }
        throw new IllegalStateException("worker process ended without printing '" + prefix + "' (exit " + p.waitFor() + ")");
    }
}
