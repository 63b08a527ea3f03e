package dev.postpone.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpone.DeferOptions;
import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.schema.Migrator;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import dev.postpone.testkit.PostponeTestKit;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link JobAdmin#awaitFinished}: returns once every job is finished, says which are not when time runs out. */
@ExtendWith(PostgresExtension.class)
class AwaitFinishedTest {

    static final Task<Integer> SQUARE = Task.named("square", Integer.class).queue("maths")
            .action((context, n) -> {
                if (n < 0) throw new IllegalArgumentException("negative");
            });

    /** Statements prepared through {@link #postpone}'s pool: how many queries waiting costs. */
    static final AtomicInteger STATEMENTS = new AtomicInteger();

    static Postpone postpone;

    @BeforeAll
    static void install(TestDatabase db) throws Exception {
        Migrator.builder(db.dataSource()).build().migrate();
        postpone = Postpone.builder(countingStatements(db.dataSource())).tasks(TaskSet.of(SQUARE)).build();
    }

    @AfterAll
    static void close() {
        postpone.close();
    }

    @Test
    void returnsTheFinalStatusesInTheOrderGivenOnceTheJobsAreRun() throws Exception {
        List<Long> ids = postpone.deferAll(SQUARE, List.of(3, -1, 4));
        CompletableFuture<?> worker = CompletableFuture.runAsync(() -> {
            sleep(300);
            PostponeTestKit.of(postpone).runDeferred(List.of("maths"));
        });

        Map<Long, JobStatus> finished = postpone.jobs().awaitFinished(ids, Duration.ofSeconds(30));

        assertThat(finished).containsExactly(Map.entry(ids.get(0), JobStatus.SUCCEEDED),
                Map.entry(ids.get(1), JobStatus.FAILED), Map.entry(ids.get(2), JobStatus.SUCCEEDED));
        worker.join();
    }

    @Test
    void aCancelledJobCountsAsFinished() throws Exception {
        long id = postpone.defer(SQUARE, 5, DeferOptions.defaults().queue("nobody-serves"));
        postpone.jobs().cancel(id);
        assertThat(postpone.jobs().awaitFinished(List.of(id), Duration.ofSeconds(1))).containsExactly(Map.entry(id, JobStatus.CANCELLED));
    }

    @Test
    void whenTimeRunsOutItNamesTheUnfinishedJobsAndTheirQueue() throws Exception {
        long done = postpone.defer(SQUARE, 6, DeferOptions.defaults().queue("nobody-serves"));
        postpone.jobs().cancel(done);
        long waiting = postpone.defer(SQUARE, 7, DeferOptions.defaults().queue("nobody-serves"));

        assertThatThrownBy(() -> postpone.jobs().awaitFinished(List.of(done, waiting), Duration.ofMillis(200)))
                .isInstanceOf(JobsNotFinishedException.class)
                .hasMessage("1 of 2 jobs not finished after PT0.2S (" + waiting + " todo on queue 'nobody-serves');"
                        + " check that a worker serves their queues (postpone workers)")
                .satisfies(e -> assertThat(((JobsNotFinishedException) e).unfinished()).containsExactly(Map.entry(waiting, JobStatus.TODO)));
    }

    @Test
    void eachRoundIsOneQueryForAllTheJobsAndRoundsBackOff() throws Exception {
        List<Long> ids = postpone.deferAll(SQUARE, IntStream.range(0, 200).boxed().toList(), DeferOptions.defaults().queue("nobody-serves"));
        int before = STATEMENTS.get();

        assertThatThrownBy(() -> postpone.jobs().awaitFinished(ids, Duration.ofSeconds(1))).isInstanceOf(JobsNotFinishedException.class);

        // Pauses of 10, 20, 40, … ms fit at most 7 rounds in a second; polling per job would cost 200 a round.
        assertThat(STATEMENTS.get() - before).isBetween(2, 8);
    }

    @Test
    void aJobThatDoesNotExistIsRefusedAtOnce() {
        assertThatThrownBy(() -> postpone.jobs().awaitFinished(List.of(987_654_321L), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no job 987654321 to wait for: it was never deferred, or was deleted");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The real data source, counting the statements its connections prepare. */
    private static DataSource countingStatements(DataSource real) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    if (!(result instanceof Connection c)) return result;
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (p, m, a) -> {
                                if (m.getName().equals("prepareStatement")) STATEMENTS.incrementAndGet();
                                return invoke(c, m, a);
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
