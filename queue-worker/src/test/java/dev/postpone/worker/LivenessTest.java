package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobStatus;
import dev.postpone.TaskSet;
import dev.postpone.schema.Channels;
import dev.postpone.schema.Migrator;
import dev.postpone.schema.SchemaName;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The worker re-registers when declared dead, and drains and stops when a migration removes its functions. */
@ExtendWith(PostgresExtension.class)
@Timeout(90)
class LivenessTest {

    record Nothing() {
    }

    private final Task<Nothing> task = Task.named("nothing", Nothing.class).action((c, n) -> { });

    @BeforeAll
    static void install(TestDatabase db) {
        Sql.installSchema(db);
    }

    @Test
    void reRegistersAfterBeingDeclaredDead(TestDatabase db) throws Exception {
        try (Worker worker = Worker.builder(db.dataSource(), TaskSet.of(task)).heartbeatInterval(Duration.ofMillis(200)).start()) {
            long first = worker.id();
            Sql.count(db.dataSource(), "select postpone.unregister_worker_v2(" + first + ", now())"); // what a rescuer does to a silent worker
            Await.until("the worker registered again", Duration.ofSeconds(20), () -> worker.id() != first);
            assertThat(Sql.count(db.dataSource(), "select count(*) from postpone.list_workers_v1() where id = " + worker.id())).isEqualTo(1);
            assertThat(worker.isRunning()).isTrue();
        }
    }

    /**
     * Fencing: a worker whose heartbeat fails cannot prove it is alive, and others may soon take its
     * jobs over, so it takes no new jobs until a heartbeat succeeds again (it did before 1.1.0, and
     * jobs ran twice).
     */
    @Test
    void aWorkerWhoseHeartbeatFailsTakesNoNewJobsUntilItSucceedsAgain(TestDatabase db) throws Exception {
        try (Postpone client = Postpone.builder(db.dataSource()).build();
             Worker worker = Worker.builder(db.dataSource(), TaskSet.of(task)).pollInterval(Duration.ofMillis(100)).start()) {
            long before = client.defer(task, new Nothing());
            Await.until("a job runs while the heartbeat works", Duration.ofSeconds(20), () -> succeeded(client, before));

            Sql.execute(db.dataSource(), "alter function postpone.heartbeat_worker_v2(bigint, timestamptz) rename to heartbeat_broken");
            try {
                Await.until("the next heartbeat fails and fences the worker", Duration.ofSeconds(20), worker::isFenced);
                long during = client.defer(task, new Nothing());
                Thread.sleep(1_500);
                assertThat(client.jobs().get(during).orElseThrow().status()).as("fenced: not fetched").isEqualTo(JobStatus.TODO);
            } finally {
                Sql.execute(db.dataSource(), "alter function postpone.heartbeat_broken(bigint, timestamptz) rename to heartbeat_worker_v2");
            }
            Await.until("a heartbeat succeeds again", Duration.ofSeconds(20), () -> !worker.isFenced());
            long after = client.defer(task, new Nothing());
            Await.until("jobs run again once a heartbeat succeeds", Duration.ofSeconds(20), () -> succeeded(client, after));
            assertThat(worker.isRunning()).isTrue();
        }
    }

    /**
     * A database restart or failover ends every session at once and frees every liveness lock. The worker
     * back first must not take the jobs of one still reconnecting (here: kept from connecting for 4 s, past
     * the 1.5 s lock grace): it goes by heartbeats alone for a while, and the other keeps its running job.
     */
    @Test
    void whenEverySessionEndsAtOnceNoLiveWorkerIsDeclaredDead(TestDatabase db) throws Exception {
        Task<Nothing> slow = Task.named("slow", Nothing.class).queue("slow").action((c, n) -> Thread.sleep(8_000));
        Gate gate = new Gate(db);
        try (LogCapture logs = new LogCapture(); Postpone client = Postpone.builder(db.dataSource()).build();
             Worker fast = Worker.builder(db.dataSource(), TaskSet.of(task)).queues("other").start();
             Worker late = Worker.builder(gate, TaskSet.of(slow)).queues("slow").start()) {
            long job = client.defer(slow, new Nothing());
            Await.until("the late worker runs the job", Duration.ofSeconds(20), () -> late.inFlight() == 1);
            gate.close();
            Sql.count(db.dataSource(), "select count(pg_terminate_backend(pid)) from pg_stat_activity"
                    + " where datname = current_database() and pid <> pg_backend_pid()");
            Thread.sleep(4_000);
            gate.open();
            Await.until("the job succeeded, run once", Duration.ofSeconds(30), () -> succeeded(client, job));
            assertThat(client.jobs().get(job).orElseThrow().attempts()).isEqualTo(1);
            assertThat(logs.lines("job.rescued")).isEmpty();
            assertThat(logs.lines("declared dead")).isEmpty();
            assertThat(logs.lines("rescuer.heartbeats_only")).isNotEmpty();
            assertThat(fast.isRunning()).isTrue();
        }
    }

    /** A data source that can be kept from handing out connections, as a worker that cannot reach the database yet. */
    private static final class Gate extends org.postgresql.ds.PGSimpleDataSource {
        private volatile boolean closed;

        Gate(TestDatabase db) {
            setUrl(db.jdbcUrl());
            if (db.user() != null) setUser(db.user());
            if (db.password() != null) setPassword(db.password());
        }

        void close() {
            closed = true;
        }

        void open() {
            closed = false;
        }

        @Override
        public java.sql.Connection getConnection() throws java.sql.SQLException {
            if (closed) throw new java.sql.SQLException("the database cannot be reached (test gate)", "08001");
            return super.getConnection();
        }
    }

    private static boolean succeeded(Postpone client, long id) {
        return client.jobs().get(id).map(Job::status).orElseThrow() == JobStatus.SUCCEEDED;
    }

    @Test
    void stopsWhenAMigrationRemovesItsFunctions(TestDatabase db) throws Exception {
        Migrator.builder(db.dataSource()).schema("doomed").build().migrate();
        Worker worker = Worker.builder(db.dataSource(), TaskSet.of(task)).schema("doomed").start();
        try {
            // What a later release's post migration does: drop a _v1 function and record the step in one
            // transaction (one query string), then announce the phase.
            Sql.execute(db.dataSource(), "drop function doomed.periodic_last_ticks_v2();"
                    + " insert into doomed.schema_migrations (release, phase, seq, name, checksum, state,"
                    + " transactional, finished_at, migrator_release) values ('9.0.0', 'post', 1, 'drop_v1', 'x', 'applied', true,"
                    + " now(), '9.0.0')");
            Sql.execute(db.dataSource(), "select pg_notify('" + Channels.schema(SchemaName.of("doomed")) + "', '9.0.0/post')");
            Await.until("the worker stopped", Duration.ofSeconds(20), () -> !worker.isRunning());
            worker.awaitStopped();
            assertThat(Sql.count(db.dataSource(), "select count(*) from doomed.list_workers_v1()")).isZero();
            assertThat(worker.schemaIncompatibility()).as("says why, so a supervisor starts the newer release")
                    .hasValueSatisfying(reason -> assertThat(reason).contains("periodic_last_ticks_v2").contains("upgrade this worker"));
        } finally {
            worker.close();
        }
    }
}
