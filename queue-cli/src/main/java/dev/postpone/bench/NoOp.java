package dev.postpone.bench;

import dev.postpone.Task;

/** The benchmark's task: does nothing, so the numbers measure the queue, not the work. */
final class NoOp {

    record Args(int n) {}

    static final String NAME = "bench.noop";
    static final String QUEUE = "bench";

    private NoOp() {
    }

    static Task<Args> task(Runnable onRun) {
        return Task.named(NAME, Args.class).queue(QUEUE).action((context, args) -> onRun.run());
    }
}
