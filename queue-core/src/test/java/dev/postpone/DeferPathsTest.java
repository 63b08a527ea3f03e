package dev.postpone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.postpone.admin.Job;
import dev.postpone.retry.RetryPolicy;
import dev.postpone.schema.Migrator;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every way of deferring from Java stores the same job for the same task and arguments: the task's
 * defaults (queue, priority, lock, queueing lock, attempts) unless the call sets them, and the call's
 * schedule. By-name defer reads the JSON into the task's type, so bad arguments fail at defer time.
 */
@ExtendWith(PostgresExtension.class)
class DeferPathsTest {

    record Invoice(String customer, long number) {}

    static final Task<Invoice> SEND_INVOICE = Task.named("send-invoice", Invoice.class)
            .aliases("invoice-mail")
            .queue("billing")
            .priority(7)
            .lockBy(invoice -> "customer:" + invoice.customer())
            .queueingLockBy(invoice -> "invoice:" + invoice.number())
            .retry(RetryPolicy.fixed(Duration.ofSeconds(1), 5))
            .action((context, invoice) -> { });

    static final AtomicLong NUMBERS = new AtomicLong(1000);

    static TestDatabase db;
    static Postpone postpone;

    /** One way of deferring a list of invoices with the same options; returns the ids in order. */
    enum DeferPath {
        TYPED_SINGLE {
            @Override
            List<Long> defer(List<Invoice> invoices, DeferOptions options) throws Exception {
                List<Long> ids = new ArrayList<>();
                for (Invoice i : invoices) ids.add(postpone.defer(SEND_INVOICE, i, options));
                return ids;
            }
        },
        TYPED_BATCH {
            @Override
            List<Long> defer(List<Invoice> invoices, DeferOptions options) throws Exception {
                return postpone.deferAll(SEND_INVOICE, invoices, options);
            }
        },
        REQUEST_BATCH {
            @Override
            List<Long> defer(List<Invoice> invoices, DeferOptions options) throws Exception {
                return postpone.deferAll(invoices.stream().<JobRequest<?>>map(i -> JobRequest.of(SEND_INVOICE, i, options)).toList());
            }
        },
        IN_TRANSACTION {
            @Override
            List<Long> defer(List<Invoice> invoices, DeferOptions options) throws Exception {
                try (Connection c = db.connect()) {
                    c.setAutoCommit(false);
                    List<Long> ids = new ArrayList<>();
                    for (Invoice i : invoices) ids.add(postpone.defer(c, SEND_INVOICE, i, options));
                    c.commit();
                    return ids;
                }
            }
        },
        BY_NAME_SINGLE {
            @Override
            List<Long> defer(List<Invoice> invoices, DeferOptions options) throws Exception {
                List<Long> ids = new ArrayList<>();
                for (Invoice i : invoices) ids.add(postpone.deferByName("send-invoice", json(i), options));
                return ids;
            }
        },
        BY_NAME_BATCH {
            @Override
            List<Long> defer(List<Invoice> invoices, DeferOptions options) throws Exception {
                List<String> texts = new ArrayList<>();
                for (Invoice i : invoices) texts.add(json(i));
                return postpone.deferAllByName("send-invoice", texts, options);
            }
        };

        abstract List<Long> defer(List<Invoice> invoices, DeferOptions options) throws Exception;
    }

    @BeforeAll
    static void install(TestDatabase database) throws Exception {
        db = database;
        Migrator.builder(db.dataSource()).build().migrate();
        postpone = Postpone.builder(db.dataSource()).tasks(TaskSet.of(SEND_INVOICE)).build();
    }

    @AfterAll
    static void close() {
        postpone.close();
    }

