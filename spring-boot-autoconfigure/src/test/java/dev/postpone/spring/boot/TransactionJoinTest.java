package dev.postpone.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpone.JobRequest;
import dev.postpone.Postpone;
import dev.postpone.Task;
import dev.postpone.admin.JobSelection;
import dev.postpone.testing.SpringTestDatabases;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Service;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code postpone.defer} inside {@code @Transactional} methods: the job exists if and only if the
 * transaction that deferred it commits, and workers are notified only then.
 */
@SpringBootTest(properties = {"postpone.schema.migrate=pre", "postpone.worker.enabled=false"})
class TransactionJoinTest {

    record Note(String text) {}

    static final Task<Note> NOTE = Task.named("note", Note.class).queue("notes").action((context, note) -> { });

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", SpringTestDatabases.create(TransactionJoinTest.class)::jdbcUrl);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({Outer.class, Inner.class})
    static class App {
        @Bean
        Task<Note> note() {
            return NOTE;
        }
    }

    /** Defers, then calls {@link Inner} with the propagation under test, then commits or fails. */
    @Service
    static class Outer {
        final Postpone postpone;
        final Inner inner;

        Outer(Postpone postpone, Inner inner) {
            this.postpone = postpone;
            this.inner = inner;
        }

        @Transactional
        long deferAndCommit(String text) throws Exception {
            return postpone.defer(NOTE, new Note(text));
        }

        @Transactional
        long deferAndFail(String text, AtomicLong id) throws Exception {
            id.set(postpone.defer(NOTE, new Note(text)));
            throw new IllegalStateException("the order could not be saved");
        }

        @Transactional
        void deferWithInner(String text, Propagation propagation, boolean innerFails, boolean outerFails, AtomicLong innerId)
                throws Exception {
            postpone.defer(NOTE, new Note(text + "-outer"));
            try {
                if (propagation == Propagation.NESTED) inner.nested(text + "-inner", innerFails, innerId);
                else inner.requiresNew(text + "-inner", innerFails, innerId);
            } catch (IllegalStateException expected) {
                // the inner transaction rolled back; the outer one goes on
            }
            if (outerFails) throw new IllegalStateException("outer fails");
        }

        @Transactional
        List<Long> deferManyAndFail(int count) throws Exception {
            List<JobRequest<?>> requests = new ArrayList<>();
            IntStream.range(0, count).forEach(i -> requests.add(JobRequest.of(NOTE, new Note("bulk-" + i))));
            postpone.deferAll(requests);
            throw new IllegalStateException("rolled back after " + count + " jobs");
        }
    }

    @Service
    static class Inner {
        final Postpone postpone;

        Inner(Postpone postpone) {
            this.postpone = postpone;
        }

        @Transactional(propagation = Propagation.NESTED)
        public void nested(String text, boolean fail, AtomicLong id) throws Exception {
            id.set(postpone.defer(NOTE, new Note(text)));
            if (fail) throw new IllegalStateException("inner fails");
        }

        @Transactional(propagation = Propagation.REQUIRES_NEW)
        public void requiresNew(String text, boolean fail, AtomicLong id) throws Exception {
            id.set(postpone.defer(NOTE, new Note(text)));
            if (fail) throw new IllegalStateException("inner fails");
        }
    }

    @Autowired Postpone postpone;
    @Autowired Outer outer;
    @Autowired DataSource dataSource;

    @BeforeEach
    void noJobs() {
        postpone.jobs().delete(JobSelection.all());
    }

    @Test
    void a_committed_transaction_keeps_its_job() throws Exception {
        long id = outer.deferAndCommit("kept");

        assertThat(postpone.jobs().get(id)).hasValueSatisfying(job -> assertThat(job.args()).contains("kept"));
    }

    @Test
    void a_rolled_back_transaction_takes_its_job_with_it() {
        AtomicLong id = new AtomicLong();

        assertThatThrownBy(() -> outer.deferAndFail("gone", id)).hasMessage("the order could not be saved");

        assertThat(id.get()).isPositive();
        assertThat(postpone.jobs().get(id.get())).isEmpty();
        assertThat(notes()).isZero();
    }

    @Test
    void a_nested_transaction_that_rolls_back_loses_only_its_own_job() throws Exception {
        AtomicLong innerId = new AtomicLong();

        outer.deferWithInner("nested", Propagation.NESTED, true, false, innerId);

        assertThat(postpone.jobs().get(innerId.get())).isEmpty();
        assertThat(notes()).isEqualTo(1);
    }

    @Test
    void a_nested_transaction_that_succeeded_is_still_rolled_back_with_the_outer_one() {
        AtomicLong innerId = new AtomicLong();

        assertThatThrownBy(() -> outer.deferWithInner("nested", Propagation.NESTED, false, true, innerId))
                .hasMessage("outer fails");

        assertThat(innerId.get()).isPositive();
        assertThat(notes()).isZero();
    }

    @Test
    void a_requires_new_transaction_keeps_its_job_when_the_outer_one_rolls_back() {
        AtomicLong innerId = new AtomicLong();

        assertThatThrownBy(() -> outer.deferWithInner("new", Propagation.REQUIRES_NEW, false, true, innerId))
                .hasMessage("outer fails");

        assertThat(postpone.jobs().get(innerId.get())).isPresent();
        assertThat(notes()).isEqualTo(1);
    }

    @Test
    void a_requires_new_transaction_that_rolls_back_leaves_the_outer_job() throws Exception {
        AtomicLong innerId = new AtomicLong();

        outer.deferWithInner("new", Propagation.REQUIRES_NEW, true, false, innerId);

        assertThat(postpone.jobs().get(innerId.get())).isEmpty();
        assertThat(notes()).isEqualTo(1);
    }

    @Test
    void without_a_transaction_the_job_is_committed_at_once() throws Exception {
        long id = postpone.defer(NOTE, new Note("autocommit"));

        assertThat(postpone.jobs().get(id)).isPresent();
    }

    @Test
    void a_batch_larger_than_one_statement_is_rolled_back_whole() {
        // More than one statement's worth: the client must not commit the Spring transaction in between.
        assertThatThrownBy(() -> outer.deferManyAndFail(5_001)).hasMessageContaining("rolled back after 5001 jobs");

        assertThat(notes()).isZero();
    }

    @Test
    void workers_are_notified_on_commit_and_never_for_a_rollback() throws Exception {
        try (Connection listener = dataSource.getConnection(); Statement st = listener.createStatement()) {
            var rs = st.executeQuery("select postpone.jobs_channel_v1()");
            rs.next();
            st.execute("listen \"" + rs.getString(1) + "\"");
            PGConnection pg = listener.unwrap(PGConnection.class);
            pg.getNotifications(1);   // nothing pending before the test

            assertThatThrownBy(() -> outer.deferAndFail("silent", new AtomicLong())).isInstanceOf(IllegalStateException.class);
            assertThat(notifications(pg)).isEmpty();

            outer.deferAndCommit("heard");
            assertThat(notifications(pg)).extracting(PGNotification::getParameter).contains("notes");
        }
    }

    private static List<PGNotification> notifications(PGConnection pg) throws Exception {
        PGNotification[] received = pg.getNotifications(1_000);
        return received == null ? List.of() : List.of(received);
    }

    private long notes() {
        return postpone.jobs().count(new JobSelection(List.of(), null, "note", Set.of()));
    }
}
