package dev.postpone.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.JobContext;
import dev.postpone.Postpone;
import dev.postpone.SchemaNotReadyException;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.TaskSetProvider;
import dev.postpone.schema.Migrator;
import dev.postpone.testing.SpringTestDatabases;
import dev.postpone.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

/** What the auto-configuration builds from the application's beans and properties. */
class PostponeAutoConfigurationTest {

    static final TestDatabase DB = SpringTestDatabases.create(PostponeAutoConfigurationTest.class);

    record Receipt(long orderId, String email) {}

    static final Task<Receipt> A = Task.named("task-bean", Receipt.class).action((c, r) -> { });
    static final Task<Receipt> B = Task.named("in-a-set", Receipt.class).action((c, r) -> { });
    static final Task<Receipt> C = Task.named("from-a-provider", Receipt.class).action((c, r) -> { });

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, PostponeAutoConfiguration.class,
                    PostponeWorkerAutoConfiguration.class, PostponeHealthAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=" + DB.jdbcUrl(), "postpone.schema.migrate=pre",
                    "postpone.worker.enabled=false");

    @Configuration
    static class TaskBeans {
        @Bean Task<Receipt> taskBean() { return A; }
        @Bean TaskSet taskSet() { return TaskSet.of(B, A); }            // A again: the same task counts once
        @Bean TaskSetProvider provider() { return () -> TaskSet.of(C); }
        @Bean Receipts receipts() { return new Receipts(); }
    }

    static class Receipts {
        @PostponeTask(name = "send-receipt", queue = "${receipts.queue:emails}", maxAttempts = 5, backoff = "2s", timeout = "30s",
                aliases = "mail-receipt", priority = 3)
        String send(Receipt receipt, JobContext context) {
            return "sent " + receipt.orderId() + " in attempt " + context.attempt();
        }

        @PostponeTask(name = "nightly-cleanup")
        void cleanup() {
        }
    }

    /** Injects an annotation-defined task by its name, with its argument type. */
    @Component
    static class Checkout {
        final Task<Receipt> sendReceipt;

        Checkout(@Qualifier("send-receipt") Task<Receipt> sendReceipt) {
            this.sendReceipt = sendReceipt;
        }
    }

    @Test
    void every_task_bean_set_provider_and_annotated_method_is_a_task_of_the_client() {
        runner.withUserConfiguration(TaskBeans.class, Checkout.class).run(context -> {
            assertThat(context).hasNotFailed();
            TaskSet tasks = context.getBean(Postpone.class).tasks();
            assertThat(tasks.tasks()).extracting(Task::name)
                    .containsExactlyInAnyOrder("task-bean", "in-a-set", "from-a-provider", "send-receipt", "nightly-cleanup");

            Task<?> receipt = tasks.require("mail-receipt");
            assertThat(receipt.name()).isEqualTo("send-receipt");
            assertThat(receipt.queue()).isEqualTo("emails");
            assertThat(receipt.priority()).isEqualTo(3);
            assertThat(receipt.retry().maxAttempts()).isEqualTo(5);
            assertThat(receipt.timeout()).contains(Duration.ofSeconds(30));
            assertThat(receipt.argsType().getRawClass()).isEqualTo(Receipt.class);
            assertThat(context.getBean(Checkout.class).sendReceipt).isSameAs(receipt);
        });
    }

    @Test
    void an_annotated_method_is_called_with_the_jobs_json_read_into_its_parameter() {
        runner.withUserConfiguration(TaskBeans.class).run(context -> {
            Postpone postpone = context.getBean(Postpone.class);
            @SuppressWarnings("unchecked")
            Task<Object> task = (Task<Object>) postpone.tasks().require("send-receipt");
            Object args = postpone.objectMapper().readValue("{\"orderId\":7,\"email\":\"ada@example.com\"}", task.argsType());

            assertThat(args).isEqualTo(new Receipt(7, "ada@example.com"));
            assertThat(task.handler().handle(new FakeContext(2), args)).isEqualTo("sent 7 in attempt 2");
        });
    }

    @Test
    void placeholders_in_the_annotation_come_from_the_environment() {
        runner.withUserConfiguration(TaskBeans.class).withPropertyValues("receipts.queue=receipts-eu").run(context ->
                assertThat(context.getBean(Postpone.class).tasks().require("send-receipt").queue()).isEqualTo("receipts-eu"));
    }

    static class TwoArguments {
        @PostponeTask(name = "two")
        void run(Receipt receipt, String other) {
        }
    }

    @Test
    void a_method_with_two_argument_parameters_stops_the_start_saying_to_use_a_record() {
        runner.withBean(TwoArguments.class).run(context -> assertThat(context).getFailure()
                .hasMessageContaining("TwoArguments.run has more than one argument parameter; put the arguments in one record"));
    }

    @Configuration
    static class SameName {
        @Bean Task<Receipt> first() { return Task.named("same", Receipt.class).action((c, r) -> { }); }
        @Bean Task<Receipt> second() { return Task.named("same", Receipt.class).action((c, r) -> { }); }
    }

    @Test
    void two_tasks_under_one_name_stop_the_start_naming_both() {
        runner.withUserConfiguration(SameName.class).run(context -> assertThat(context).getFailure()
                .hasMessageContaining("two tasks are named 'same': one from bean 'first', one from bean 'second'"));
    }

    @Test
    void without_a_data_source_there_is_no_client() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PostponeAutoConfiguration.class,
                PostponeWorkerAutoConfiguration.class)).run(context -> assertThat(context).doesNotHaveBean(Postpone.class));
    }

    @Test
    void migrate_pre_installs_the_schema_this_release_needs() {
        TestDatabase empty = SpringTestDatabases.create(PostponeAutoConfigurationTest.class);
        runner.withPropertyValues("spring.datasource.url=" + empty.jdbcUrl()).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(Migrator.builder(empty.dataSource()).build().check().ok()).isTrue();
        });
    }

    @Test
    void with_migrate_none_a_missing_schema_stops_the_start_with_the_command_to_run() {
        TestDatabase empty = SpringTestDatabases.create(PostponeAutoConfigurationTest.class);
        runner.withPropertyValues("spring.datasource.url=" + empty.jdbcUrl(), "postpone.schema.migrate=none").run(context -> {
            Throwable failure = context.getStartupFailure();
            assertThat(failure).isNotNull();
            FailureAnalysis analysis = new SchemaNotReadyFailureAnalyzer().analyze(failure);
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).startsWith("Postpone cannot run against the database schema");
            assertThat(analysis.getAction()).contains("Run: postpone schema migrate").contains("postpone.schema.migrate=pre");
            assertThat(analysis.getCause()).isInstanceOf(SchemaNotReadyException.class);
        });
    }

    @Test
    void with_the_worker_disabled_there_is_no_worker_and_health_says_so() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(PostponeWorkerLifecycle.class);
            var health = context.getBean(PostponeHealthIndicator.class).health(true);
            assertThat(health.getStatus().getCode()).isEqualTo("UP");
            assertThat(health.getDetails()).containsEntry("worker", "disabled").containsEntry("schema", "compatible");
        });
    }

    @Test
    void the_shutdown_timeout_defaults_to_springs_phase_timeout_less_time_for_the_final_writes() {
        assertThat(PostponeWorkerAutoConfiguration.shutdownTimeout(null, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(25));
        assertThat(PostponeWorkerAutoConfiguration.shutdownTimeout(null, Duration.ofSeconds(3))).isEqualTo(Duration.ZERO);
        assertThat(PostponeWorkerAutoConfiguration.shutdownTimeout(Duration.ofSeconds(10), Duration.ofSeconds(30)))
                .isEqualTo(Duration.ofSeconds(10));
    }

    /** The context a worker would give; only the attempt matters here. */
    record FakeContext(int attempt) implements JobContext {
        public long jobId() { return 1; }
        public String task() { return "send-receipt"; }
        public String queue() { return "emails"; }
        public int maxAttempts() { return 5; }
        public String workerName() { return "test"; }
        public java.util.Optional<java.time.Instant> deadline() { return java.util.Optional.empty(); }
        public boolean isCancelled() { return false; }
        public org.slf4j.Logger logger() { return org.slf4j.LoggerFactory.getLogger("test"); }
    }

}