    @ParameterizedTest
    @EnumSource(DeferPath.class)
    void everyDefaultOfTheTaskApplies(DeferPath path) throws Exception {
        List<Invoice> invoices = List.of(invoice("ada"), invoice("grace"));
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        List<Long> ids = path.defer(invoices, DeferOptions.defaults());

        for (int i = 0; i < invoices.size(); i++) {
            Invoice invoice = invoices.get(i);
            Job job = postpone.jobs().get(ids.get(i)).orElseThrow();
            assertThat(job.task()).isEqualTo("send-invoice");
            assertThat(job.queue()).isEqualTo("billing");
            assertThat(job.priority()).isEqualTo(7);
            assertThat(job.lock()).isEqualTo("customer:" + invoice.customer());
            assertThat(job.queueingLock()).isEqualTo("invoice:" + invoice.number());
            assertThat(job.maxAttempts()).isEqualTo(5);
            assertThat(job.scheduledAt()).as("due at once").isBetween(before.minusSeconds(5), Instant.now().plusSeconds(5));
            assertThat(postpone.objectMapper().readTree(job.args())).isEqualTo(postpone.objectMapper().readTree(json(invoice)));
        }
    }

    @ParameterizedTest
    @EnumSource(DeferPath.class)
    void everyOptionOfTheCallWinsOverTheTask(DeferPath path) throws Exception {
        Instant at = Instant.now().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MICROS);
        DeferOptions options = DeferOptions.defaults().queue("urgent").priority(-2).lock("by-hand")
                .queueingLock("by-hand-" + path).maxAttempts(9).at(at);

        Job job = postpone.jobs().get(path.defer(List.of(invoice("ken")), options).getFirst()).orElseThrow();

