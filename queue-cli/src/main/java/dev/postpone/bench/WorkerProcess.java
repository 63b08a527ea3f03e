package dev.postpone.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.postpone.TaskSet;
import dev.postpone.schema.SchemaName;
import dev.postpone.worker.Worker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A worker JVM of the work scenario, started by {@link WorkBench} so that its CPU time, heap and RSS
 * are the worker's alone. Protocol: prints {@code ready}, waits for a {@code go} line on stdin, runs
 * a worker; the measured window opens once the warm-up jobs (priority 1, fetched first) are done —
 * a long-running worker is past JIT warm-up — and closes when no job is waiting or running; prints
 * one result line, exits.
 *
 * <p>Arguments: {@code jdbcUrl schema concurrency maxPrefetch queues} (queues: comma-separated; empty: every queue).
 */
public final class WorkerProcess {

    static final String USER_VARIABLE = "POSTPONE_BENCH_USER";
    static final String PASSWORD_VARIABLE = "POSTPONE_BENCH_PASSWORD";

    private WorkerProcess() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String schema = args[1];
        int concurrency = Integer.parseInt(args[2]);
        int maxPrefetch = Integer.parseInt(args[3]);
        String[] queues = args.length > 4 && !args[4].isEmpty() ? args[4].split(",") : new String[0];
        PGSimpleDataSource ds = new DatabaseAddress(url, System.getenv(USER_VARIABLE), System.getenv(PASSWORD_VARIABLE)).dataSource();
        AtomicInteger ran = new AtomicInteger();
        TaskSet tasks = TaskSet.of(NoOp.task(ran::incrementAndGet));
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        System.out.println("ready");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!"go".equals(in.readLine())) return;

        String unfinished = "select exists (select 1 from " + SchemaName.of(schema).qualify("jobs")
                + " where status in ('todo', 'doing') and priority >= ?)";
        try (Connection probe = ds.getConnection(); PreparedStatement anyLeft = probe.prepareStatement(unfinished)) {
            long cpuStart;
            long start;
            long end;
            Worker.Builder builder = Worker.builder(ds, tasks);
            if (queues.length > 0) builder.queues(queues);
            try (Worker worker = builder.schema(schema).concurrency(concurrency).maxPrefetch(maxPrefetch)
                    .name("bench-" + ProcessHandle.current().pid()).shutdownTimeout(Duration.ofSeconds(5)).start()) {
                awaitFinished(anyLeft, WorkBench.WARM_UP_PRIORITY);
                cpuStart = os.getProcessCpuTime();
                start = System.currentTimeMillis();
                awaitFinished(anyLeft, 0);
                end = System.currentTimeMillis();
            }
            long cpu = os.getProcessCpuTime() - cpuStart;
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long heapBeforeGc = memory.getHeapMemoryUsage().getUsed();
            System.gc();
            long heapAfterGc = memory.getHeapMemoryUsage().getUsed();
            System.out.println("result " + start + " " + end + " " + ran.get() + " " + cpu + " " + heapBeforeGc + " "
                    + heapAfterGc + " " + rssKilobytes());
        }
    }

    /** Polls a cheap probe (served by the partial indexes) until no job of at least this priority is left. */
    private static void awaitFinished(PreparedStatement anyLeft, int minPriority) throws Exception {
        anyLeft.setInt(1, minPriority);
        while (true) {
            try (ResultSet rs = anyLeft.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) return;
            }
            Thread.sleep(2);
        }
    }

    /** Resident set size from /proc (Linux); -1 elsewhere. */
    static long rssKilobytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return -1;
    }
}
