package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.Postpone;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobFilter;
import dev.postpone.cli.e2e.InvoiceTasks;
import dev.postpone.schema.Migrator;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code postpone defer TASK JSON --app} and {@code postpone defer TASK - --app} through the real jar:
 * with the application's task known, a job deferred by name gets every default of the task (queue,
 * priority, lock, queueing lock, attempts), the command line's options win over them, and arguments
 * that do not fit the task's type are refused at once in one line naming the field.
 */
@ExtendWith(PostgresExtension.class)
class DeferByNameEndToEndTest {

    static Map<String, String> env;
    static Postpone postpone;

    @BeforeAll
    static void install(TestDatabase db) throws Exception {
        Migrator.builder(db.dataSource()).build().migrate();
        env = Map.of("POSTPONE_DATABASE_URL", InProcessCli.urlWithUser(db));
        postpone = Postpone.builder(db.dataSource()).build();
    }

    @AfterAll
    static void close() {
        postpone.close();
    }

    @Test
    void aSingleArgumentTakesEveryDefaultOfTheTask() throws Exception {
        List<Long> ids = deferSingle("{\"customer\":\"ada\",\"number\":1}");
        assertDefaults(ids.getFirst(), "ada", 1);
    }

    @Test
    void everyLineOnStdinTakesEveryDefaultOfTheTask() throws Exception {
        List<Long> ids = deferStdin("{\"customer\":\"grace\",\"number\":2}\n{\"customer\":\"ken\",\"number\":3}\n");
        assertThat(ids).hasSize(2);
        assertDefaults(ids.get(0), "grace", 2);
        assertDefaults(ids.get(1), "ken", 3);
    }

    @Test
    void theCommandLinesOptionsWinOverTheTask() throws Exception {
        String at = "2030-01-01T09:00:00Z";
        String[] options = {"--queue", "urgent", "--priority", "-2", "--lock", "by-hand", "--max-attempts", "9", "--at", at};
        Job single = job(deferSingle("{\"customer\":\"linus\",\"number\":4}", with(options, "--queueing-lock", "one-by-hand")).getFirst());
        Job fromStdin = job(deferStdin("{\"customer\":\"barbara\",\"number\":5}\n", with(options, "--queueing-lock", "two-by-hand")).getFirst());
        for (Job job : List.of(single, fromStdin)) {
            assertThat(job.queue()).isEqualTo("urgent");
            assertThat(job.priority()).isEqualTo(-2);
            assertThat(job.lock()).isEqualTo("by-hand");
            assertThat(job.maxAttempts()).isEqualTo(9);
            assertThat(job.scheduledAt()).isEqualTo(Instant.parse(at));
        }
        assertThat(single.queueingLock()).isEqualTo("one-by-hand");
        assertThat(fromStdin.queueingLock()).isEqualTo("two-by-hand");
    }

    @Test
    void argumentsThatDoNotFitTheTaskAreRefusedInOneLineNamingTheField() throws Exception {
        CliResult single = run(null, "{\"customer\":\"ada\",\"number\":\"not-a-number\"}");
        assertThat(single.exitCode()).as(single.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(single.errLines()).singleElement().isEqualTo("postpone: arguments of task 'send-invoice' do not match"
                + " Invoice: field 'number' must be a long, not \"not-a-number\"");

        CliResult stdin = run("{\"customer\":\"ada\",\"number\":6}\n{\"customer\":\"ada\",\"number\":7,\"note\":\"x\"}\n", "-");
        assertThat(stdin.exitCode()).as(stdin.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(stdin.errLines()).singleElement().asString().startsWith("postpone: job 2 of 2: ")
                .endsWith("arguments of task 'send-invoice' do not match Invoice: unknown field 'note' (known: customer, number)");
        assertThat(postpone.jobs().list(JobFilter.all().task("send-invoice").lock("customer:ada").limit(100)).jobs())
                .as("the chunk is atomic: its valid first line is not deferred either")
                .noneMatch(job -> "invoice:6".equals(job.queueingLock()));
    }

    private static void assertDefaults(long id, String customer, long number) {
        Job job = job(id);
        assertThat(job.task()).isEqualTo("send-invoice");
        assertThat(job.queue()).isEqualTo("billing");
        assertThat(job.priority()).isEqualTo(7);
        assertThat(job.lock()).isEqualTo("customer:" + customer);
        assertThat(job.queueingLock()).isEqualTo("invoice:" + number);
        assertThat(job.maxAttempts()).isEqualTo(5);
        assertThat(job.scheduledAt()).isBefore(Instant.now().plusSeconds(5));
    }

    private static String[] with(String[] options, String... more) {
        List<String> all = new ArrayList<>(List.of(options));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static Job job(long id) {
        return postpone.jobs().get(id).orElseThrow();
    }

    /** Ids printed by {@code postpone defer send-invoice JSON …}. */
    private static List<Long> deferSingle(String json, String... options) throws Exception {
        return ids(run(null, json, options));
    }

    /** Ids printed by {@code postpone defer send-invoice - …} reading {@code ndjson}. */
    private static List<Long> deferStdin(String ndjson, String... options) throws Exception {
        return ids(run(ndjson, "-", options));
    }

    private static List<Long> ids(CliResult r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.outLines().stream().map(Long::parseLong).toList();
    }

    /** {@code postpone defer send-invoice JSON --app InvoiceTasks --classpath test-classes [options]}. */
    private static CliResult run(String stdin, String json, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("defer", "send-invoice", json, "--app", InvoiceTasks.class.getName(),
                "--classpath", Path.of(System.getProperty("postpone.testClasses", "target/test-classes")).toAbsolutePath().toString()));
        args.addAll(List.of(options));
        return JarProcess.run(env, stdin, args.toArray(String[]::new));
    }
}
