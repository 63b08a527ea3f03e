package dev.postpone.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.DeferOptions;
import dev.postpone.JobRequest;
import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobStatus;
import dev.postpone.retry.RetryPolicy;
import dev.postpone.schema.Migrator;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import dev.postpone.worker.PeriodicTask;
import dev.postpone.worker.Worker;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium, over a real PostgreSQL with a real worker running jobs:
 * what an operator sees and clicks. Also takes the screenshots docs/dashboard.md shows.
 */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    record Email(String to, String name) {
    }

    record Payment(String order, long cents, String password) {
    }

    record Tick(String source) {
    }

    static final String SECRET = "hunter2-do-not-show";
    static final Task<Email> SEND = Task.named("send-email", Email.class).queue("emails").action((c, e) -> { });
    static final Task<Payment> CHARGE = Task.named("charge-card", Payment.class).queue("payments")
            .retry(RetryPolicy.fixed(Duration.ofMillis(20), 2))
            .action((c, p) -> {
                throw new IllegalStateException("card declined for order " + p.order());
            });
    /** Its queue has no worker: its jobs wait, so cancel and retry can be watched. */
    static final Task<Email> REMIND = Task.named("send-reminder", Email.class).queue("reminders").action((c, e) -> { });
    static final Task<Tick> TICK = Task.named("heartbeat", Tick.class).queue("periodic").action((c, t) -> { });
    /** Runs until stopped: for the Stop button. */
    static final Task<Tick> LONG = Task.named("long-report", Tick.class).queue("emails").action((c, t) -> Thread.sleep(120_000));
    /** Finishes its attempt only when released, stop requested or not: so the page can show the request pending. */
    static final java.util.concurrent.CountDownLatch RELEASE = new java.util.concurrent.CountDownLatch(1);
    static final Task<Tick> STUBBORN = Task.named("stubborn-report", Tick.class).queue("emails").action((c, t) -> {
        boolean interrupted = false;
        while (RELEASE.getCount() > 0) {
            try {
                RELEASE.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) throw new InterruptedException("stopped");
    });
    static final PeriodicTask<Tick> EVERY_SECOND = PeriodicTask.of(TICK, "* * * * * *", new Tick("test"));

    static final Path IMAGES = Path.of("..", "docs", "images");

    static TestDatabase db;
    static Postpone postpone;
    static Worker worker;
    static DashboardServer open;
    static DashboardServer readOnly;
    static DashboardServer guarded;
    static Browser browser;
    static List<Long> emails;
    static List<Long> payments;
    static List<Long> reminders;
    static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start(TestDatabase database) throws Exception {
        db = database;
        Migrator.builder(db.dataSource()).build().migrate();
        history();
        postpone = Postpone.builder(db.dataSource()).tasks(TaskSet.of(SEND, CHARGE, REMIND, TICK, LONG, STUBBORN)).build();
        List<JobRequest<?>> batch = new ArrayList<>();
        for (String name : List.of("Ada", "Grace", "Edsger", "Barbara", "<script>window.xss=1</script>")) {
            batch.add(JobRequest.of(SEND, new Email(name.toLowerCase().replaceAll("\\W", "") + "@example.com", name)));
        }
        emails = postpone.deferAll(batch);
        payments = postpone.deferAll(CHARGE, List.of(new Payment("order-1", 1200, SECRET), new Payment("order-2", 800, SECRET),
                new Payment("order-3", 4500, SECRET)));
        reminders = postpone.deferAll(REMIND, List.of(new Email("ken@example.com", "Ken"), new Email("linus@example.com", "Linus"),
                new Email("margaret@example.com", "Margaret")), DeferOptions.defaults().in(Duration.ofDays(1)));
        worker = Worker.builder(db.dataSource(), TaskSet.of(SEND, CHARGE, TICK, LONG, STUBBORN)).queues("emails", "payments", "periodic")
                .name("browser-test-worker").concurrency(4).pollInterval(Duration.ofMillis(100)).periodic(EVERY_SECOND).start();
        List<Long> worked = new ArrayList<>(emails);
        worked.addAll(payments);
        postpone.jobs().awaitFinished(worked, Duration.ofSeconds(30));

        PeriodicSchedules schedules = now -> List.of(new PeriodicSchedules.Schedule(TICK.name(), EVERY_SECOND.key(),
                EVERY_SECOND.schedule().expression(), "UTC", EVERY_SECOND.schedule().nextAfter(now)));
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 0);
        open = DashboardServer.start(Dashboard.builder(postpone).authenticator(Authenticator.anyone()).periodicSchedules(schedules)
                .database("jdbc:postgresql://ops:topsecret@db.internal:5432/shop?password=topsecret").build(), local, "/");
        readOnly = DashboardServer.start(Dashboard.builder(postpone).authenticator(Authenticator.anyone()).readOnly(true).build(),
                local, "/postpone");
        guarded = DashboardServer.start(Dashboard.builder(postpone).authenticator(Authenticator.basic("ops", "s3cret")).build(),
                local, "/");
        browser = Browser.start();
    }

    /** An hour of finished jobs behind the test's own, so the charts have something to show. */
    private static void history() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("""
                    insert into postpone.jobs (queue, task, args, status, attempts, max_attempts, created_at, scheduled_at,
                                               started_at, finished_at, last_error)
                    select q, t, jsonb_build_object('n', i), s, 1, 1, f - interval '2 s', f - interval '2 s',
                           f - interval '2 s' + make_interval(secs => w), f, case when s = 'failed' then 'timed out' end
                    from (select i, (array['emails', 'payments', 'reports'])[1 + i % 3] as q,
                                 (array['send-email', 'charge-card', 'rebuild-report'])[1 + i % 3] as t,
                                 case when i % 23 = 0 then 'failed' else 'succeeded' end as s,
                                 now() - interval '59 minutes' + make_interval(secs => (i * 3599.0 / 6000)
                                     + 20 * sin(i / 40.0)) as f,
                                 0.05 + abs(sin(i / 300.0)) * 1.5 as w
                          from generate_series(1, 6000) i
                          where (i / 250) % 5 <> 3 or i % 3 = 0) g
                    """);
            st.execute("analyze postpone.jobs");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.close();
        for (DashboardServer s : new DashboardServer[] {open, readOnly, guarded}) if (s != null) s.close();
        if (worker != null) worker.close();
        if (postpone != null) postpone.close();
    }

    private static String url(DashboardServer server, String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private static void visit(String path) {
        browser.driver.get(url(open, path));
    }

    /** Waits for the page a click led to: until the element shows exactly this text. */
    private static void awaitText(String css, String expected) {
        new WebDriverWait(browser.driver, Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.cssSelector(css), expected));
    }

    private static String text() {
        return browser.driver.findElement(By.tagName("body")).getText();
    }

    private static List<Long> listedIds() {
        return readTable(() -> browser.driver.findElements(By.cssSelector("table.jobs tbody tr")).stream()
                .map(r -> Long.parseLong(r.getAttribute("data-job"))).toList());
    }

    private static List<String> column(int index) {
        return readTable(() -> browser.driver.findElements(By.cssSelector("table.jobs tbody tr td:nth-child(" + index + ")")).stream()
                .map(WebElement::getText).toList());
    }

    /** Reads the table again when a navigation or a live refresh replaced it while it was being read. */
    private static <T> T readTable(java.util.function.Supplier<T> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 5) throw e;
            }
        }
    }

    /** Submits the filter form and waits until the browser shows the page it asked for. */
    private static void submitFilters(String expectedInUrl) {
        browser.driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        new WebDriverWait(browser.driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains(expectedInUrl));
    }

    @Test
    @Order(1)
    void everyPageLoadsWithoutConsoleErrors() throws Exception {
        browser.consoleErrors();
        String[][] pages = {
                {"/", "Overview", "overview"}, {"/jobs", "Jobs", "jobs"}, {"/jobs/" + payments.getFirst(), "Job " + payments.getFirst(), "job"},
                {"/workers", "Workers", "workers"}, {"/periodic", "Periodic tasks", "periodic"}, {"/schema", "Schema", "schema"}};
        for (String[] page : pages) {
            visit(page[0]);
            assertThat(browser.driver.getTitle()).as(page[0]).isEqualTo(page[1] + " · Postpone");
            assertThat(browser.driver.findElement(By.tagName("h1")).getText()).as(page[0]).startsWith(page[1]);
            assertThat(browser.consoleErrors()).as("console errors on " + page[0]).isEmpty();
            assertThat(browser.driver.getPageSource()).as("no secret on " + page[0]).doesNotContain(SECRET).doesNotContain("topsecret");
        }
        // Live updates: the overview refreshes its main part in place, without errors.
        visit("/");
        WebElement firstCard = browser.driver.findElement(By.cssSelector(".card"));
        new WebDriverWait(browser.driver, Duration.ofSeconds(15)).until(ExpectedConditions.stalenessOf(firstCard));
        assertThat(browser.driver.findElements(By.cssSelector(".card"))).isNotEmpty();
        assertThat(browser.consoleErrors()).as("console errors after live updates").isEmpty();
    }

    /** The screenshots of docs/dashboard.md, of fixed data at a fixed time: they change only when a page does. */
    @Test
    @Order(1)
    void screenshotsOfFixedDataAtAFixedTime() throws Exception {
        ScreenshotFixture fixture = ScreenshotFixture.install(db);
        try (DashboardServer shots = DashboardServer.start(fixture.dashboard, new InetSocketAddress("127.0.0.1", 0), "/")) {
            String[][] pages = {
                    {"/", "Overview", "overview"}, {"/jobs", "Jobs", "jobs"}, {"/jobs/" + fixture.failedPayment, "Job " + fixture.failedPayment, "job"},
                    {"/workers", "Workers", "workers"}, {"/periodic", "Periodic tasks", "periodic"}, {"/schema", "Schema", "schema"}};
            for (String[] page : pages) {
                browser.driver.get(url(shots, page[0]));
                assertThat(browser.driver.getTitle()).as(page[0]).isEqualTo(page[1] + " · Postpone");
                if (page[2].equals("job")) browser.driver.findElement(By.cssSelector("details.trace summary")).click();
                browser.screenshot(IMAGES.resolve("dashboard-" + page[2] + ".png"));
                assertThat(browser.consoleErrors()).as("console errors on " + page[0]).isEmpty();
                assertThat(browser.driver.getPageSource()).as("no secret on " + page[0]).doesNotContain(SECRET);
            }
        }
    }

    @Test
    @Order(2)
    void overviewShowsQueuesChartsAndWorkers() {
        visit("/");
        String reminderRow = browser.driver.findElement(By.cssSelector("tr[data-queue=reminders]")).getText();
        assertThat(reminderRow).startsWith("reminders 0").contains("3"); // none due, three scheduled
        String paymentsRow = browser.driver.findElement(By.cssSelector("tr[data-queue=payments]")).getText();
        assertThat(paymentsRow).as("failed in the last hour, then the queue's state").matches(".*\\b\\d{2,} active Pause$");
        assertThat(browser.driver.findElements(By.cssSelector("svg.chart rect.ok")).size()).isGreaterThan(30);
        assertThat(browser.driver.findElement(By.cssSelector(".cards")).getText()).contains("WORKERS\n1\nalive");
    }

    @Test
    @Order(3)
    void filtersNarrowTheList() {
        visit("/jobs");
        List<Long> all = listedIds();
        assertThat(all).hasSize(JobsPage.PAGE);
        assertThat(all).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        visit("/jobs");
        browser.driver.findElement(By.name("queue")).sendKeys("payments");
        browser.driver.findElement(By.cssSelector("input[name=status][value=failed]")).click();
        submitFilters("queue=payments");
        assertThat(column(4)).isNotEmpty().allMatch("payments"::equals);
        assertThat(column(3)).allMatch("failed"::equals);
        assertThat(listedIds()).containsAll(payments);

        visit("/jobs?text=GRACE");
        assertThat(listedIds()).containsExactly(emails.get(1));

        visit("/jobs?task=send-reminder&range=15m");
        assertThat(listedIds()).containsExactlyInAnyOrderElementsOf(reminders);
        assertThat(column(3)).allMatch("scheduled"::equals);

        visit("/jobs?task=send-reminder&from=2000-01-01T00:00&to=2000-01-02T00:00");
        assertThat(text()).contains("No jobs match.");

        // A search for a secret's value finds nothing: it cannot be guessed through the search box.
        visit("/jobs?text=" + SECRET);
        assertThat(listedIds()).isEmpty();

        // Keyset paging: the next page continues below the last id, without overlap.
        visit("/jobs");
        long lastOnFirstPage = listedIds().getLast();
        browser.driver.findElement(By.linkText("Older →")).click();
        assertThat(listedIds()).hasSize(JobsPage.PAGE).allMatch(id -> id < lastOnFirstPage).contains(lastOnFirstPage - 1);
    }

    @Test
    @Order(4)
    void aJobsPageShowsItsAttemptsArgumentsAndTimeline() {
        long id = payments.get(1);
        visit("/jobs/" + id);
        String page = text();
        assertThat(page).contains("failed", "charge-card", "on queue payments", "2 attempts of 2 allowed",
                "Attempt 2 failed", "card declined for order order-2");
        assertThat(browser.driver.findElement(By.cssSelector("pre.json")).getText())
                .contains("\"order\" : \"order-2\"", "\"password\" : \"" + SecretFields.MASK + "\"").doesNotContain(SECRET);
        browser.driver.findElement(By.cssSelector("details.trace summary")).click();
        assertThat(browser.driver.findElement(By.cssSelector("details.trace pre")).getText())
                .contains("java.lang.IllegalStateException: card declined for order order-2", "at dev.postpone");
        assertThat(browser.driver.findElement(By.cssSelector("ol.timeline")).getText()).contains("created", "attempt 2 started", "failed");

        // Markup in arguments is shown as text, never run.
        visit("/jobs/" + emails.getLast());
        assertThat(browser.driver.findElement(By.cssSelector("pre.json")).getText()).contains("<script>window.xss=1</script>");
        assertThat(browser.driver.executeScript("return window.xss === undefined")).isEqualTo(true);
    }

    @Test
    @Order(4)
    void pauseAndResumeAQueueFleetWide() {
        visit("/");
        browser.driver.findElement(By.cssSelector("tr[data-queue=reminders] button")).click();
        assertThat(browser.driver.switchTo().alert().getText()).contains("Pause queue reminders?");
        browser.driver.switchTo().alert().accept();
        awaitText("p.notice", "Paused queue reminders.");
        assertThat(browser.driver.findElement(By.cssSelector("tr[data-queue=reminders]")).getText()).endsWith("paused Resume");
        assertThat(postpone.jobs().pausedQueues()).extracting(dev.postpone.admin.QueuePause::queue).containsExactly("reminders");

        browser.driver.findElement(By.cssSelector("tr[data-queue=reminders] button")).click();
        browser.driver.switchTo().alert().accept();
        awaitText("p.notice", "Resumed queue reminders.");
        assertThat(postpone.jobs().pausedQueues()).isEmpty();
    }

    @Test
    @Order(5)
    void stopARunningJobFromItsPage() throws Exception {
        long id = postpone.defer(LONG, new Tick("stop me"));
        new WebDriverWait(browser.driver, Duration.ofSeconds(20)).withMessage("the long job running")
                .until(d -> postpone.jobs().get(id).orElseThrow().status() == JobStatus.DOING);
        visit("/jobs/" + id);
        browser.driver.findElement(By.xpath("//button[text()='Stop']")).click();
        browser.driver.switchTo().alert().accept();
        awaitText("p.notice", "Asked the worker running job " + id + " to stop it: it ends cancelled, unless it finishes first.");
        new WebDriverWait(browser.driver, Duration.ofSeconds(20)).withMessage("its worker stopped it")
                .until(d -> postpone.jobs().get(id).orElseThrow().status() == JobStatus.CANCELLED);
        visit("/jobs/" + id);
        assertThat(browser.driver.findElement(By.cssSelector(".title-row .badge")).getText()).isEqualTo("cancelled");
        assertThat(text()).contains("Stop requested").contains("by anonymous");
    }

    @Test
    @Order(5)
    void cancelAndRetryChangeTheJobAndThePageShowsIt() {
        long id = reminders.getFirst();
        visit("/jobs/" + id);
        assertThat(browser.driver.findElement(By.cssSelector(".title-row .badge")).getText()).isEqualTo("scheduled");
        browser.driver.findElement(By.xpath("//button[text()='Cancel']")).click();
        assertThat(browser.driver.switchTo().alert().getText()).contains("Cancel job " + id);
        browser.driver.switchTo().alert().accept();
        awaitText("p.notice", "Cancelled job " + id + ".");
        assertThat(browser.driver.findElement(By.cssSelector(".title-row .badge")).getText()).isEqualTo("cancelled");
        assertThat(postpone.jobs().get(id).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);

        browser.driver.findElement(By.xpath("//button[text()='Retry']")).click();
        browser.driver.switchTo().alert().accept();
        awaitText("p.notice", "Retried job " + id + ": waiting again.");
        assertThat(browser.driver.findElement(By.cssSelector(".title-row .badge")).getText()).isEqualTo("todo");
        assertThat(postpone.jobs().get(id).orElseThrow().status()).isEqualTo(JobStatus.TODO);

        // Dismissing the question does nothing.
        browser.driver.findElement(By.xpath("//button[text()='Cancel']")).click();
        browser.driver.switchTo().alert().dismiss();
        assertThat(postpone.jobs().get(id).orElseThrow().status()).isEqualTo(JobStatus.TODO);
    }

    @Test
    @Order(6)
    void bulkRetryOfSelectedJobsAndCancelOverAFilterAskFirst() {
        visit("/jobs?task=charge-card&status=failed&range=15m");
        browser.driver.findElement(By.cssSelector("input[type=checkbox][value='" + payments.get(0) + "']")).click();
        browser.driver.findElement(By.cssSelector("input[type=checkbox][value='" + payments.get(2) + "']")).click();
        browser.driver.findElement(By.xpath("//button[text()='Retry selected']")).click();
        // Bulk actions confirm on a page of their own, with the number of jobs.
        awaitText("h1", "Retry 2 jobs?");
        browser.driver.findElement(By.id("confirm")).click();
        awaitText("p.notice", "Retried 2 jobs.");
        // The worker runs them again: two more attempts each, failed again.
        try {
            postpone.jobs().awaitFinished(List.of(payments.get(0), payments.get(2)), Duration.ofSeconds(20));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        Job retried = postpone.jobs().get(payments.get(0)).orElseThrow();
        assertThat(retried.attempts()).isEqualTo(3);

        visit("/jobs?queue=reminders&status=todo");
        browser.driver.findElement(By.xpath("//button[text()='Cancel all…']")).click();
        awaitText("h1", "Cancel 3 jobs?");
        assertThat(text()).contains("every job matching: queue reminders, status todo");
        browser.driver.findElement(By.id("confirm")).click();
        awaitText("p.notice", "Cancelled 3 jobs.");
        assertThat(reminders).allMatch(r -> postpone.jobs().get(r).orElseThrow().status() == JobStatus.CANCELLED);
    }

    @Test
    @Order(7)
    void bulkOverTextAndTimeCountsWhatChangesAndNeverASecret() throws Exception {
        List<Long> later = postpone.deferAll(REMIND, List.of(new Email("bulk-1@example.com", "Bulk One"),
                new Email("bulk-2@example.com", "Bulk Two"), new Email("other@example.com", "Other")), DeferOptions.defaults().in(Duration.ofDays(1)));
        // Text in the arguments and a time range: the buttons work, the confirmation counts the matching jobs.
        visit("/jobs?task=send-reminder&text=BULK-&range=15m");
        assertThat(listedIds()).containsExactlyInAnyOrder(later.get(0), later.get(1));
        browser.driver.findElement(By.xpath("//button[text()='Cancel all…']")).click();
        awaitText("h1", "Cancel 2 jobs?");
        assertThat(text()).contains("every job matching: task send-reminder, arguments containing \"BULK-\", created in the last 15m");
        browser.driver.findElement(By.id("confirm")).click();
        awaitText("p.notice", "Cancelled 2 jobs.");
        assertThat(later.subList(0, 2)).allMatch(id -> postpone.jobs().get(id).orElseThrow().status() == JobStatus.CANCELLED);
        assertThat(postpone.jobs().get(later.get(2)).orElseThrow().status()).isEqualTo(JobStatus.TODO);

        // A secret's value matches no job here either: the count cannot be used to guess it.
        visit("/jobs?task=charge-card&text=" + SECRET);
        browser.driver.findElement(By.xpath("//button[text()='Delete all…']")).click();
        awaitText("h1", "Delete 0 jobs?");
        browser.driver.findElement(By.linkText("Back")).click();
        assertThat(payments).allMatch(id -> postpone.jobs().get(id).isPresent());
    }

    @Test
    @Order(7)
    void stopRunningJobsOverAFilterAndTheListShowsTheRequest() throws Exception {
        long id = postpone.defer(STUBBORN, new Tick("stop me in bulk"));
        new WebDriverWait(browser.driver, Duration.ofSeconds(20)).withMessage("the stubborn job running")
                .until(d -> postpone.jobs().get(id).orElseThrow().status() == JobStatus.DOING);
        visit("/jobs?task=stubborn-report&status=doing");
        assertThat(listedIds()).containsExactly(id);
        browser.driver.findElement(By.xpath("//button[text()='Cancel all…']")).click();
        awaitText("h1", "Cancel 1 job?");
        assertThat(text()).contains("running, its worker stops it");
        browser.driver.findElement(By.id("confirm")).click();
        awaitText("p.notice", "Asked the workers running 1 job to stop it: it ends cancelled, unless it finishes first.");
        assertThat(column(3)).containsExactly("doing stop requested");
        visit("/jobs/" + id);
        assertThat(browser.driver.findElement(By.cssSelector(".title-row")).getText()).contains("doing", "stop requested");
        RELEASE.countDown();
        new WebDriverWait(browser.driver, Duration.ofSeconds(20)).withMessage("its worker stopped it")
                .until(d -> postpone.jobs().get(id).orElseThrow().status() == JobStatus.CANCELLED);
        visit("/jobs?task=stubborn-report");
        assertThat(column(3)).containsExactly("cancelled");
    }

    @Test
    @Order(8)
    void readOnlyHidesActionsAndRefusesThemWhenPostedAnyway() throws Exception {
        long id = payments.get(1);
        browser.driver.get(url(readOnly, "/postpone/jobs/" + id));
        assertThat(text()).contains("read-only", "Job " + id);
        assertThat(browser.driver.findElements(By.cssSelector("form[method=post]"))).isEmpty();
        browser.driver.get(url(readOnly, "/postpone/jobs"));
        assertThat(browser.driver.findElements(By.cssSelector("form#bulk"))).isEmpty();
        assertThat(listedIds()).isNotEmpty();

        String token = csrfTokenFrom(open, "/jobs/" + id);
        HttpResponse<String> post = post(readOnly, "/postpone/jobs/" + id + "/retry", "csrf=" + token + "&confirmed=yes", null);
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(post.body()).contains("read-only");
        assertThat(postpone.jobs().get(id).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    @Order(9)
    void theAuthenticatorRefusesAStranger() throws Exception {
        HttpResponse<String> stranger = get(guarded, "/", null);
        assertThat(stranger.statusCode()).isEqualTo(401);
        assertThat(stranger.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(stranger.body()).doesNotContain("Overview");
        assertThat(get(guarded, "/jobs/" + payments.getFirst(), basic("ops", "wrong")).statusCode()).isEqualTo(401);
        assertThat(get(guarded, "/assets/app.js", null).statusCode()).isEqualTo(401);
        assertThat(post(guarded, "/jobs/" + reminders.get(1) + "/delete", "confirmed=yes", null).statusCode()).isEqualTo(401);
        HttpResponse<String> ops = get(guarded, "/", basic("ops", "s3cret"));
        assertThat(ops.statusCode()).isEqualTo(200);
        assertThat(ops.body()).contains("<h1>Overview</h1>");
    }

    @Test
    @Order(10)
    void anActionWithoutTheCsrfTokenOrFromAnotherSiteIsRefused() throws Exception {
        long id = reminders.get(1);
        String token = csrfTokenFrom(open, "/jobs/" + id);
        assertThat(post(open, "/jobs/" + id + "/delete", "confirmed=yes", null).statusCode()).isEqualTo(403);
        assertThat(post(open, "/jobs/" + id + "/delete", "confirmed=yes&csrf=forged", null).statusCode()).isEqualTo(403);
        HttpResponse<String> crossSite = http.send(HttpRequest.newBuilder(URI.create(url(open, "/jobs/" + id + "/delete")))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.ofString("confirmed=yes&csrf=" + token)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(postpone.jobs().get(id)).isPresent();
        // With the token, the same request goes through (and redirects back with a notice).
        HttpResponse<String> genuine = post(open, "/jobs/" + id + "/delete", "confirmed=yes&csrf=" + token, null);
        assertThat(genuine.statusCode()).isEqualTo(303);
        assertThat(postpone.jobs().get(id)).isEmpty();
    }

    private static String csrfTokenFrom(DashboardServer server, String path) throws Exception {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(get(server, path, null).body());
        assertThat(m.find()).as("a form with a CSRF token on " + path).isTrue();
        return m.group(1);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(DashboardServer server, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(server, path)));
        if (authorization != null) b.header("Authorization", authorization);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(DashboardServer server, String path, String form, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(server, path)))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) b.header("Authorization", authorization);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

}
