package dev.postpone.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.schema.Migrator;
import dev.postpone.testing.LocalCluster;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A primary fails while workers run and a client defers: the primary's process is killed (as in a crash)
 * and its synchronous standby promoted. Workers and client use one pgjdbc multi-host URL with
 * {@code targetServerType=primary} and find the new primary on their own. Every job the client was told
 * is deferred runs (synchronous replication: an acknowledged commit is on the standby); jobs may run
 * twice (a claim commits asynchronously, so the standby may not have it), none is lost, and no live
 * worker is declared dead because the failover cut every session at once. Ports 25711-25712 (track infra).
 */
@Timeout(300)
class FailoverTest {

    record Work(int n) {
    }

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) c.close();
    }

    @Test
    void workersAndClientsCarryOnOnThePromotedStandbyAndEveryAcknowledgedJobRuns() throws Exception {
        LocalCluster primary = open(LocalCluster.primary("failover-primary", 25711, List.of("synchronous_standby_names = 'standby'")));
        LocalCluster standby = open(primary.standby("failover-standby", 25712, "standby"));
        Await.until("the standby replicates synchronously", Duration.ofSeconds(60),
                () -> "sync".equals(primary.query("postgres", "select sync_state from pg_stat_replication where application_name = 'standby'")));
        Migrator.builder(primary.dataSource("postgres")).build().migrate();

        String url = "jdbc:postgresql://127.0.0.1:25711,127.0.0.1:25712/postgres?user=postgres&targetServerType=primary";
        Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
        Task<Work> work = Task.named("failover-work", Work.class).queue("failover").action((context, w) -> {
            runs.computeIfAbsent(w.n(), k -> new AtomicInteger()).incrementAndGet();
            Thread.sleep(ThreadLocalRandom.current().nextInt(100, 400));
        });
        try (LogCapture logs = new LogCapture()) {
            List<Worker> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                workers.add(open(Worker.builder(dataSource(url), TaskSet.of(work)).queues("failover").name("failover-" + w)
                        .concurrency(4).start()));
            }
            HikariDataSource clientPool = open(pool(url));
            Postpone client = open(Postpone.builder(clientPool).build());
            Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger refused = new AtomicInteger();
            AtomicBoolean deferring = new AtomicBoolean(true);
            Thread deferrer = Thread.ofPlatform().name("deferrer").start(() -> {
                for (int n = 0; deferring.get(); n++) {
                    try {
                        client.defer(work, new Work(n));
                        acknowledged.add(n);   // the commit returned: this job must run
                    } catch (RuntimeException | dev.postpone.QueueingLockTakenException e) {
                        refused.incrementAndGet(); // no answer or refused: it may or may not exist, either is fine
                    }
                    sleep(40);
                }
            });

            Thread.sleep(4_000);
            int inFlightAtCrash = workers.stream().mapToInt(Worker::inFlight).sum();
            primary.crash();
            long crashedAt = System.nanoTime();
            Thread.sleep(1_000);
            standby.promote();
            long promotedAt = System.nanoTime();
            int acknowledgedAtPromotion = acknowledged.size();
            Await.until("the client defers on the new primary", Duration.ofSeconds(60), () -> acknowledged.size() > acknowledgedAtPromotion + 20);
            long deferringAgainAfterMs = (System.nanoTime() - promotedAt) / 1_000_000;
            deferring.set(false);
            deferrer.join();

            Await.until("every acknowledged job succeeded on the new primary", Duration.ofSeconds(120),
                    () -> succeeded(standby).containsAll(acknowledged));
            long drainedAfterMs = (System.nanoTime() - promotedAt) / 1_000_000;
            Map<Integer, Integer> ranTwice = runs.entrySet().stream().filter(e -> e.getValue().get() > 1)
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
            System.out.printf("failover: %d jobs acknowledged, %d defers refused or unanswered, %d running at the crash,"
                            + " %d ran more than once %s; crash to promotion %d ms, deferring again %d ms after promotion,"
                            + " all acknowledged done %d ms after it%n",
                    acknowledged.size(), refused.get(), inFlightAtCrash, ranTwice.size(), ranTwice,
                    (promotedAt - crashedAt) / 1_000_000, deferringAgainAfterMs, drainedAfterMs);

            assertThat(runs.keySet()).as("every acknowledged job ran").containsAll(acknowledged);
            for (Worker w : workers) assertThat(w.isRunning()).as("%s carried on by itself", w.name()).isTrue();
            assertThat(logs.lines("listener.reconnected")).as("both listeners found the new primary").hasSizeGreaterThanOrEqualTo(2);
            assertThat(logs.lines("declared dead")).as("no live worker was declared dead because the failover cut its session").isEmpty();
        }
    }

    /** The ids' numbers of the jobs that succeeded, read on {@code server}. */
    private static Set<Integer> succeeded(LocalCluster server) {
        try (var c = server.dataSource("postgres").getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("select (args ->> 'n')::int from postpone.jobs where status = 'succeeded'")) {
            Set<Integer> done = new java.util.HashSet<>();
            while (rs.next()) done.add(rs.getInt(1));
            return done;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PGSimpleDataSource dataSource(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        return ds;
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    private <T extends AutoCloseable> T open(T resource) {
        opened.add(resource);
        return resource;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
