package dev.postpone.worker;

import dev.postpone.Task;
import dev.postpone.TaskSet;
import java.time.Duration;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Runs in a separate JVM for {@link KilledWorkerRescueTest}: a worker whose "hang" jobs block until
 * the process is killed. Arguments: JDBC URL, user (or "-"), and optionally the stalled threshold in ms.
 */
public final class BlockingWorkerMain {

    record Hang(int n) {
    }

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(args[0]);
        if (!args[1].equals("-")) ds.setUser(args[1]);
        Task<Hang> hang = Task.named("hang", Hang.class).queue("rescue").action((context, h) -> Thread.sleep(Long.MAX_VALUE));
        Worker.Builder builder = Worker.builder(ds, TaskSet.of(hang)).name("doomed").concurrency(5)
                .heartbeatInterval(Duration.ofMillis(500));
        if (args.length > 2) builder.stalledThreshold(Duration.ofMillis(Long.parseLong(args[2])));
        Worker worker = builder.start();
        System.out.println("started " + worker.id());
        Thread.sleep(Long.MAX_VALUE);
    }
}
