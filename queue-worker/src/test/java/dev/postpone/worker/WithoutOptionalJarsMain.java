package dev.postpone.worker;

import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.JobStatus;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Run by {@link OptionalDependenciesTest} in a JVM whose class path lacks the optional jars: starts a
 * worker with its defaults, runs one job, prints {@code ok <status>}.
 */
public final class WithoutOptionalJarsMain {

    private WithoutOptionalJarsMain() {
    }

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(args[0]);
        if (args.length > 1 && !args[1].isEmpty()) ds.setUser(args[1]);
        CountDownLatch ran = new CountDownLatch(1);
        Task<String> hello = Task.named("hello", String.class).action((context, name) -> ran.countDown());
        try (Postpone client = Postpone.builder(ds).build();
             Worker worker = Worker.builder(ds, TaskSet.of(hello)).start()) {
            long id = client.defer(hello, "world");
            if (!ran.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("the job did not run");
            JobStatus status = null;
            for (int i = 0; i < 300 && status != JobStatus.SUCCEEDED; i++) {
                status = client.jobs().get(id).orElseThrow().status();
                Thread.sleep(10);
            }
            System.out.println("ok " + status.label());
        }
    }
}
