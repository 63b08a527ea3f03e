package dev.postpone.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One migrator at a time: a second waits for the lock and then finds nothing to do; an impatient one names the holder. */
@ExtendWith(PostgresExtension.class)
class MigrationLockTest {

    @Test
    void concurrentMigratorsApplyEachStepOnceAndAnImpatientOneNamesTheHolder(TestDatabase db) throws Exception {
        CountDownLatch firstStepStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch secondWaiting = new CountDownLatch(1);
        Migrator first = Sql.migrator(db, "postpone").listener(new MigrationListener() {
            @Override
            public void stepStarted(MigrationStep step, int index, int total) {
                firstStepStarted.countDown();
                await(releaseFirst);
            }
        }).build();
        Migrator second = Sql.migrator(db, "postpone").listener(new MigrationListener() {
            @Override
            public void waitingForLock(String holder, Duration waited) {
                secondWaiting.countDown();
            }
        }).build();

        // Own threads, not the common pool: on a 2-core machine it may have a single thread.
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            try {
                runConcurrently(db, threads, first, second, firstStepStarted, releaseFirst, secondWaiting);
            } finally {
                releaseFirst.countDown();
            }
        }
    }

    private static void runConcurrently(TestDatabase db, ExecutorService threads, Migrator first, Migrator second, CountDownLatch firstStepStarted,
                                        CountDownLatch releaseFirst, CountDownLatch secondWaiting) throws Exception {
        Future<MigrationResult> firstRun = threads.submit(() -> first.migrate());
        assertThat(firstStepStarted.await(30, TimeUnit.SECONDS)).isTrue();
        Future<MigrationResult> secondRun = threads.submit(() -> second.migrate());
        assertThat(secondWaiting.await(30, TimeUnit.SECONDS)).as("the second migrator waits for the lock").isTrue();

        Migrator impatient = Sql.migrator(db, "postpone").lockWait(Duration.ofMillis(10)).build();
        assertThatThrownBy(impatient::migrate)
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("another migrator is running on schema postpone")
                .hasMessageContaining("postpone-migrator/");
        assertThat(first.status().lockHolder()).hasValueSatisfying(h -> assertThat(h).contains("postpone-migrator/"));
        assertThat(first.status().nextSafeAction()).startsWith("wait: a migrator is running");

        releaseFirst.countDown();
        assertThat(firstRun.get(60, TimeUnit.SECONDS).applied()).hasSameSizeAs(MigrationCatalog.bundled().steps());
        assertThat(secondRun.get(60, TimeUnit.SECONDS).nothingToDo()).isTrue();
        assertThat(first.status().steps()).extracting(StepStatus::state).containsOnly(StepState.APPLIED).hasSameSizeAs(MigrationCatalog.bundled().steps());
        assertThat(first.status().lockHolder()).isEmpty();
    }

    @Test
    void lockIsPerSchema(TestDatabase db) throws Exception {
        try (Connection holder = db.connect(); Statement st = holder.createStatement()) {
            st.execute("select pg_advisory_lock(" + 0x706f7374 + ", " + MigrationLock.schemaKey(SchemaName.of("busy")) + ")");
            MigrationResult other = Sql.migrator(db, "free").lockWait(Duration.ofMillis(10)).build().migrate();
            assertThat(other.applied()).hasSameSizeAs(MigrationCatalog.bundled().steps());
            assertThatThrownBy(() -> Sql.migrator(db, "busy").lockWait(Duration.ofMillis(10)).build().migrate())
                    .hasMessageContaining("another migrator is running on schema busy");
        }
        assertThat(Sql.migrator(db, "busy").build().migrate().applied()).hasSameSizeAs(MigrationCatalog.bundled().steps());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
