package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobStatus;
import dev.postpone.schema.Channels;
import dev.postpone.schema.SchemaName;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A worker holds {@link Worker#CONNECTIONS} connections whatever its concurrency, and never needs one
 * more: not for the schema check a migration notification or a listener reconnect triggers, so a pool
 * of exactly that size never makes a component wait.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(90)
class WorkerConnectionsTest {

    private static final String APPLICATION = "worker-connections-test";

    record Nap(int n) {
    }

    @BeforeAll
    static void install(TestDatabase db) {
        Sql.installSchema(db);
    }

    @Test
    void aWorkerAtConcurrency100HoldsItsFourConnectionsAndNeedsNoMore(TestDatabase db) throws Exception {
        Task<Nap> nap = Task.named("nap", Nap.class).queue("connections").action((context, n) -> Thread.sleep(20));
        Budget budget = new Budget(db, Worker.CONNECTIONS);
        try (Postpone client = Postpone.builder(db.dataSource()).build();
             Worker worker = Worker.builder(budget, TaskSet.of(nap)).queues("connections").concurrency(100)
                     .heartbeatInterval(Duration.ofMillis(200)).start()) {
            List<Long> ids = client.deferAll(nap, IntStream.range(0, 500).mapToObj(Nap::new).toList());
            Await.until("the listener, producer, completer and housekeeping connected", Duration.ofSeconds(20),
                    () -> held(db) == Worker.CONNECTIONS);

            // A migration's notification, then a lost LISTEN connection: each makes the worker check the schema again.
            Sql.execute(db.dataSource(), "select pg_notify('" + Channels.schema(SchemaName.DEFAULT) + "', 'post')");
            Sql.execute(db.dataSource(), "select pg_terminate_backend(pid) from pg_stat_activity where application_name = '"
                    + APPLICATION + "' and query like 'LISTEN%'");
            Await.until("all 500 jobs succeeded", Duration.ofSeconds(60), () -> ids.stream()
                    .allMatch(id -> client.jobs().get(id).map(Job::status).orElseThrow() == JobStatus.SUCCEEDED));
            Await.until("the listener reconnected", Duration.ofSeconds(20), () -> held(db) == Worker.CONNECTIONS);
            Thread.sleep(1000); // the schema checks the notification and the reconnect asked for run meanwhile

            assertThat(worker.isRunning()).isTrue();
            assertThat(budget.refused).as("a connection asked for beyond Worker.CONNECTIONS").isFalse();
            assertThat(budget.peak.get()).as("most connections open at once").isLessThanOrEqualTo(Worker.CONNECTIONS);
            assertThat(held(db)).as("connections in pg_stat_activity").isEqualTo(Worker.CONNECTIONS);
        }
        assertThat(budget.open.get()).as("connections left open after close()").isZero();
    }

    private static long held(TestDatabase db) {
        return Sql.count(db.dataSource(), "select count(*) from pg_stat_activity where datname = ? and application_name = ?",
                db.databaseName(), APPLICATION);
    }

    /** A data source that hands out at most {@code limit} connections at once, like a pool of that size that does not wait. */
    static final class Budget implements DataSource {
        final PGSimpleDataSource target = new PGSimpleDataSource();
        final int limit;
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final AtomicBoolean refused = new AtomicBoolean();

        Budget(TestDatabase db, int limit) {
            target.setUrl(db.jdbcUrl());
            if (db.user() != null) target.setUser(db.user());
            if (db.password() != null) target.setPassword(db.password());
            target.setApplicationName(APPLICATION);
            this.limit = limit;
        }

        @Override
        public Connection getConnection() throws SQLException {
            int now = open.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            if (now > limit) {
                open.decrementAndGet();
                refused.set(true);
                throw new SQLException("test budget: more than " + limit + " connections at once", "53300");
            }
            Connection c;
            try {
                c = target.getConnection();
            } catch (SQLException e) {
                open.decrementAndGet();
                throw e;
            }
            AtomicBoolean closed = new AtomicBoolean();
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("close") && closed.compareAndSet(false, true)) open.decrementAndGet();
                        try {
                            return method.invoke(c, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String user, String password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
