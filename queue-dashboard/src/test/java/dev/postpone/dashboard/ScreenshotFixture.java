package dev.postpone.dashboard;

import dev.postpone.internal.JdbcJobAdmin;
import dev.postpone.internal.JobStore;
import dev.postpone.schema.MigrationTarget;
import dev.postpone.schema.Migrator;
import dev.postpone.schema.SchemaName;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * What the screenshots in docs/dashboard.md show: fixed jobs, workers and ledger in a schema of their own,
 * seen by a dashboard whose clock (and its admin's) stands still at {@link #NOW}, so the images change only
 * when the pages do. Workers' heartbeats are the database's real time (they must look alive to the schema
 * status); a heartbeat after the fixed clock shows as "0 s ago".
 */
final class ScreenshotFixture {

    static final String SCHEMA = "postpone_screenshots";
    static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");

    /** The job the job page's screenshot shows: a payment that failed both attempts. */
    final long failedPayment;
    final Dashboard dashboard;

    private ScreenshotFixture(long failedPayment, Dashboard dashboard) {
        this.failedPayment = failedPayment;
        this.dashboard = dashboard;
    }

    static ScreenshotFixture install(TestDatabase db) throws Exception {
        // The middle of a rolling upgrade: pre applied, post waiting for the 1.0.0 worker below.
        Migrator migrator = Migrator.builder(db.dataSource()).schema(SCHEMA).build();
        migrator.migrate(MigrationTarget.PRE, migrator.catalog().latest());
        long failedPayment;
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("set search_path = " + SCHEMA);
            st.execute("set timezone = 'UTC'");
            // The clock, as SQL: every time below is relative to it.
            st.execute("create temporary table fixed_now as select timestamptz '" + NOW + "' as t");
            st.execute("""
                    update schema_migrations set started_at = (select t from fixed_now) - interval '3 days' + make_interval(secs => seq),
                           finished_at = (select t from fixed_now) - interval '3 days' + make_interval(secs => seq + 1), duration_ms = 12
                    where finished_at is not null
                    """);
            st.execute("""
                    insert into workers (name, host, pid, release, queues, concurrency, started_at, last_heartbeat)
                    select n, h, p, r, q, 8, (select t from fixed_now) - s, now()
                    from (values ('billing-worker-1', 'app-1.internal', 4242, '1.1.0', '{emails,payments,reports,periodic}'::text[], interval '2 hours'),
                                 ('billing-worker-2', 'app-2.internal', 5151, '1.1.0', '{emails,payments,reports,periodic}'::text[], interval '2 hours'),
                                 ('legacy-worker', 'app-3.internal', 3131, '1.0.0', '{reports}'::text[], interval '9 days')) w(n, h, p, r, q, s)
                    """);
            // An hour of finished jobs behind the ones below, for the charts (the same shape as the live test's).
            st.execute("""
                    insert into jobs (queue, task, args, status, attempts, max_attempts, created_at, scheduled_at,
                                      started_at, finished_at, last_error, worker_id)
                    select q, t, jsonb_build_object('n', i), s, 1, 1, f - interval '2 s', f - interval '2 s',
                           f - interval '2 s' + make_interval(secs => w), f, case when s = 'failed' then 'timed out' end, 1 + i % 2
                    from (select i, (array['emails', 'payments', 'reports'])[1 + i % 3] as q,
                                 (array['send-email', 'charge-card', 'rebuild-report'])[1 + i % 3] as t,
                                 case when i % 23 = 0 then 'failed' else 'succeeded' end as s,
                                 (select t from fixed_now) - interval '59 minutes' + make_interval(secs => (i * 3599.0 / 6000)
                                     + 20 * sin(i / 40.0)) as f,
                                 0.05 + abs(sin(i / 300.0)) * 1.5 as w
                          from generate_series(1, 6000) i
                          where (i / 250) % 5 <> 3 or i % 3 = 0) g
                    """);
            st.execute("""
                    insert into jobs (queue, task, args, status, attempts, max_attempts, created_at, scheduled_at, started_at,
                                      finished_at, worker_id, attempts_log, result)
                    select 'emails', 'send-email', jsonb_build_object('to', lower(n) || '@example.com', 'name', n), 'succeeded', 1, 3,
                           f - interval '1 s', f - interval '1 s', f - interval '300 ms', f, 1,
                           jsonb_build_array(jsonb_build_object('attempt', 1, 'outcome', 'succeeded', 'worker_id', 1,
                               'worker', 'billing-worker-1', 'started_at', f - interval '300 ms', 'finished_at', f)),
                           jsonb_build_object('messageId', '<' || lower(n) || '@mail.example.com>')
                    from (select n, (select t from fixed_now) - make_interval(secs => 40 - i) as f
                          from unnest(array['Ada', 'Grace', 'Edsger', 'Barbara', 'Ken']) with ordinality u(n, i)) e
                    """);
            try (ResultSet rs = st.executeQuery("""
                    insert into jobs (queue, task, args, status, attempts, max_attempts, created_at, scheduled_at, started_at,
                                      finished_at, worker_id, last_error, last_error_trace, attempts_log)
                    select 'payments', 'charge-card', jsonb_build_object('order', o, 'cents', c, 'password', 'hunter2-do-not-show'),
                           'failed', 2, 2, f - interval '25 s', f - interval '5 s', f - interval '400 ms', f, 2,
                           'card declined for order ' || o, tr,
                           jsonb_build_array(
                               jsonb_build_object('attempt', 1, 'outcome', 'retry', 'worker_id', 1, 'worker', 'billing-worker-1',
                                   'started_at', f - interval '25 s', 'finished_at', f - interval '24.6 s',
                                   'error', 'card declined for order ' || o),
                               jsonb_build_object('attempt', 2, 'outcome', 'failed', 'worker_id', 2, 'worker', 'billing-worker-2',
                                   'started_at', f - interval '400 ms', 'finished_at', f, 'error', 'card declined for order ' || o,
                                   'trace', tr))
                    from (values ('order-1', 1200, 30), ('order-2', 800, 20), ('order-3', 4500, 10)) p(o, c, ago),
                         lateral (select (select t from fixed_now) - make_interval(secs => ago) as f,
                                         'java.lang.IllegalStateException: card declined for order ' || o
                                         || E'\n\tat com.example.shop.billing.ChargeCard.run(ChargeCard.java:42)'
                                         || E'\n\tat dev.postpone.worker.JobExecutor.runAttempt(JobExecutor.java:212)'
                                         || E'\n\tat java.base/java.lang.VirtualThread.run(VirtualThread.java:329)' as tr) ff
                    order by p.ago desc
                    returning id
                    """)) {
                rs.next();
                failedPayment = rs.getLong(1);
            }
            st.execute("""
                    insert into jobs (queue, task, args, status, max_attempts, created_at, scheduled_at)
                    select 'reminders', 'send-reminder', jsonb_build_object('to', lower(n) || '@example.com', 'name', n), 'todo', 3,
                           (select t from fixed_now) - interval '2 minutes', (select t from fixed_now) + interval '1 day'
                    from unnest(array['Linus', 'Margaret', 'Ken']) n
                    """);
            st.execute("""
                    insert into jobs (queue, task, args, status, max_attempts, created_at, scheduled_at)
                    select 'reports', 'rebuild-report', jsonb_build_object('report', 'daily-sales', 'store', i), 'todo', 3,
                           (select t from fixed_now) - make_interval(secs => 180 - i * 3), (select t from fixed_now) - make_interval(secs => 180 - i * 3)
                    from generate_series(1, 40) i
                    """);
            st.execute("""
                    insert into jobs (queue, task, args, status, attempts, max_attempts, created_at, scheduled_at, started_at, worker_id,
                                      abort_request)
                    values ('reports', 'rebuild-report', '{"report": "monthly-sales", "store": 0}', 'doing', 1, 3,
                            (select t from fixed_now) - interval '95 s', (select t from fixed_now) - interval '95 s',
                            (select t from fixed_now) - interval '90 s', 3, null),
                           ('reports', 'rebuild-report', '{"report": "yearly-sales", "store": 0}', 'doing', 1, 3,
                            (select t from fixed_now) - interval '65 s', (select t from fixed_now) - interval '65 s',
                            (select t from fixed_now) - interval '60 s', 1,
                            jsonb_build_object('at', (select t from fixed_now) - interval '4 s', 'by', 'ada (dashboard)', 'attempt', 1))
                    """);
            st.execute("insert into periodic_runs (task, key, last_tick) values ('heartbeat', '', (select t from fixed_now) - interval '1 s')");
            st.execute("analyze jobs");
        }
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        PeriodicSchedules schedules = now -> List.of(new PeriodicSchedules.Schedule("heartbeat", "", "* * * * * *", "UTC",
                java.util.Optional.of(NOW.plusSeconds(1))));
        Dashboard dashboard = Dashboard.builder(new JdbcJobAdmin(db.dataSource(), new JobStore(SchemaName.of(SCHEMA)), "screenshots", clock),
                        db.dataSource(), SCHEMA)
                .authenticator(Authenticator.anyone()).periodicSchedules(schedules).clock(clock)
                .database("jdbc:postgresql://db.internal:5432/shop").build();
        return new ScreenshotFixture(failedPayment, dashboard);
    }
}
