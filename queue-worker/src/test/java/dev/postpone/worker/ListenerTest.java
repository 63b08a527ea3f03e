package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobStatus;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Notifications wake the producer: with a one-minute poll interval, a job deferred after start can
 * only run this soon because the listener heard of it, before and after its connection is killed.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(60)
class ListenerTest {

    record Ping(int n) {
    }

    private static final Duration NO_POLLING = Duration.ofMinutes(1);
    private final Task<Ping> ping = Task.named("ping", Ping.class).queue("ping").action((c, p) -> { });

    @BeforeAll
    static void install(TestDatabase db) {
        Sql.installSchema(db);
    }

    @Test
    void pgjdbcListenerWakesTheWorkerAndReconnects(TestDatabase db) throws Exception {
        try (Worker worker = Worker.builder(db.dataSource(), TaskSet.of(ping)).pollInterval(NO_POLLING).start()) {
            runsPromptlyBeforeAndAfterConnectionsAreKilled(db, worker);
        }
    }

    @Test
    void pgjdbcNgListenerWakesTheWorkerAndReconnects(TestDatabase db) throws Exception {
        String url = db.jdbcUrl() + (db.user() == null || db.jdbcUrl().contains("user=") ? ""
                : (db.jdbcUrl().contains("?") ? "&" : "?") + "user=" + db.user());
        try (Worker worker = Worker.builder(db.dataSource(), TaskSet.of(ping)).pollInterval(NO_POLLING)
                .listener(ListenerKind.PGJDBC_NG).pgjdbcNgUrl(url).start()) {
            runsPromptlyBeforeAndAfterConnectionsAreKilled(db, worker);
        }
    }

    @Test
    void theNgListenerNeedsAUrl(TestDatabase db) {
        assertThatThrownBy(() -> Worker.builder(db.dataSource(), TaskSet.of(ping)).listener(ListenerKind.PGJDBC_NG).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("pgjdbcNgUrl");
    }

    private void runsPromptlyBeforeAndAfterConnectionsAreKilled(TestDatabase db, Worker worker) throws Exception {
        try (Postpone client = Postpone.builder(db.dataSource()).build()) {
            Thread.sleep(300); // let the producer's first fetch pass, so only a notification can find the next job
            long first = client.defer(ping, new Ping(1));
            awaitSucceeded(client, first);
            Sql.count(db.dataSource(), "select count(pg_terminate_backend(pid)) from pg_stat_activity"
                    + " where datname = current_database() and pid <> pg_backend_pid()");
            Thread.sleep(500); // the listener reconnects (and wakes the producer once)
            long second = client.defer(ping, new Ping(2));
            awaitSucceeded(client, second);
            assertThat(worker.isRunning()).isTrue();
        }
    }

    private static void awaitSucceeded(Postpone client, long id) throws InterruptedException {
        // Well under the poll interval: only a notification (or the reconnect's wake-up) can explain it.
        Await.until("job " + id + " succeeded", Duration.ofSeconds(20),
                () -> client.jobs().get(id).map(Job::status).orElseThrow() == JobStatus.SUCCEEDED);
    }
}
