package dev.postpone.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postpone.DeferOptions;
import dev.postpone.JobRequest;
import dev.postpone.Postpone;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobFilter;
import dev.postpone.admin.JobStatus;
import dev.postpone.schema.MigrationTarget;
import dev.postpone.schema.Migrator;
import dev.postpone.schema.Release;
import dev.postpone.worker.Worker;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The demo: defers a handful of jobs that show Postpone's features, runs a worker until they are all
 * finished (printing progress), then prints what happened per task. {@code postpone demo} runs it on
 * an embedded PostgreSQL; {@link #main} runs it on the database given as argument.
 */
public final class DemoApp {

    /** The demo gives up (and fails) when its jobs are not done by then. */
    static final Duration TIME_LIMIT = Duration.ofSeconds(60);

    private final DataSource dataSource;
    private final String schema;
    private final PrintWriter out;

    public DemoApp(DataSource dataSource, String schema, PrintWriter out) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.out = out;
    }

    /** {@code java -cp … dev.postpone.demo.DemoApp jdbc:postgresql://host/db?user=…}: migrates, then runs the demo. */
    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : System.getenv("POSTPONE_DATABASE_URL");
        if (url == null) {
            System.err.println("usage: DemoApp JDBC_URL (or set POSTPONE_DATABASE_URL)");
            System.exit(2);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(10);
        try (HikariDataSource ds = new HikariDataSource(config)) {
            Migrator.builder(ds).build().migrate(MigrationTarget.ALL, Release.current());
            new DemoApp(ds, "postpone", new PrintWriter(System.out, true)).run();
        }
    }

    /** Defers the demo jobs, runs a worker until they are finished, and returns the summary. */
    public DemoSummary run() throws Exception {
        Instant started = Instant.now();
        try (Postpone client = Postpone.builder(dataSource).schema(schema).build()) {
            List<Long> ids = deferJobs(client);
            out.println("deferred " + ids.size() + " jobs; starting a worker, which also defers a periodic 'heartbeat' job every 2 s");
            out.flush();
            try (Worker worker = Worker.builder(dataSource, new DemoTasks().tasks())
                    .schema(schema)
                    .name("demo-worker")
                    .concurrency(8)
                    .pollInterval(Duration.ofMillis(250))
                    .shutdownTimeout(Duration.ofSeconds(5))
                    .periodic(DemoTasks.EVERY_TWO_SECONDS)
                    .start()) {
                awaitFinished(client, ids, started);
            }
            DemoSummary summary = summarize(client, ids, started);
            out.println();
            out.print(summary.table());
            // The heartbeat ticks are jobs too, but not among the deferred ones the progress line counts:
            // name both parts so the total adds up.
            long ticks = summary.finished(DemoTasks.HEARTBEAT.name());
            out.printf("%nall %d jobs finished (%d deferred + %d heartbeat tick%s) in %.1f s: %d succeeded, %d failed for good, %d needed retries%n",
                    summary.total(DemoSummary.TaskCounts::succeeded) + summary.total(DemoSummary.TaskCounts::failed),
                    ids.size(), ticks, ticks == 1 ? "" : "s",
                    Duration.between(started, Instant.now()).toMillis() / 1000.0,
                    summary.total(DemoSummary.TaskCounts::succeeded), summary.total(DemoSummary.TaskCounts::failed),
                    summary.total(DemoSummary.TaskCounts::retried));
            out.flush();
            return summary;
        }
    }

    private static List<Long> deferJobs(Postpone client) throws Exception {
        List<JobRequest<?>> batch = new ArrayList<>();
        for (String name : List.of("Ada", "Grace", "Edsger", "Barbara", "Ken")) {
            batch.add(JobRequest.of(DemoTasks.SEND_WELCOME_EMAIL, new DemoTasks.WelcomeEmail(name.toLowerCase() + "@example.com", name)));
        }
        for (int order = 1; order <= 4; order++) {
            batch.add(JobRequest.of(DemoTasks.CHARGE_PAYMENT, new DemoTasks.Payment("order-" + order, 1000L * order, order == 4)));
        }
        for (String report : List.of("daily-sales", "inventory", "churn")) {
            batch.add(JobRequest.of(DemoTasks.REBUILD_REPORT, new DemoTasks.Report(report)));
        }
        batch.add(JobRequest.of(DemoTasks.SLOW_EXPORT, new DemoTasks.Export("customers", 3)));
        batch.add(JobRequest.of(DemoTasks.RENDER_INVOICE, new DemoTasks.Invoice("order-1", 4)));
        // A scheduled job: waits three seconds before any worker may take it.
        batch.add(JobRequest.of(DemoTasks.SEND_WELCOME_EMAIL, new DemoTasks.WelcomeEmail("linus@example.com", "Linus"),
                DeferOptions.defaults().in(Duration.ofSeconds(3))));
        return new ArrayList<>(client.deferAll(batch));
    }

    private void awaitFinished(Postpone client, List<Long> ids, Instant started) throws InterruptedException {
        String last = "";
        while (true) {
            Map<JobStatus, Integer> counts = new LinkedHashMap<>();
            for (long id : ids) {
                client.jobs().get(id).ifPresent(j -> counts.merge(j.status(), 1, Integer::sum));
            }
            int finished = counts.entrySet().stream().filter(e -> e.getKey().isFinished()).mapToInt(Map.Entry::getValue).sum();
            boolean ticked = !heartbeats(client, started).isEmpty();
            String line = String.format("progress: %d/%d deferred jobs finished (todo %d, doing %d)%s", finished, ids.size(),
                    counts.getOrDefault(JobStatus.TODO, 0), counts.getOrDefault(JobStatus.DOING, 0), ticked ? "" : ", waiting for a heartbeat tick");
            if (!line.equals(last)) {
                out.println(line);
                out.flush();
                last = line;
            }
            if (finished == ids.size() && ticked) return;
            if (Duration.between(started, Instant.now()).compareTo(TIME_LIMIT) > 0) {
                throw new IllegalStateException("the demo's jobs did not finish within " + TIME_LIMIT.toSeconds() + " s: " + line);
            }
            Thread.sleep(200);
        }
    }

    private static List<Job> heartbeats(Postpone client, Instant started) {
        return client.jobs().list(JobFilter.all().task(DemoTasks.HEARTBEAT.name()).status(JobStatus.SUCCEEDED)
                .createdBetween(started.minusSeconds(1), null)).jobs();
    }

    private static DemoSummary summarize(Postpone client, List<Long> ids, Instant started) {
        List<Job> jobs = new ArrayList<>();
        for (long id : ids) client.jobs().get(id).ifPresent(jobs::add);
        jobs.addAll(heartbeats(client, started));
        Map<String, DemoSummary.TaskCounts> byTask = new LinkedHashMap<>();
        for (Job j : jobs) {
            DemoSummary.TaskCounts c = byTask.getOrDefault(j.task(), new DemoSummary.TaskCounts(0, 0, 0));
            byTask.put(j.task(), new DemoSummary.TaskCounts(
                    c.succeeded() + (j.status() == JobStatus.SUCCEEDED ? 1 : 0),
                    c.failed() + (j.status() == JobStatus.FAILED ? 1 : 0),
                    c.retried() + (j.attempts() > 1 ? 1 : 0)));
        }
        return new DemoSummary(byTask);
    }
}
