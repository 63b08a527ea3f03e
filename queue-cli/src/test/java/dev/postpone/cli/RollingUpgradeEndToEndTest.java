package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpone.schema.Contract;
import dev.postpone.schema.MigrationCatalog;
import dev.postpone.schema.MigrationStep;
import dev.postpone.schema.Phase;
import dev.postpone.schema.Release;
import dev.postpone.schema.SchemaGuard;
import dev.postpone.schema.SchemaName;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rolling upgrade from the previous release ({@code releases.txt}, built by {@link PreviousRelease}) to
 * this one, on a real database with every worker and application in its own JVM, in the order
 * docs/schema-and-upgrades.md tells an operator to go: S0 = the previous release installed; S1 = S0 +
 * pre(this release); S2 = S1 + post(this release). The numbers in the step names are issue #10's.
 *
 * <p><b>Extending it.</b> Each schema change of a release adds its probe to the step where a user would
 * first meet it: new job states, abort, pause, new tasks and the new fetch in {@link #bothReleasesShareS1}
 * (jobs the new release writes, read by the old CLI and run or handed back by old workers); anything the
 * post steps drop in {@link #postWaitsForThePreviousReleaseThenApplies} and {@link #previousWorkerOnS2};
 * attempt history in {@link #everyJobRanOnce}.
 */
@ExtendWith(PostgresExtension.class)
class RollingUpgradeEndToEndTest {

    private static final String APP = "dev.postpone.demo.DemoTasks";
    private static final String TASK = "send-welcome-email"; // a 1.0.0 demo task without sleeps or failures
    private static final String JOB_LOG = "sending welcome email"; // what the task logs per job it runs
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final List<FleetProcess> started = new ArrayList<>();
    private final Set<Long> deferred = new TreeSet<>(); // every id any client or CLI printed

    private TestDatabase db;
    private JobLedger ledger;
    private Path logs;
    private ReleaseCli previous;
    private ReleaseCli current;
    private Release currentRelease;
    private Map<String, String> previousEnv;
    private Map<String, String> currentEnv;

    private final List<FleetProcess> previousWorkers = new ArrayList<>();
    private final List<FleetProcess> currentWorkers = new ArrayList<>();
    private FleetProcess previousClient;
    private FleetProcess currentClient;

    @AfterEach
    void stopEverything() {
        started.forEach(FleetProcess::close);
    }

    @Test
    void previousReleaseKeepsWorkingThroughPreThenPostOfThisRelease(TestDatabase db) throws Exception {
        this.db = db;
        this.ledger = new JobLedger(db);
        this.logs = freshLogDirectory();
        String url = InProcessCli.urlWithUser(db);
        // Step 7: the previous release's processes use server-prepared statements from the first execution,
        // so a plan cached before a migration meets the changed schema.
        previousEnv = Map.of("POSTPONE_DATABASE_URL", url + "&prepareThreshold=1");
        currentEnv = Map.of("POSTPONE_DATABASE_URL", url);
        currentRelease = Release.current();
        current = ReleaseCli.current();
        previous = timedValue("build or reuse the previous release", PreviousRelease::cli);
        System.out.println("upgrade: " + previous + " -> " + current + " (schema release " + currentRelease + ")");

        timed("S0: install " + previous.release() + " with its own CLI", this::installPreviousRelease);
        timed("6: a " + currentRelease + " worker on S0 refuses", this::currentWorkerRefusesOnS0);
        timed("1: the " + previous.release() + " fleet runs on S0", this::previousFleetRunsOnS0);
        timed("2: pre(" + currentRelease + ") under load -> S1", this::preAppliesUnderLoad);
        timed("3: both releases share S1", this::bothReleasesShareS1);
        timed("3: new tasks, results, attempt history and abort beside " + previous.release() + " workers",
                this::newFeaturesBesideThePreviousRelease);
        timed("3: both releases delete finished jobs past retention on S1", this::bothReleasesDeleteFinishedJobs);
        timed("3: a " + currentRelease + " dashboard beside " + previous.release() + " workers", this::dashboardBesideThePreviousRelease);
        timed("a " + currentRelease + " worker as a granted role beside " + previous.release() + " workers",
                this::grantedRoleWorkerBesideThePreviousRelease);
        timed("3: a killed " + currentRelease + " worker's unstarted claims run on " + previous.release() + " workers",
                this::unstartedClaimsOfAKilledWorkerRunBesideThePreviousRelease);
        timed("9: roll back before post, then forward again", this::rollbackBeforePost);
        timed("4: post(" + currentRelease + ") waits for " + previous.release() + ", then applies -> S2",
                this::postWaitsForThePreviousReleaseThenApplies);
        timed("5: a " + previous.release() + " worker on S2", this::previousWorkerOnS2);
        timed("every job ran once; no cached-plan errors", this::everyJobRanOnce);
    }

    // ---- the steps ------------------------------------------------------------------------------

    private void installPreviousRelease() {
        expect(previous.run(previousEnv, null, "schema", "migrate", "--phase", "all", "--to", previous.release()), 0);
    }

    private void currentWorkerRefusesOnS0() {
        CliResult refused = current.run(currentEnv, null, "worker", "--app", APP, "--name", "too-new");
        assertThat(refused.exitCode()).as("a worker whose contract is missing exits 4 (schema); %s", refused).isEqualTo(4);
        assertThat(refused.errLines()).as("it refuses in one line naming the command to run; %s", refused)
                .singleElement().asString().contains("postpone schema migrate --phase pre --to " + currentRelease);
    }

    private void previousFleetRunsOnS0() throws Exception {
        previousWorkers.add(startWorker(previous, "old-worker-1"));
        previousWorkers.add(startWorker(previous, "old-worker-2"));
        previousClient = startClient(previous, "old-client", 50);
        List<Long> batch = deferWithCli(previous, "old-cli-s0", 20);
        awaitSucceeded("the " + previous.release() + " CLI's jobs on S0", batch);
        awaitJobsRunBy(previousWorkers);
        awaitAtLeast("the " + previous.release() + " client's jobs running on S0", previousClient, 50);
    }

    private void preAppliesUnderLoad() throws Exception {
        Instant from = ledger.now();
        expect(current.run(currentEnv, null, "schema", "migrate", "--phase", "pre", "--to", currentRelease.toString()), 0);
        // A second of completions after the migrator is done closes the window, so a stall it left behind counts.
        Thread.sleep(1_000);
        Duration pause = ledger.longestPauseBetweenCompletions(from, ledger.now());
        System.out.println("upgrade: longest pause between completions while pre(" + currentRelease + ") applied: "
                + pause.toMillis() + " ms");
        assertThat(pause).as("the previous release's workers keep completing jobs while pre applies").isLessThan(Duration.ofSeconds(2));
        assertAllAlive(previousWorkers);
        assertThat(previousClient.isAlive()).as("%s after pre; stderr:%n%s", previousClient, previousClient.stderrTail()).isTrue();
        assertNoErrors(previousWorkers);

        // The previous release's own tools on S1: its healthcheck passes (its contract is all there).
        expect(previous.run(previousEnv, null, "healthcheck"), 0);
        CliResult status = previous.run(previousEnv, null, "schema", "status");
        System.out.println("upgrade: " + previous.release() + " 'schema status' on S1 (exit " + status.exitCode() + "):\n" + status.out() + status.err());
        assertThat(status.exitCode()).as("the previous release's schema status still runs on S1; %s", status).isZero();

        List<Long> batch = deferWithCli(previous, "old-cli-s1", 20);
        awaitSucceeded("the " + previous.release() + " CLI's jobs on S1", batch);
    }

    private void bothReleasesShareS1() throws Exception {
        Map<FleetProcess, Integer> before = jobsRun(previousWorkers);
        currentWorkers.add(startWorker(current, "new-worker-1"));
        currentWorkers.add(startWorker(current, "new-worker-2"));
        currentClient = startClient(current, "new-client", 100);
        // Probes of later 1.1.0 changes go here: the new client defers new tasks and uses the new features;
        // jobs in states 1.0.0 never knew (abort, pause) are made here and read by the old CLI below.
        List<Long> oldBatch = deferWithCli(previous, "old-cli-mixed", 20);
        List<Long> newBatch = deferWithCli(current, "new-cli-mixed", 20);
        awaitSucceeded("jobs of both CLIs on S1", concat(oldBatch, newBatch));
        awaitJobsRunBy(currentWorkers);
        await("the " + previous.release() + " workers running jobs beside the new ones", DEADLINE,
                () -> jobsRun(previousWorkers), now -> previousWorkers.stream().allMatch(w -> now.get(w) > before.get(w)));
        awaitAtLeast("the " + currentRelease + " client's jobs running", currentClient, 20);

        // Pause (1.1.0): the new workers fetch nothing from a paused queue; the previous release's workers
        // do not know pauses (docs/workers.md), so they alone run its jobs meanwhile, and nothing is lost.
        expect(current.run(currentEnv, null, "queues", "pause", "emails"), 0);
        List<Long> whilePaused = deferWithCli(current, "new-cli-paused", 10);
        awaitSucceeded("jobs of a paused queue", whilePaused);
        assertThat(ledger.workersThatRan(whilePaused)).as("only the %s workers ignore the pause", previous.release())
                .hasSize(whilePaused.size()).allSatisfy(name -> assertThat(name).startsWith("old-worker"));
        expect(previous.run(previousEnv, null, "queues", "--json"), 0);
        expect(current.run(currentEnv, null, "queues", "resume", "emails"), 0);

        // What the new release writes, the old CLI reads.
        long createdByNew = newBatch.getLast();
        JsonNode shown = Json.parse(expect(previous.run(previousEnv, null, "jobs", "show", String.valueOf(createdByNew), "--json"), 0).out());
        assertThat(shown.path("status").asText()).as("the old CLI shows a job the new CLI deferred").isEqualTo("succeeded");
        long finishedByNew = ledger.succeededBy("new-worker").orElseThrow(() -> new AssertionError("no job finished by a new worker"));
        JsonNode shownFinished = Json.parse(expect(previous.run(previousEnv, null, "jobs", "show", String.valueOf(finishedByNew), "--json"), 0).out());
        assertThat(shownFinished.path("status").asText()).as("the old CLI shows a job a new worker finished").isEqualTo("succeeded");
        List<JsonNode> listed = array(expect(previous.run(previousEnv, null, "jobs", "list", "--task", TASK, "--limit", "200", "--json"), 0));
        assertThat(listed).as("the old CLI lists jobs the new client deferred")
                .anySatisfy(j -> assertThat(j.path("args").path("name").asText()).startsWith("new-client"));
        List<JsonNode> queues = array(expect(previous.run(previousEnv, null, "queues", "--json"), 0));
        assertThat(queues).as("the old CLI's queues").isNotEmpty();
        List<JsonNode> workers = array(expect(previous.run(previousEnv, null, "workers", "--json"), 0));
        assertThat(workers).as("the old CLI lists the workers of both releases with their releases")
                .anySatisfy(w -> assertThat(w.path("name").asText()).isEqualTo("new-worker-1"))
                .anySatisfy(w -> assertThat(w.path("name").asText()).isEqualTo("old-worker-1"));
        System.out.println("upgrade: the " + currentRelease + " 'schema status' on S1 with both fleets:\n"
                + expect(current.run(currentEnv, null, "schema", "status"), 0).out());
        assertNoErrors(previousWorkers);
        assertNoErrors(currentWorkers);
    }

    /**
     * What 1.1.0 adds to a job, with the previous release's workers running: a task only the new release knows
     * (on a queue only new workers serve) returning a result; the attempt history of a retried job, whose
     * last_error the old CLI still shows; a running job stopped on a new worker; and the same request on a job
     * an old worker runs, which ignores it harmlessly and finishes the job.
     */
    private void newFeaturesBesideThePreviousRelease() throws Exception {
        long invoice = deferOne(current, "render-invoice", "{\"orderId\": \"mixed-1\", \"pages\": 2}");
        awaitStatus("the new task's job", invoice, "succeeded");
        JsonNode rendered = showJson(current, invoice);
        assertThat(rendered.path("result")).as("the handler's return value, kept with the job")
                .isEqualTo(Json.parse("{\"number\": \"INV-mixed-1\", \"pages\": 2}"));
        assertThat(rendered.path("attemptHistory")).singleElement()
                .satisfies(a -> assertThat(a.path("worker").asText()).startsWith("new-worker"));
        assertThat(showJson(previous, invoice).path("status").asText()).as("the old CLI shows a job of a task it does not know")
                .isEqualTo("succeeded");
        assertThat(array(expect(previous.run(previousEnv, null, "jobs", "list", "--task", "render-invoice", "--json"), 0)))
                .as("the old CLI lists it").anySatisfy(j -> assertThat(j.path("id").asLong()).isEqualTo(invoice));
        assertThat(array(expect(previous.run(previousEnv, null, "queues", "--json"), 0)))
                .as("the old CLI's queues include the new one").anySatisfy(q -> assertThat(q.path("queue").asText()).isEqualTo("invoices"));

        // Attempt history: the demo's payment fails its first attempt and succeeds on the retry.
        long payment = deferOne(current, "charge-payment", "{\"orderId\": \"mixed-2\", \"cents\": 500, \"declined\": false}");
        awaitStatus("the retried payment", payment, "succeeded");
        assertThat(showJson(current, payment).path("attemptHistory")).extracting(a -> a.path("outcome").asText())
                .containsExactly("retry", "succeeded");
        JsonNode paymentByOld = showJson(previous, payment);
        assertThat(paymentByOld.path("attempts").asInt()).isEqualTo(2);
        assertThat(paymentByOld.path("lastError").asText()).as("1.0.0 readers still see the last error")
                .contains("payment provider timed out");

        // Abort on a new worker: it ends cancelled within seconds, its attempt on record.
        long stopped = deferOne(current, "render-invoice", "{\"orderId\": \"mixed-3\", \"pages\": 600}");
        awaitStatus("the long invoice running", stopped, "doing");
        assertThat(cancelNow(stopped)).contains("is running: asked its worker to stop it");
        awaitStatus("the stopped invoice", stopped, "cancelled");
        assertThat(showJson(current, stopped).path("attemptHistory")).singleElement()
                .satisfies(a -> assertThat(a.path("outcome").asText()).isEqualTo("cancelled"));
        assertThat(showJson(previous, stopped).path("status").asText()).isEqualTo("cancelled");

        // The same request to an old worker: with exports paused only the old workers (which ignore pauses)
        // take the job; they know nothing of abort requests and finish it normally.
        expect(current.run(currentEnv, null, "queues", "pause", "exports"), 0);
        long export = deferOne(current, "slow-export", "{\"dataset\": \"mixed\", \"seconds\": 10}");
        awaitStatus("the export running on an old worker", export, "doing");
        assertThat(cancelNow(export)).contains("is running: asked its worker to stop it");
        awaitStatus("the export the old worker finished anyway", export, "succeeded");
        assertThat(ledger.workersThatRan(List.of(export))).singleElement().asString().startsWith("old-worker");
        expect(current.run(currentEnv, null, "queues", "resume", "exports"), 0);

        // Queueing lock held by a 1.0.0 client's job (scheduled later, so it stays waiting): the 1.1.0 CLI's
        // defer_jobs_v2 refuses the same value with PP001, reported as the same conflict. Then 1.1.0's
        // queues (queue_counts_v2) on S1.
        String[] held = {"defer", "--app", APP, "slow-export", "{\"dataset\": \"ql-probe\", \"seconds\": 1}",
                "--queueing-lock", "ql-probe", "--in", "1h"};
        long holder = Long.parseLong(expect(previous.run(previousEnv, null, held), 0).out().strip());
        CliResult refused = expect(current.run(currentEnv, null, held), ExitCode.CONFLICT.code());
        assertThat(refused.err()).contains("queueing lock 'ql-probe' is taken");
        assertThat(expect(current.run(currentEnv, null, "queues"), 0).out()).contains("invoices");
        cancelNow(holder);
        assertNoErrors(previousWorkers);
        assertNoErrors(currentWorkers);
    }

    /**
     * Least privilege (1.1.0): after pre, a worker of this release runs as a role that {@code schema grant} gave
     * only the contract's functions (a name that needs quoting), beside the previous release's workers running
     * as the owner; the role itself is refused on the jobs table.
     */
    private void grantedRoleWorkerBesideThePreviousRelease() throws Exception {
        String role = "rolling \"app\" " + java.util.UUID.randomUUID().toString().substring(0, 6);
        String quoted = "\"" + role.replace("\"", "\"\"") + "\"";
        sql(db, "create role " + quoted + " login");
        FleetProcess granted = null;
        try {
            expect(current.run(currentEnv, null, "schema", "grant", "--role", role), 0);
            Map<String, String> env = Map.of("POSTPONE_DATABASE_URL", InProcessCli.urlWithUser(db.as(role)));
            granted = current.startWorker("granted-worker", env, logs, "--app", APP, "--queues", "emails",
                    "--concurrency", "4", "--shutdown-timeout", "5s", "--log-format", "json");
            started.add(granted);
            awaitJobsRunBy(List.of(granted));
            awaitSucceeded("jobs beside the granted role's worker", deferWithCli(current, "granted", 10));
            assertNoErrors(List.of(granted));
            assertNoErrors(previousWorkers);
            stopGracefully(List.of(granted));
            TestDatabase asRole = db.as(role);
            assertThatThrownBy(() -> sql(asRole, "select count(*) from postpone.jobs")).hasMessageContaining("permission denied");
        } finally {
            if (granted != null) granted.close();
            sql(db, "drop owned by " + quoted);
            sql(db, "drop role " + quoted);
        }
    }

    private static void sql(TestDatabase on, String statement) throws SQLException {
        try (Connection c = on.connect(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    /**
     * Retention beside the previous release: the jobs table has its autovacuum settings, the new release
     * deletes through delete_finished_jobs_v2 (by status, over jobs_finished_v2), the previous one through
     * delete_finished_jobs_v1, on the same rows.
     */
    private void bothReleasesDeleteFinishedJobs() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select array_to_string(reloptions, ',') from pg_class where oid = 'postpone.jobs'::regclass")) {
            rs.next();
            assertThat(rs.getString(1)).as("pre applied the jobs table's autovacuum settings (step 770)")
                    .contains("autovacuum_vacuum_scale_factor=0.02");
        }
        for (ReleaseCli cli : List.of(current, previous)) {
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("insert into postpone.jobs (queue, task, status, attempts, finished_at) select 'retention-probe',"
                        + " 'probe', status, 1, now() - interval '8 days' from unnest(array['succeeded', 'failed', 'cancelled']) status");
            }
            CliResult deleted = expect(cli.run(cli == current ? currentEnv : previousEnv, null, "jobs", "delete", "--older-than", "7d"), 0);
            // The workers' cleaners may take the succeeded and cancelled ones first; the failed one they keep.
            assertThat(deleted.out()).as("%s deletes what finished 8 days ago", cli).containsPattern("deleted [1-3] jobs?");
            try (Connection c = db.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select count(*) from postpone.jobs where queue = 'retention-probe'")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    /** The new release's dashboard on S1 reads through 1.1.0 functions only, and says which release each worker runs. */
    private void dashboardBesideThePreviousRelease() throws Exception {
        try (dev.postpone.Postpone postpone = dev.postpone.Postpone.builder(db.dataSource()).build();
             dev.postpone.dashboard.DashboardServer server = dev.postpone.dashboard.DashboardServer.start(
                     dev.postpone.dashboard.Dashboard.builder(postpone).authenticator(dev.postpone.dashboard.Authenticator.anyone()).build(),
                     new java.net.InetSocketAddress("127.0.0.1", 0), "/")) {
            var http = java.net.http.HttpClient.newHttpClient();
            java.util.function.Function<String, java.net.http.HttpResponse<String>> get = path -> {
                try {
                    return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new AssertionError(path, e);
                }
            };
            assertThat(get.apply("/").statusCode()).as("the overview").isEqualTo(200);
            var workers = get.apply("/workers");
            assertThat(workers.statusCode()).isEqualTo(200);
            assertThat(java.util.regex.Pattern.compile("<td>old-worker-1</td>.*?<span class=\"badge release\">"
                    + java.util.regex.Pattern.quote(previous.release()) + "</span>", java.util.regex.Pattern.DOTALL)
                    .matcher(workers.body()).find()).as("the %s worker listed with its release:%n%s", previous.release(), workers.body()).isTrue();
        }
    }

    /**
     * A claim is not a start (1.1.0): a new worker (concurrency 1, default prefetch) runs one job and holds
     * a second claimed but not started when it is killed. The rescue puts the second back without spending
     * an attempt (whichever release's rescuer gets there first), and a previous-release worker runs it: it
     * ends with one attempt (two allowed, so the job that was running when the kill came runs again).
     */
    private void unstartedClaimsOfAKilledWorkerRunBesideThePreviousRelease() throws Exception {
        FleetProcess doomed = current.startWorker("new-prefetcher", currentEnv, logs, "--app", APP, "--queues", "prefetch-probe",
                "--concurrency", "1", "--log-format", "json");
        started.add(doomed);
        List<Long> probe = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            probe.add(Long.parseLong(expect(current.run(currentEnv, null, "defer", "--app", APP, "--queue", "prefetch-probe",
                    "--max-attempts", "2", "slow-export", "{\"dataset\": \"probe-" + i + "\", \"seconds\": 8}"), 0).out().strip()));
        }
        List<JobLedger.JobRow> held = await("one probe job running, the other claimed but not started", DEADLINE,
                () -> ledger.jobs(probe), rows -> rows.stream().allMatch(r -> r.status().equals("doing"))
                        && rows.stream().mapToInt(JobLedger.JobRow::attempts).sorted().boxed().toList().equals(List.of(0, 1)));
        doomed.close(); // SIGKILL
        long claimedOnly = held.stream().filter(r -> r.attempts() == 0).findFirst().orElseThrow().id();
        FleetProcess runner = startWorker(previous, "old-probe-runner", "prefetch-probe");
        awaitSucceeded("the killed worker's probe jobs, run again by a " + previous.release() + " worker", probe);
        assertThat(ledger.jobs(List.of(claimedOnly))).singleElement().as("the unstarted claim spent no attempt")
                .satisfies(r -> assertThat(r.attempts()).isEqualTo(1));
        assertThat(ledger.workersThatRan(List.of(claimedOnly))).singleElement().asString().isEqualTo("old-probe-runner");
        stopGracefully(List.of(runner));
    }

    private void rollbackBeforePost() throws Exception {
        stopGracefully(currentWorkers);
        currentWorkers.clear();
        // Rolled back to the previous release's workers only, on S1: they run everything alone, including
        // what the new client keeps deferring.
        Map<FleetProcess, Integer> before = jobsRun(previousWorkers);
        List<Long> batch = deferWithCli(previous, "old-cli-rollback", 20);
        awaitSucceeded("jobs on S1 after the rollback", batch);
        await("every previous worker still running jobs", DEADLINE, () -> jobsRun(previousWorkers),
                now -> previousWorkers.stream().allMatch(w -> now.get(w) > before.get(w)));
        assertNoErrors(previousWorkers);
        // ... and forward again.
        currentWorkers.add(startWorker(current, "new-worker-3"));
        currentWorkers.add(startWorker(current, "new-worker-4"));
        awaitJobsRunBy(currentWorkers);
    }

    private void postWaitsForThePreviousReleaseThenApplies() throws Exception {
        List<MigrationStep> postSteps = MigrationCatalog.bundled().steps().stream()
                .filter(s -> s.release().equals(currentRelease) && s.phase() == Phase.POST).toList();
        String[] post = {"schema", "migrate", "--phase", "post", "--to", currentRelease.toString()};
        if (postSteps.isEmpty()) {
            // Nothing to drop yet: the guard has nothing to protect, so post is "up to date" even now.
            System.out.println("upgrade: post(" + currentRelease + ") has no steps yet; the refusal is not exercised");
            expect(current.run(currentEnv, null, post), 0);
        } else {
            CliResult refused = current.run(currentEnv, null, post);
            assertThat(refused.exitCode()).as("post refuses while the previous release is alive (exit 11); %s", refused).isEqualTo(11);
            assertThat(refused.err()).as("the refusal names the old workers and their release")
                    .contains("old-worker-1", "old-worker-2", "release " + previous.release());
        }
        // Only the old workers: the old client calls nothing post drops (defer_jobs_v1 stays), so it
        // neither blocks post nor breaks by it, and goes on deferring on S2. One old worker is still
        // running when post is forced (step 5): it must drain, hand back what it holds and exit by itself.
        FleetProcess straggler = previousWorkers.getLast();
        stopGracefully(previousWorkers.subList(0, previousWorkers.size() - 1));
        assertNoErrors(previousWorkers.subList(0, previousWorkers.size() - 1));
        int previousClientIdsBeforePost = printedIds(previousClient).size();

        Instant from = ledger.now();
        String[] forced = java.util.stream.Stream.concat(java.util.Arrays.stream(post), java.util.stream.Stream.of("--force"))
                .toArray(String[]::new);
        CliResult applied = expect(current.run(currentEnv, null, postSteps.isEmpty() ? post : forced), 0);
        if (!postSteps.isEmpty()) {
            int exit = straggler.awaitExit();
            assertThat(exit).as("a %s worker still running when post is forced stops by itself; stderr:%n%s",
                    previous.release(), straggler.stderrTail()).isZero();
            assertThat(straggler.errorLines()).as("its only ERROR: the schema no longer serves it")
                    .allSatisfy(line -> assertThat(line).contains("worker.schema_incompatible"));
        } else {
            assertThat(straggler.stop()).isEqualTo(ExitCode.TERMINATED.code());
        }
        System.out.println("upgrade: post(" + currentRelease + "), " + postSteps.size() + " steps: " + applied.err().strip());
        Thread.sleep(1_000);
        System.out.println("upgrade: longest pause between completions while post(" + currentRelease + ") applied: "
                + ledger.longestPauseBetweenCompletions(from, ledger.now()).toMillis() + " ms");
        expect(current.run(currentEnv, null, "schema", "verify"), 0);
        // Probes of what post drops go here (e.g. a v1 function gone, a constraint validated).
        List<Long> batch = deferWithCli(current, "new-cli-s2", 20);
        awaitSucceeded("jobs on S2", batch);
        await("the " + previous.release() + " client deferring on S2", DEADLINE, () -> printedIds(previousClient).size(),
                n -> n > previousClientIdsBeforePost + 3);
        assertThat(previousClient.isAlive()).as("the %s client survives post", previous.release()).isTrue();
        assertNoErrors(currentWorkers);
    }

    private void previousWorkerOnS2() throws Exception {
        boolean previousContractIntact = SchemaGuard.check(db.dataSource(), SchemaName.DEFAULT,
                Contract.load(Release.parse(previous.release()))).ok();
        FleetProcess late = startWorker(previous, "old-worker-late");
        if (previousContractIntact) {
            // post(this release) dropped nothing the previous one calls: it still runs, which is what is true.
            System.out.println("upgrade: post(" + currentRelease + ") keeps " + previous.release() + "'s contract; its worker still runs on S2");
            List<Long> batch = deferWithCli(previous, "old-cli-s2", 10);
            awaitSucceeded("jobs on S2 with a late " + previous.release() + " worker", batch);
            await(late + " running jobs on S2", DEADLINE, () -> jobsRun(List.of(late)), n -> n.get(late) > 0);
            assertThat(late.stop()).as("%s exits cleanly", late).isEqualTo(ExitCode.TERMINATED.code());
            assertNoErrors(List.of(late));
        } else {
            int exit = late.awaitExit();
            assertThat(exit).as("a %s worker on S2 refuses with the schema exit code; stderr:%n%s", previous.release(), late.stderrTail())
                    .isEqualTo(4);
            assertThat(late.stderrLines().stream().filter(l -> !l.isBlank()).toList()).as("it refuses in one line").hasSize(1);
        }
    }

    private void everyJobRanOnce() throws Exception {
        assertThat(previousClient.stop()).as("%s stops on SIGTERM", previousClient).isEqualTo(ExitCode.TERMINATED.code());
        assertThat(currentClient.stop()).as("%s stops on SIGTERM", currentClient).isEqualTo(ExitCode.TERMINATED.code());
        deferred.addAll(printedIds(previousClient));
        deferred.addAll(printedIds(currentClient));
        awaitSucceeded("every job any client or CLI deferred", List.copyOf(deferred));
        List<JobLedger.JobRow> rows = ledger.jobs(deferred);
        assertThat(ledger.count(TASK)).as("jobs in the table = jobs deferred: none lost, none from nowhere").isEqualTo(deferred.size());
        assertThat(rows).as("each job ran exactly once: graceful stops hand jobs back uncounted, nothing was rescued")
                .allSatisfy(j -> assertThat(j.attempts()).as("attempts of job %d", j.id()).isEqualTo(1));
        assertThat(ledger.countsByStatus()).as("no job of any task failed").doesNotContainKey("failed");
        System.out.println("upgrade: " + deferred.size() + " jobs deferred and run once; by status " + ledger.countsByStatus());
        for (FleetProcess p : started) {
            assertThat(p.linesContaining("cached plan must not change result type")).as("step 7: %s's logs", p).isEmpty();
        }
    }

    // ---- fleets and clients --------------------------------------------------------------------

    private FleetProcess startWorker(ReleaseCli release, String name) {
        // The new release's workers also serve the queues of what only it has (a new task on a queue of its own,
        // as docs/schema-and-upgrades.md tells) and of the retries whose attempt history the probes read.
        return startWorker(release, name, release == previous ? "emails,periodic,exports" : "emails,periodic,exports,invoices,payments");
    }

    private FleetProcess startWorker(ReleaseCli release, String name, String queues) {
        Map<String, String> env = release == previous ? previousEnv : currentEnv;
        FleetProcess worker = release.startWorker(name, env, logs, "--app", APP, "--queues", queues,
                "--concurrency", "4", "--shutdown-timeout", "5s", "--log-format", "json");
        started.add(worker);
        return worker;
    }

    /** An application of {@code release} deferring one job every {@code intervalMillis}, until stopped. */
    private FleetProcess startClient(ReleaseCli release, String name, int intervalMillis) {
        String url = (release == previous ? previousEnv : currentEnv).get("POSTPONE_DATABASE_URL");
        FleetProcess client = release.startProgram(name, clientSource(), logs, url, name, String.valueOf(intervalMillis));
        started.add(client);
        return client;
    }

    private static Path clientSource() {
        try {
            return Path.of(RollingUpgradeEndToEndTest.class.getResource("/upgrade/DeferringClient.java").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code postpone defer TASK -} with {@code n} jobs on stdin, by {@code release}'s CLI; returns their ids. */
    private List<Long> deferWithCli(ReleaseCli release, String label, int n) {
        String ndjson = IntStream.rangeClosed(1, n)
                .mapToObj(i -> "{\"to\": \"" + label + "-" + i + "@example.com\", \"name\": \"" + label + " " + i + "\"}\n")
                .collect(Collectors.joining());
        CliResult result = expect(release.run(release == previous ? previousEnv : currentEnv, ndjson, "defer", "--app", APP, TASK, "-"), 0);
        List<Long> ids = result.outLines().stream().map(String::strip).map(Long::parseLong).toList();
        assertThat(ids).as("%s printed one id per job", label).hasSize(n);
        deferred.addAll(ids);
        return ids;
    }

    /** {@code postpone defer TASK JSON} by {@code release}'s CLI; returns the job's id (not counted in {@link #deferred}). */
    private long deferOne(ReleaseCli release, String task, String json) {
        CliResult result = expect(release.run(release == previous ? previousEnv : currentEnv, null, "defer", "--app", APP, task, json), 0);
        return Long.parseLong(result.out().strip());
    }

    /**
     * This release's {@code jobs cancel ID}, run in the test JVM: the job must still be running when the
     * request arrives, which a CLI JVM's start on a loaded machine could miss.
     */
    private String cancelNow(long id) {
        return expect(new InProcessCli(db).run("jobs", "cancel", String.valueOf(id)), 0).out();
    }

    private JsonNode showJson(ReleaseCli release, long id) {
        return Json.parse(expect(release.run(release == previous ? previousEnv : currentEnv, null, "jobs", "show", String.valueOf(id), "--json"), 0).out());
    }

    private void awaitStatus(String what, long id, String status) throws Exception {
        await(what + " " + status, DEADLINE, () -> ledger.jobs(List.of(id)).getFirst().status(), status::equals);
    }

    private static List<Long> printedIds(FleetProcess client) {
        return client.stdoutLines().stream().map(String::strip).filter(l -> l.matches("\\d+")).map(Long::parseLong).toList();
    }

    // ---- observations --------------------------------------------------------------------------

    private void awaitSucceeded(String what, List<Long> ids) throws Exception {
        await(what + " (" + ids.size() + ") succeeding", DEADLINE, () -> ledger.succeeded(ids) + " of " + ids.size()
                        + " succeeded; by status " + ledger.countsByStatus(),
                seen -> seen.startsWith(ids.size() + " of "));
    }

    private void awaitAtLeast(String what, FleetProcess client, int n) throws Exception {
        await(what, DEADLINE, () -> {
            assertThat(client.isAlive()).as("%s alive; stderr:%n%s", client, client.stderrTail()).isTrue();
            List<Long> ids = printedIds(client);
            return ids.size() < n ? -1 : ledger.succeeded(ids.subList(0, n));
        }, succeeded -> succeeded == n);
    }

    private void awaitJobsRunBy(List<FleetProcess> workers) throws Exception {
        await("jobs run by each of " + workers, DEADLINE, () -> {
            assertAllAlive(workers);
            return jobsRun(workers);
        }, runs -> runs.values().stream().allMatch(n -> n > 0));
    }

    /** Jobs each worker ran so far, by the line the demo task logs per job. */
    private static Map<FleetProcess, Integer> jobsRun(List<FleetProcess> workers) {
        Map<FleetProcess, Integer> runs = new java.util.LinkedHashMap<>();
        for (FleetProcess w : workers) runs.put(w, w.linesContaining(JOB_LOG).size());
        return runs;
    }

    /** SIGTERM to all at once (as a deployment does), then each must exit with 143 after its clean shutdown. */
    private static void stopGracefully(List<FleetProcess> processes) {
        processes.forEach(FleetProcess::signalStop);
        for (FleetProcess p : processes) {
            assertThat(p.awaitExit()).as("%s exits cleanly on SIGTERM; stderr:%n%s", p, p.stderrTail()).isEqualTo(ExitCode.TERMINATED.code());
        }
    }

    /** target/captured-output/N-rolling-upgrade/: every process's output, kept after the run for whoever reads a failure. */
    private static Path freshLogDirectory() {
        return CapturedOutput.directory("rolling-upgrade");
    }

    private static void assertAllAlive(List<FleetProcess> processes) {
        for (FleetProcess p : processes) assertThat(p.isAlive()).as("%s alive; stderr:%n%s", p, p.stderrTail()).isTrue();
    }

    private static void assertNoErrors(List<FleetProcess> processes) {
        for (FleetProcess p : processes) assertThat(p.errorLines()).as("ERROR lines in %s's log", p).isEmpty();
    }

    /** {@link Eventually#await}, printing how long it took: where the test's time goes, at a glance. */
    private static <T> T await(String what, Duration limit, java.util.concurrent.Callable<T> observe, java.util.function.Predicate<T> done)
            throws Exception {
        long started = System.nanoTime();
        T seen = Eventually.await(what, limit, observe, done);
        System.out.printf("upgrade:   %.1f s until %s%n", (System.nanoTime() - started) / 1e9, what);
        return seen;
    }

    private static CliResult expect(CliResult result, int exitCode) {
        assertThat(result.exitCode()).as("%s", result).isEqualTo(exitCode);
        return result;
    }

    private static List<JsonNode> array(CliResult result) {
        return StreamSupport.stream(Json.parse(result.out()).spliterator(), false).toList();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void timed(String name, Step step) throws Exception {
        long started = System.nanoTime();
        step.run();
        System.out.printf("upgrade: step %s: %.1f s%n", name, (System.nanoTime() - started) / 1e9);
    }

    private static <T> T timedValue(String name, java.util.concurrent.Callable<T> step) throws Exception {
        long started = System.nanoTime();
        T result = step.call();
        System.out.printf("upgrade: %s: %.1f s%n", name, (System.nanoTime() - started) / 1e9);
        return result;
    }
}
