package dev.postpone.dashboard;

import com.sun.net.httpserver.HttpHandler;
import dev.postpone.Postpone;
import dev.postpone.admin.JobAdmin;
import dev.postpone.schema.Migrator;
import dev.postpone.schema.SchemaStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Postpone web dashboard: server-rendered pages (Overview, Jobs, Job, Workers, Periodic, Schema)
 * and confirmed, logged actions (retry, cancel, delete, pause/resume), reading and acting only through
 * the admin API, so it works against any schema its release supports, during a rolling upgrade too.
 *
 * <p>It is a plain object: {@link #handle(DashboardRequest)} turns a request into a response, so an
 * application mounts it on whatever server it runs ({@link #httpHandler(String)} for the JDK's
 * {@code HttpServer}, {@link DashboardServer} to start one). Authentication is the host's, decided
 * per request by the {@link Authenticator}; every action is a POST carrying a CSRF token.
 *
 * <pre>{@code
 * Dashboard dashboard = Dashboard.builder(postpone)
 *         .authenticator(Authenticator.basic("ops", System.getenv("DASHBOARD_PASSWORD")))
 *         .build();
 * HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 8080), 0);
 * server.createContext("/postpone", dashboard.httpHandler("/postpone"));
 * server.start();
 * }</pre>
 */
public final class Dashboard {

    static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    private static final Pattern JOB_PATH = Pattern.compile("/jobs/(\\d{1,18})");
    private static final Pattern JOB_ACTION = Pattern.compile("/jobs/(\\d{1,18})/(retry|cancel|delete)");
    private static final Pattern QUEUE_ACTION = Pattern.compile("/queues/([^/]{1,128})/(pause|resume)");

    private final JobAdmin admin;
    private final Supplier<SchemaStatus> schemaStatus;
    private final Authenticator authenticator;
    private final boolean readOnly;
    private final SecretFields secrets;
    private final PeriodicSchedules periodic;
    private final QueuePauses pauses;
    private final String databaseLabel;
    private final Clock clock;
    private final CsrfTokens csrf;
    private final Map<String, byte[]> assets = new HashMap<>();

    private Dashboard(Builder b) {
        this.admin = b.admin;
        this.schemaStatus = b.schemaStatus;
        this.authenticator = b.authenticator;
        this.readOnly = b.readOnly;
        this.secrets = b.secrets;
        this.periodic = b.periodic;
        this.pauses = b.pauses != null ? b.pauses : QueuePauses.of(b.admin);
        this.databaseLabel = b.databaseLabel;
        this.clock = b.clock;
        this.csrf = new CsrfTokens(new SecureRandom());
        for (String name : new String[] {"app.css", "app.js"}) assets.put(name, readAsset(name));
    }

    /** A dashboard over a client's admin API and schema. */
    public static Builder builder(Postpone postpone) {
        Migrator migrator = Migrator.builder(postpone.dataSource()).schema(postpone.schema()).build();
        return new Builder(postpone.jobs(), migrator::status);
    }

    /** A dashboard over an admin API and the schema status of {@code schema} in {@code dataSource}. */
    public static Builder builder(JobAdmin admin, DataSource dataSource, String schema) {
        Migrator migrator = Migrator.builder(dataSource).schema(schema).build();
        return new Builder(admin, migrator::status);
    }

