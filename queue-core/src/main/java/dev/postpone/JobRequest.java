package dev.postpone;

import java.util.Objects;

/** One job to defer in a batch that may mix tasks: a task, its arguments and per-call options. */
public record JobRequest<A>(Task<A> task, A args, DeferOptions options) {

    public JobRequest {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(options, "options");
    }

    public static <A> JobRequest<A> of(Task<A> task, A args) {
        return new JobRequest<>(task, args, DeferOptions.defaults());
    }

    public static <A> JobRequest<A> of(Task<A> task, A args, DeferOptions options) {
        return new JobRequest<>(task, args, options);
    }
}
