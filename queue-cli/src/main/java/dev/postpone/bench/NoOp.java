package dev.postpone.bench;

import dev.postpone.Task;

/** The benchmark's task: does nothing, so the numbers measure the queue, not the work. */
final class NoOp {

    record Args(int n) {}

    static final String NAME = "bench.noop";

    private NoOp() {
    }

    static Task<Args> task(Runnable onRun) {
        return Task.named(NAME, Args.class).queue("bench").action((context, args) -> onRun.run());
    }
}
