package dev.postpone;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.postpone.retry.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A kind of job: a name, an argument type (a record or any Jackson-mappable class; {@code JsonNode}
 * or {@code Map} for untyped), a handler, and the defaults of the jobs deferred for it.
 *
 * <pre>{@code
 * record SendEmail(String to, String subject) {}
 *
 * static final Task<SendEmail> SEND_EMAIL = Task.named("send-email", SendEmail.class)
 *         .queue("emails")
 *         .retry(RetryPolicy.exponential(Duration.ofSeconds(1), 5))
 *         .timeout(Duration.ofSeconds(30))
 *         .handler((context, email) -> mailer.send(email.to(), email.subject()));
 * }</pre>
 *
 * <p>Renaming a task: give it the new name and the old one as an {@link Builder#aliases alias}, so jobs
 * queued under the old name still run.
 *
 * @param <A> the argument type
 */
public final class Task<A> {

    public static final String DEFAULT_QUEUE = "default";

    private final String name;
    private final JavaType argsType;
    private final List<String> aliases;
    private final String queue;
    private final int priority;
    private final Function<? super A, String> lock;
    private final Function<? super A, String> queueingLock;
    private final RetryPolicy retry;
    private final Duration timeout;
    private final TaskHandler<A> handler;

    private Task(Builder<A> b, TaskHandler<A> handler) {
        this.name = b.name;
        this.argsType = b.argsType;
        this.aliases = List.copyOf(b.aliases);
        this.queue = b.queue;
        this.priority = b.priority;
        this.lock = b.lock;
        this.queueingLock = b.queueingLock;
        this.retry = b.retry;
        this.timeout = b.timeout;
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** Starts a task definition whose arguments are of class {@code argsType}. */
    public static <A> Builder<A> named(String name, Class<A> argsType) {
        return new Builder<>(name, TypeFactory.defaultInstance().constructType(argsType));
    }

    /** Starts a task definition with a generic argument type, e.g. {@code new TypeReference<List<Order>>() {}}. */
    public static <A> Builder<A> named(String name, TypeReference<A> argsType) {
        return new Builder<>(name, TypeFactory.defaultInstance().constructType(argsType));
    }

    public String name() {
        return name;
    }

    /** The argument type, as Jackson resolves it. */
    public JavaType argsType() {
        return argsType;
    }

    /** Earlier names of this task; jobs deferred under them run this task. */
    public List<String> aliases() {
        return aliases;
    }

    public String queue() {
        return queue;
    }

    public int priority() {
        return priority;
    }

    /** The default lock of a job with these arguments, if the task sets one. */
    public Optional<String> lockFor(A args) {
        return Optional.ofNullable(lock == null ? null : lock.apply(args));
    }

    /** The default queueing lock of a job with these arguments, if the task sets one. */
    public Optional<String> queueingLockFor(A args) {
        return Optional.ofNullable(queueingLock == null ? null : queueingLock.apply(args));
    }

    public RetryPolicy retry() {
        return retry;
    }

    /** How long one attempt may run before it is interrupted and counted as failed. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    public TaskHandler<A> handler() {
        return handler;
    }

    @Override
    public String toString() {
        return "Task[" + name + ", queue=" + queue + "]";
    }

    /** Collects a task's settings; {@link #handler} finishes the definition. */
    public static final class Builder<A> {
        private final String name;
        private final JavaType argsType;
        private List<String> aliases = List.of();
        private String queue = DEFAULT_QUEUE;
        private int priority;
        private Function<? super A, String> lock;
        private Function<? super A, String> queueingLock;
        private RetryPolicy retry = RetryPolicy.none();
        private Duration timeout;

        private Builder(String name, JavaType argsType) {
            this.name = Names.requireValid("task name", name, 256);
            this.argsType = Objects.requireNonNull(argsType, "argsType");
        }

        public Builder<A> aliases(String... names) {
            this.aliases = List.of(names);
            for (String alias : aliases) Names.requireValid("task alias", alias, 256);
            return this;
        }

        /** Default queue of the task's jobs ({@value Task#DEFAULT_QUEUE} when not set). */
        public Builder<A> queue(String queue) {
            this.queue = Names.requireValid("queue name", queue, 128);
            return this;
        }

        /** Default priority; higher runs first (default 0, negative allowed). */
        public Builder<A> priority(int priority) {
            this.priority = priority;
            return this;
        }

        /** Every job of this task takes this lock: they run one at a time, in order. */
        public Builder<A> lock(String lock) {
            Objects.requireNonNull(lock, "lock");
            this.lock = args -> lock;
            return this;
        }

        /** A lock derived from the arguments, e.g. {@code order -> "order:" + order.id()}. */
        public Builder<A> lockBy(Function<? super A, String> lock) {
            this.lock = Objects.requireNonNull(lock, "lock");
            return this;
        }

        /** At most one job of this task waits at a time; deferring another fails with {@link QueueingLockTakenException}. */
        public Builder<A> queueingLock(String queueingLock) {
            Objects.requireNonNull(queueingLock, "queueingLock");
            this.queueingLock = args -> queueingLock;
            return this;
        }

        /** A queueing lock derived from the arguments. */
        public Builder<A> queueingLockBy(Function<? super A, String> queueingLock) {
            this.queueingLock = Objects.requireNonNull(queueingLock, "queueingLock");
            return this;
        }

        /** Retry policy (default: no retry). Its {@code maxAttempts} is stored on each job. */
        public Builder<A> retry(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** Longest run of one attempt; the handler is interrupted and the attempt fails (default: none). */
        public Builder<A> timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive: " + timeout);
            this.timeout = timeout;
            return this;
        }

        /** Finishes the task with the code that runs each job. */
        public Task<A> handler(TaskHandler<A> handler) {
            return new Task<>(this, handler);
        }

        /** Finishes the task with code that returns nothing. */
        public Task<A> action(TaskAction<A> action) {
            Objects.requireNonNull(action, "action");
            return new Task<>(this, (context, args) -> {
                action.run(context, args);
                return null;
            });
        }
    }

    /** A handler with no result. */
    @FunctionalInterface
    public interface TaskAction<A> {
        void run(JobContext context, A args) throws Exception;
    }
}