    /** An adapter for the JDK's {@code HttpServer}, for a context created at {@code mountPath} ("/" or "/postpone"). */
    public HttpHandler httpHandler(String mountPath) {
        return new DashboardHttpHandler(this, mountPath);
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** Answers one request; never throws (a failure becomes a 500 page, and is logged). */
    public DashboardResponse handle(DashboardRequest request) {
        Optional<String> user;
        try {
            user = authenticator.authenticate(request);
        } catch (RuntimeException e) {
            LOG.warn("dashboard: the authenticator failed; refusing the request", e);
            user = Optional.empty();
        }
        if (user.isEmpty()) return unauthorized();
        View view = new View(request, user.get(), csrf.tokenFor(user.get()), readOnly, clock.instant(), databaseLabel,
                pauses != null, periodic);
        try {
            if (request.method().equals("POST")) return post(view);
            if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
                return Pages.plain(405, "method not allowed: " + request.method(), Map.of("Allow", "GET, POST"));
            }
            return get(view);
        } catch (IllegalArgumentException e) {
            return Pages.error(view, 400, "Bad request", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("dashboard: {} {} failed", request.method(), request.path(), e);
            return Pages.error(view, 500, "Something went wrong",
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private DashboardResponse unauthorized() {
        Map<String, String> headers = new HashMap<>();
        if (authenticator.challenge() != null) headers.put("WWW-Authenticate", authenticator.challenge());
        return Pages.plain(401, "authentication required", headers);
    }

    private DashboardResponse get(View v) {
        String path = v.request().path();
        if (path.startsWith("/assets/")) return asset(path.substring("/assets/".length()));
        Matcher job = JOB_PATH.matcher(path);
        if (job.matches()) return JobPage.render(v, admin, secrets, Long.parseLong(job.group(1)));
        return switch (path) {
            case "/", "" -> OverviewPage.render(v, admin, pauses);
            case "/jobs" -> JobsPage.render(v, admin, secrets);
            case "/workers" -> WorkersPage.render(v, admin, schemaStatus);
            case "/periodic" -> PeriodicPage.render(v, admin, periodic);
            case "/schema" -> SchemaPage.render(v, schemaStatus.get());
            default -> Pages.error(v, 404, "Not found", "There is no page at " + path + ".");
        };
    }

    private DashboardResponse post(View v) {
        DashboardRequest r = v.request();
        if (readOnly) {
            LOG.warn("dashboard: refused {} {} by {} from {}: the dashboard is read-only", r.method(), r.path(), v.user(),
                    r.remoteAddress());
            return Pages.error(v, 403, "Read-only", "This dashboard is read-only: it does not change jobs or queues.");
        }
        Optional<String> refusal = csrf.refusal(r, v.user());
        if (refusal.isPresent()) {
            LOG.warn("dashboard: refused {} {} by {} from {}: {}", r.method(), r.path(), v.user(), r.remoteAddress(), refusal.get());
            return Pages.error(v, 403, "Refused", refusal.get());
        }
        Actions actions = new Actions(admin, pauses, secrets, v);
        Matcher job = JOB_ACTION.matcher(r.path());
        if (job.matches()) return actions.onJob(Long.parseLong(job.group(1)), job.group(2));
        if (r.path().equals("/jobs/bulk")) return actions.bulk();
        Matcher queue = QUEUE_ACTION.matcher(r.path());
        if (queue.matches() && pauses != null) {
            return actions.onQueue(java.net.URLDecoder.decode(queue.group(1), StandardCharsets.UTF_8), queue.group(2));
        }
        return Pages.error(v, 404, "Not found", "There is no action at " + r.path() + ".");
    }

    private DashboardResponse asset(String name) {
        byte[] body = assets.get(name);
        if (body == null) return Pages.plain(404, "no such asset", Map.of());
        String type = name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
        return new DashboardResponse(200, Map.of("Content-Type", type, "Cache-Control", "max-age=300",
                "X-Content-Type-Options", "nosniff"), body);
    }

    private static byte[] readAsset(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream("assets/" + name)) {
            return Objects.requireNonNull(in, "missing dashboard asset " + name).readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read dashboard asset " + name, e);
        }
    }

    /** Settings of a dashboard; each has a safe default except the authenticator, which must be chosen. */
    public static final class Builder {
        private final JobAdmin admin;
        private final Supplier<SchemaStatus> schemaStatus;
        private Authenticator authenticator;
        private boolean readOnly;
        private SecretFields secrets = SecretFields.defaults();
        private PeriodicSchedules periodic = PeriodicSchedules.none();
        private QueuePauses pauses;
        private String databaseLabel = "";
        private Clock clock = Clock.systemUTC();

        private Builder(JobAdmin admin, Supplier<SchemaStatus> schemaStatus) {
            this.admin = Objects.requireNonNull(admin);
            this.schemaStatus = Objects.requireNonNull(schemaStatus);
        }

        /** Who may see the dashboard, per request (required: {@link Authenticator#anyone()} says so explicitly). */
        public Builder authenticator(Authenticator a) {
            this.authenticator = Objects.requireNonNull(a);
            return this;
        }

        /** Hides every action, and refuses them when posted anyway. */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /** Which argument fields are never shown (default {@link SecretFields#defaults()}). */
        public Builder secretFields(SecretFields secrets) {
            this.secrets = Objects.requireNonNull(secrets);
            return this;
        }

        public Builder periodicSchedules(PeriodicSchedules schedules) {
            this.periodic = Objects.requireNonNull(schedules);
            return this;
        }

        /** How queues are paused and resumed (default: the admin API's, {@link QueuePauses#of}). */
        public Builder queuePauses(QueuePauses pauses) {
            this.pauses = pauses;
            return this;
        }

        /** Shown in the header, e.g. "db.internal:5432/shop"; a JDBC URL is reduced to host, port and database. */
        public Builder database(String labelOrJdbcUrl) {
            this.databaseLabel = labelOrJdbcUrl == null ? "" : labelOrJdbcUrl.startsWith("jdbc:")
                    ? DatabaseLabel.of(labelOrJdbcUrl) : labelOrJdbcUrl;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Dashboard build() {
            if (authenticator == null) {
                throw new IllegalStateException("choose who may use the dashboard: authenticator(Authenticator.basic(user, password)),"
                        + " your own Authenticator, or Authenticator.anyone() behind a host that authenticates");
            }
            return new Dashboard(this);
        }
    }

    /** What every page needs to know about the request it renders. */
    record View(DashboardRequest request, String user, String csrfToken, boolean readOnly, Instant now, String database,
                boolean pausesEnabled, PeriodicSchedules periodic) {

        String base() {
            return request.basePath();
        }

        String url(String path) {
            return request.basePath() + path;
        }

        boolean fragment() {
            return "main".equals(request.param("fragment"));
        }
    }
}
