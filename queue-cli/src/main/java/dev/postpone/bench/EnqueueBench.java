package dev.postpone.bench;

import dev.postpone.Postpone;
import dev.postpone.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Deferring through the public API: one call per job from one thread, batches of 1 000, and one bulk call. */
final class EnqueueBench {

    static final int BATCH = 1_000;

    private final Postpone postpone;
    private final Task<NoOp.Args> task;

    EnqueueBench(Postpone postpone, Task<NoOp.Args> task) {
        this.postpone = postpone;
        this.task = task;
    }

    double single(int jobs) throws Exception {
        long started = System.nanoTime();
        for (int i = 0; i < jobs; i++) postpone.defer(task, new NoOp.Args(i));
        return jobs / seconds(started);
    }

    double batches(int jobs) throws Exception {
        List<NoOp.Args> batch = IntStream.range(0, BATCH).mapToObj(NoOp.Args::new).toList();
        long started = System.nanoTime();
        for (int done = 0; done < jobs; done += BATCH) postpone.deferAll(task, batch);
        return jobs / seconds(started);
    }

    double bulk(int jobs) throws Exception {
        List<NoOp.Args> all = new ArrayList<>(jobs);
        for (int i = 0; i < jobs; i++) all.add(new NoOp.Args(i));
        long started = System.nanoTime();
        postpone.deferAll(task, all);
        return jobs / seconds(started);
    }

    static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
