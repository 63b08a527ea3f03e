package dev.postpone.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.JobStatus;
import dev.postpone.retry.RetryPolicy;
import dev.postpone.schema.Migrator;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostponeTestKitTest {

    record Welcome(String email) {}

    static final List<String> sent = new CopyOnWriteArrayList<>();
    static final AtomicInteger flakyCalls = new AtomicInteger();
    static Postpone postpone;

    static final Task<Welcome> SEND_WELCOME = Task.named("send-welcome", Welcome.class).queue("mail")
            .action((context, w) -> sent.add(w.email()));

    static final Task<Welcome> SIGN_UP = Task.named("sign-up", Welcome.class)
            .action((context, w) -> postpone.defer(SEND_WELCOME, w));

    static final Task<String> FLAKY = Task.named("flaky", String.class).queue("flaky")
            .retry(RetryPolicy.fixed(Duration.ZERO, 3))
            .action((context, s) -> {
                if (flakyCalls.incrementAndGet() < 3) throw new IllegalStateException("try again");
            });

    static final Task<String> BROKEN = Task.named("broken", String.class).queue("broken")
            .action((context, s) -> { throw new IllegalArgumentException("bad input: " + s); });

    static PostponeTestKit kit;

    @BeforeAll
    static void install(TestDatabase db) throws Exception {
        Migrator.builder(db.dataSource()).build().migrate();
        postpone = Postpone.builder(db.dataSource()).tasks(TaskSet.of(SEND_WELCOME, SIGN_UP, FLAKY, BROKEN)).build();
        kit = PostponeTestKit.of(postpone);
    }

    @Test
    void assertsWhatWasDeferredAndRunsItInlineIncludingJobsItDefers() throws Exception {
        postpone.defer(SIGN_UP, new Welcome("ada@example.com"));
        kit.assertDeferred(SIGN_UP, new Welcome("ada@example.com"));
        kit.assertNothingDeferred(SEND_WELCOME);

        RunSummary run = kit.runDeferred(List.of("default", "mail"));

        assertThat(run.succeeded()).as("sign-up, then the welcome mail it deferred").isEqualTo(2);
        assertThat(sent).containsExactly("ada@example.com");
        kit.assertNothingDeferred(SIGN_UP);
    }

    @Test
    void assertDeferredExplainsWhatIsWaitingWhenItFails() throws Exception {
        postpone.defer(SEND_WELCOME, new Welcome("bob@example.com"));
        assertThatThrownBy(() -> kit.assertDeferred(SEND_WELCOME, new Welcome("eve@example.com")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("eve@example.com")
                .hasMessageContaining("bob@example.com");
        assertThat(kit.deferred(SEND_WELCOME)).contains(new Welcome("bob@example.com"));
        kit.runDeferred(List.of("mail"));
    }

    @Test
    void retriesDueAtOnceRunInTheSameCallAndFailuresAreRecorded() throws Exception {
        long flaky = postpone.defer(FLAKY, "x");
        long broken = postpone.defer(BROKEN, "y");

        RunSummary run = kit.runDeferred(List.of("flaky", "broken"));

        assertThat(run.retried()).isEqualTo(2);
        assertThat(run.succeeded()).isEqualTo(1);
        assertThat(run.failed()).isEqualTo(1);
        assertThat(kit.job(flaky).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(kit.job(flaky).orElseThrow().attempts()).isEqualTo(3);
        assertThat(kit.job(flaky).orElseThrow().lastError()).contains("try again");
        assertThat(kit.job(broken).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
        assertThat(kit.job(broken).orElseThrow().lastError()).isEqualTo("java.lang.IllegalArgumentException: bad input: y");
        assertThat(kit.job(broken).orElseThrow().lastErrorTrace()).contains("PostponeTestKitTest");
    }

    @Test
    void aJobOfAnUnknownTaskIsHandedBackWithAClearError() throws Exception {
        long id;
        try (Postpone anyName = Postpone.builder(postpone.dataSource()).build()) {
            id = anyName.deferByName("retired-task", "{}", dev.postpone.DeferOptions.defaults().queue("old"));
        }
        kit.runDeferred(List.of("old"));
        assertThat(kit.job(id).orElseThrow().status()).as("a newer worker may know it").isEqualTo(JobStatus.TODO);
        assertThat(kit.job(id).orElseThrow().attempts()).isZero();
        assertThat(kit.job(id).orElseThrow().lastError()).startsWith("unknown task 'retired-task'");
    }
}