        assertThat(job.queue()).isEqualTo("urgent");
        assertThat(job.priority()).isEqualTo(-2);
        assertThat(job.lock()).isEqualTo("by-hand");
        assertThat(job.queueingLock()).isEqualTo("by-hand-" + path);
        assertThat(job.maxAttempts()).isEqualTo(9);
        assertThat(job.scheduledAt()).isEqualTo(at);
    }

    @ParameterizedTest
    @EnumSource(DeferPath.class)
    void theTasksQueueingLockRefusesASecondWaitingJob(DeferPath path) throws Exception {
        Invoice invoice = invoice("linus");
        path.defer(List.of(invoice), DeferOptions.defaults());

        assertThatThrownBy(() -> path.defer(List.of(invoice), DeferOptions.defaults()))
                .isInstanceOf(QueueingLockTakenException.class)
                .hasMessageContaining("invoice:" + invoice.number());
    }

    @Test
    void byNameArgumentsOfTheWrongTypeAreRefusedAtDeferTimeNamingTheField() {
        assertThatThrownBy(() -> postpone.deferByName("send-invoice", "{\"customer\":\"ada\",\"number\":\"not-a-number\"}",
                DeferOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("arguments of task 'send-invoice' do not match Invoice: field 'number' must be a long, not \"not-a-number\"");
        assertThatThrownBy(() -> postpone.deferByName("send-invoice", "{\"customer\":{},\"number\":1}", DeferOptions.defaults()))
                .hasMessage("arguments of task 'send-invoice' do not match Invoice: field 'customer' must be a string, not an object");
        assertThatThrownBy(() -> postpone.deferByName("send-invoice", "[1, 2]", DeferOptions.defaults()))
                .hasMessage("arguments of task 'send-invoice' do not match Invoice: the value must be an Invoice, not a list");
    }

    @Test
    void byNameArgumentsAreHeldToWhatATypedCallerCouldPass() {
        assertThatThrownBy(() -> postpone.deferByName("send-invoice", "{\"customer\":\"ada\"}", DeferOptions.defaults()))
                .hasMessage("arguments of task 'send-invoice' do not match Invoice: field 'number' is missing; it must be a long");
        assertThatThrownBy(() -> postpone.deferByName("send-invoice", "{\"customer\":\"ada\",\"number\":1.5}", DeferOptions.defaults()))
                .hasMessage("arguments of task 'send-invoice' do not match Invoice: field 'number' must be a long, not 1.5");
        assertThatThrownBy(() -> postpone.deferByName("send-invoice", "null", DeferOptions.defaults()))
                .hasMessage("the arguments of task 'send-invoice' are null; pass a JSON value such as {}");
        assertThatThrownBy(() -> postpone.deferByName("send-invoice", "{\"customer\":\"ada\",\"number\":1}}", DeferOptions.defaults()))
                .hasMessageStartingWith("malformed JSON arguments of task 'send-invoice': ");
    }

    @Test
    void byNameArgumentsWithAFieldTheTypeDoesNotHaveAreRefused() {
        assertThatThrownBy(() -> postpone.deferByName("send-invoice", "{\"customer\":\"ada\",\"number\":1,\"note\":\"x\"}",
                DeferOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("arguments of task 'send-invoice' do not match Invoice: unknown field 'note' (known: customer, number)");
        assertThatThrownBy(() -> postpone.deferByName("send-invoice", "{\"customer\":\"ada\",\"numbr\":1}", DeferOptions.defaults()))
                .as("a misspelt primitive field is reported as the missing one")
                .hasMessage("arguments of task 'send-invoice' do not match Invoice: field 'number' is missing; it must be a long");
    }

    @Test
    void aBadValueInAByNameBatchSaysWhichAndDefersNothing() {
        long before = postpone.jobs().counts().stream().mapToLong(c -> c.jobs()).sum();
        assertThatThrownBy(() -> postpone.deferAllByName("send-invoice",
                List.of(json(invoice("ada")), "{\"customer\":\"bob\",\"number\":true}"), DeferOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("job 2 of 2: arguments of task 'send-invoice' do not match Invoice: field 'number' must be a long, not true");
        assertThat(postpone.jobs().counts().stream().mapToLong(c -> c.jobs()).sum()).isEqualTo(before);
    }

    @Test
    void malformedJsonByNameSaysWhere() {
        assertThatThrownBy(() -> postpone.deferByName("send-invoice", "{\"customer\": ", DeferOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed JSON arguments of task 'send-invoice': ")
                .hasMessageContaining("(line 1, column ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("StreamReadFeature"));
        assertThatThrownBy(() -> postpone.deferByName("send-invoice", " ", DeferOptions.defaults()))
                .hasMessage("the arguments of task 'send-invoice' are empty; pass a JSON value such as {}");
    }

    @Test
    void byAliasDefersTheTaskUnderItsNameWithItsDefaults() throws Exception {
        Invoice invoice = invoice("barbara");
        Job job = postpone.jobs().get(postpone.deferByName("invoice-mail", json(invoice), DeferOptions.defaults())).orElseThrow();
        assertThat(job.task()).isEqualTo("send-invoice");
        assertThat(job.lock()).isEqualTo("customer:barbara");
    }

    @Test
    void anUnknownNameIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> postpone.deferByName("send-invoices", "{}", DeferOptions.defaults()))
                .isInstanceOf(UnknownTaskException.class)
                .hasMessage("unknown task 'send-invoices'; known tasks: send-invoice, invoice-mail");
    }

    @Test
    void withoutATaskSetAnyNameTakesTheGlobalDefaultsAndAnyJson() throws Exception {
        try (Postpone anyName = Postpone.builder(db.dataSource()).build()) {
            List<Long> ids = anyName.deferAllByName("elsewhere.task", List.of("{\"a\": 1}", "[1,2]"), DeferOptions.defaults());
            Job job = anyName.jobs().get(ids.getFirst()).orElseThrow();
            assertThat(job.task()).isEqualTo("elsewhere.task");
            assertThat(job.queue()).isEqualTo(Task.DEFAULT_QUEUE);
            assertThat(job.priority()).isZero();
            assertThat(job.lock()).isNull();
            assertThat(job.queueingLock()).isNull();
            assertThat(job.maxAttempts()).isEqualTo(1);
            assertThat(job.args()).isEqualTo("{\"a\": 1}");
        }
    }

    private static Invoice invoice(String customer) {
        return new Invoice(customer, NUMBERS.incrementAndGet());
    }

    private static String json(Invoice invoice) {
        try {
            return postpone.objectMapper().writeValueAsString(invoice);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
