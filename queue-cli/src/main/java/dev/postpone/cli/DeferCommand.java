package dev.postpone.cli;

import dev.postpone.DeferOptions;
import dev.postpone.Postpone;
import dev.postpone.QueueingLockTakenException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code postpone defer TASK JSON}: defers one job, or many from stdin. */
@Command(name = "defer", mixinStandardHelpOptions = true,
        description = {
                "Defer a job of TASK with JSON arguments and print its id.",
                "With '-' the JSON comes from stdin: one value, or newline-delimited values for a bulk load",
                "(deferred in atomic chunks of --chunk-size; progress on stderr; one id per line on stdout).",
                "When the application's tasks are known (--app, or a TaskSetProvider on the classpath), unknown",
                "task names are refused, the JSON must fit the task's argument type, and every default of the",
                "task applies (queue, priority, lock, queueing lock, attempts); otherwise any name is accepted."})
final class DeferCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    
    @Mixin
    AppOptions app;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "TASK", description = "Task name.")
    String task;

    @Parameters(index = "1", paramLabel = "JSON", description = "The job's arguments as JSON, or '-' to read them from stdin.")
    String json;

    @Option(names = "--queue", paramLabel = "QUEUE", description = "Queue (default: the task's, else 'default').")
    String queue;

    @Option(names = "--priority", paramLabel = "N", description = "Higher runs first (default: the task's, else 0).")
    Integer priority;

    @Option(names = "--lock", paramLabel = "LOCK", description = "Jobs sharing a lock run one at a time, in order (default: the task's).")
    String lock;

    @Option(names = "--queueing-lock", paramLabel = "LOCK", description = "At most one waiting job per value; a second is refused (default: the task's).")
    String queueingLock;

    @ArgGroup(exclusive = true)
    When when = new When();

    /** Either a time or a delay. */
    static final class When {
        @Option(names = "--at", paramLabel = "TIME", converter = InstantConverter.class,
                description = "Run no earlier than this ISO-8601 time, e.g. 2030-01-01T09:00:00Z.")
        Instant at;

        @Option(names = "--in", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Run no earlier than this long from now, e.g. 30s, 5m, 2h, 7d.")
        Duration in;
    }

    @Option(names = "--max-attempts", paramLabel = "N", converter = PositiveIntConverter.class, description = "Attempts allowed in total (default: the task's retry policy).")
    Integer maxAttempts;

    @Option(names = "--chunk-size", paramLabel = "N", defaultValue = "1000", converter = PositiveIntConverter.class,
            description = "Jobs per transaction when reading stdin (default: ${DEFAULT-VALUE}).")
    int chunkSize;

    /** What {@code --json} prints. */
    record Result(String task, List<Long> ids) {
    }

    @Override
    public Integer call() throws QueueingLockTakenException {
        ConnectionOptions db = ConnectionOptions.of(spec);
        DeferOptions options = options();
        AppTasks tasks = app.load();
        String single = "-".equals(json) ? null : JsonArguments.single(json);
        PrintWriter out = spec.commandLine().getOut();
        try (Postpone client = db.client(tasks.tasks())) {
            List<Long> ids = single != null
                    ? List.of(client.deferByName(task, single, options))
                    : deferFromStdin(client, options, out);
            if (output.json) {
                JsonOutput.print(out, new Result(task, ids));
            } else if (single != null) {
                out.println(ids.getFirst());
            }
        }
        out.flush();
        return ExitCode.OK.code();
    }

    private DeferOptions options() {
        try {
            DeferOptions o = DeferOptions.defaults();
            if (queue != null) o = o.queue(queue);
            if (priority != null) o = o.priority(priority);
            if (lock != null) o = o.lock(lock);
            if (queueingLock != null) o = o.queueingLock(queueingLock);
            if (when.at != null) o = o.at(when.at);
            if (when.in != null) o = o.in(when.in);
            if (maxAttempts != null) o = o.maxAttempts(maxAttempts);
            return o;
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage(), e);
        }
    }

    /**
     * Reads stdin in chunks; each chunk is one transaction. Ids are printed as chunks commit (kept for --json).
     * A failure after some chunks committed says how many jobs were deferred and from which line to resume.
     */
    private List<Long> deferFromStdin(Postpone client, DeferOptions options, PrintWriter out) {
        PrintWriter err = spec.commandLine().getErr();
        Iterator<JsonArguments.Value> values = JsonArguments.stream(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        List<Long> kept = new ArrayList<>();
        long deferred = 0;
        long started = System.nanoTime();
        long lastProgress = started;
        List<JsonArguments.Value> chunk = new ArrayList<>(chunkSize);
        boolean more = true;
        while (more) {
            try {
                more = values.hasNext();
                if (more) chunk.add(values.next());
            } catch (JsonArguments.Malformed e) {
                throw stoppedAt(e, e.line(), deferred, kept, out);
            }
            if (chunk.size() < chunkSize && (more || chunk.isEmpty())) continue;
            List<Long> ids;
            try {
                ids = client.deferAllByName(task, chunk.stream().map(JsonArguments.Value::json).toList(), options);
            } catch (RuntimeException | QueueingLockTakenException e) {
                throw stoppedAt(e, chunk.getFirst().line(), deferred, kept, out);
            }
            deferred += ids.size();
            if (output.json) kept.addAll(ids); else ids.forEach(out::println);
            chunk.clear();
            if (System.nanoTime() - lastProgress > 1_000_000_000L) {
                lastProgress = System.nanoTime();
                err.println("deferred " + deferred + " jobs…");
                err.flush();
            }
        }
        if (deferred == 0) throw new CliException(ExitCode.USAGE, "no JSON arguments on stdin; expected one value or newline-delimited values");
        double seconds = (System.nanoTime() - started) / 1e9;
        if (deferred > chunkSize || seconds > 1) {
            err.printf("deferred %d jobs in %.1f s (%.0f/s)%n", deferred, seconds, deferred / Math.max(seconds, 1e-3));
            err.flush();
        }
        return kept;
    }

    /**
     * The failure as the error reporter words it, plus what already happened: earlier chunks stay committed,
     * so the user needs their count and the line to resume from. With --json their ids still go to stdout.
     */
    private CliException stoppedAt(Exception e, long resumeLine, long deferred, List<Long> kept, PrintWriter out) {
        ErrorReporter.Failure failure = ErrorReporter.classify(e);
        if (deferred == 0) return new CliException(failure.exitCode(), failure.message(), e);
        if (output.json) JsonOutput.print(out, new Result(task, kept));
        out.flush();
        String jobs = deferred == 1 ? "1 job was" : deferred + " jobs were";
        return new CliException(failure.exitCode(), failure.message() + "; " + jobs + " deferred before it (ids on stdout);"
                + " fix the input and resume from line " + resumeLine + ", e.g. tail -n +" + resumeLine + " FILE | postpone defer "
                + task + " -", e);
    }
}
