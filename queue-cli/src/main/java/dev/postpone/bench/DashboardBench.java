package dev.postpone.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpone.Postpone;
import dev.postpone.dashboard.Authenticator;
import dev.postpone.dashboard.Dashboard;
import dev.postpone.dashboard.DashboardRequest;
import dev.postpone.dashboard.DashboardResponse;
import dev.postpone.schema.MigrationTarget;
import dev.postpone.schema.Migrator;
import dev.postpone.schema.Release;
import dev.postpone.schema.SchemaName;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dashboard's page-load budget: server time of its pages (Dashboard.handle, in process, no
 * network) over a jobs table of {@code jobs} rows — by default 10 million: 24 hours of history, mostly
 * succeeded, 2% failed, 0.5% cancelled, and a backlog of 160 000 waiting jobs (a quarter scheduled
 * later) in its last half hour. The table is filled once by SQL (generate_series, a few minutes on 2
 * cores) in its own schema, which is kept so that later runs measure at once; drop the schema to
 * start over.
 */
public final class DashboardBench {

    public static final String SCHEMA = "postpone_bench_dashboard";
    static final int ROUNDS = 15;

    private final DatabaseAddress database;
    private final long jobs;
    private final PrintWriter progress;

    public DashboardBench(DatabaseAddress database, long jobs, PrintWriter progress) {
        this.database = database;
        this.jobs = jobs;
        this.progress = progress;
    }

    /** Page → server times in ms (median, p95, max). */
    public Map<String, double[]> run() throws Exception {
        try (HikariDataSource pool = database.pool(4)) {
            Migrator.builder(pool).schema(SCHEMA).build().migrate(MigrationTarget.ALL, Release.current());
            fill(pool);
            try (Postpone client = Postpone.builder(pool).schema(SCHEMA).registerClient(false).build()) {
                Dashboard dashboard = Dashboard.builder(client).authenticator(Authenticator.anyone()).build();
                Map<String, String> pages = new LinkedHashMap<>();
                pages.put("overview", "/");
                pages.put("jobs (newest)", "/jobs");
                pages.put("jobs, page 100 000 ids down", "/jobs?before=" + (jobs - 100_000));
                pages.put("jobs: queue + status failed", "/jobs?queue=payments&status=failed");
                pages.put("jobs: task + text in args", "/jobs?task=cleanup&text=user4242");
                pages.put("jobs: waiting, last 1 h", "/jobs?status=todo&range=1h");
                pages.put("jobs: created 12-13 h ago", "/jobs?from=" + hoursAgo(13) + "&to=" + hoursAgo(12));
                pages.put("job", "/jobs/" + (jobs / 2));
                pages.put("workers", "/workers");
                Map<String, double[]> results = new LinkedHashMap<>();
                for (Map.Entry<String, String> page : pages.entrySet()) {
                    results.put(page.getKey(), measure(dashboard, page.getValue()));
                }
                return results;
            }
        }
    }

    private static String hoursAgo(int h) {
        return java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusHours(h).withNano(0).withSecond(0).toString();
    }

    private static double[] measure(Dashboard dashboard, String path) {
        double[] ms = new double[ROUNDS];
        for (int i = -3; i < ROUNDS; i++) { // three warm-up rounds
            long start = System.nanoTime();
            DashboardResponse r = dashboard.handle(DashboardRequest.get(path, Map.of()));
            long took = System.nanoTime() - start;
            if (r.status() != 200) throw new IllegalStateException(path + " answered " + r.status() + ": " + r.bodyText());
            if (i >= 0) ms[i] = took / 1e6;
        }
        Arrays.sort(ms);
        return new double[] {ms[ROUNDS / 2], ms[(int) Math.ceil(ROUNDS * 0.95) - 1], ms[ROUNDS - 1]};
    }

    private void fill(HikariDataSource pool) throws Exception {
        SchemaName schema = SchemaName.of(SCHEMA);
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            long have;
            try (ResultSet rs = st.executeQuery("select count(*) from " + schema.qualify("jobs"))) {
                rs.next();
                have = rs.getLong(1);
            }
            if (have >= jobs) {
                progress.println("dashboard bench: schema " + SCHEMA + " already holds " + have + " jobs; measuring");
                progress.flush();
                return;
            }
            progress.println("dashboard bench: filling schema " + SCHEMA + " with " + jobs + " jobs (once; a few minutes)…");
            progress.flush();
            st.execute("truncate " + schema.qualify("jobs"));
            st.execute("set synchronous_commit = off");
            long todoFrom = jobs - jobs / 50;
            st.execute(String.format(Locale.ROOT, """
                    insert into %s (queue, task, args, status, priority, scheduled_at, attempts, max_attempts, created_at,
                                    started_at, finished_at, last_error)
                    select (array['emails','payments','reports','exports','default'])[1 + i %% 5],
                           (array['send-welcome-email','charge-payment','rebuild-report','slow-export','sync-crm',
                                  'resize-image','notify-slack','cleanup'])[1 + i %% 8],
                           jsonb_build_object('to', 'user' || i || '@example.com', 'n', i, 'note', md5(i::text)),
                           st, 0, ts + case when st = 'todo' and i %% 4 = 0 then interval '1 hour' else interval '0' end,
                           case when st = 'todo' then 0 else 1 end, 3, ts,
                           case when st <> 'todo' then ts + interval '200 ms' end,
                           case when st <> 'todo' then ts + interval '700 ms' end,
                           case when st = 'failed' then 'boom ' || i end
                    from (select i, ts, case when i > %d and i %% 10 < 8 then 'todo'
                                             when i %% 50 = 7 then 'failed'
                                             when i %% 200 = 3 then 'cancelled'
                                             else 'succeeded' end as st
                          from (select i, now() - interval '24 hours' + i * (interval '24 hours' / %d) as ts
                                from generate_series(1, %d) i) g) x
                    """, schema.qualify("jobs"), todoFrom, jobs, jobs));
            st.execute("vacuum analyze " + schema.qualify("jobs"));
        }
    }

    /** The results as a table, one page per line. */
    public static String table(Map<String, double[]> results, long jobs) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "dashboard server time over %,d jobs (%d rounds each, ms)", jobs, ROUNDS));
        lines.add(String.format(Locale.ROOT, "%-32s %8s %8s %8s", "PAGE", "MEDIAN", "P95", "MAX"));
        results.forEach((page, ms) -> lines.add(String.format(Locale.ROOT, "%-32s %8.1f %8.1f %8.1f", page, ms[0], ms[1], ms[2])));
        return String.join("\n", lines) + "\n";
    }
}
