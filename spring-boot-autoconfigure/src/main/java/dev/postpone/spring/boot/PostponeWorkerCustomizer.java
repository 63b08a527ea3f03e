package dev.postpone.spring.boot;

import dev.postpone.worker.Worker;

/**
 * Changes the embedded worker's settings before it starts, after the {@code postpone.worker.*}
 * properties were applied (e.g. {@code builder.statementTimeouts(...)} or {@code builder.clock(...)}).
 * Declare beans of this type; they run in {@link org.springframework.core.Ordered} order.
 */
@FunctionalInterface
public interface PostponeWorkerCustomizer {

    void customize(Worker.Builder builder);
}
