package dev.postpone.spring.boot;

import dev.postpone.Postpone;

/**
 * Changes the {@link Postpone} client's settings before it is built, after the {@code postpone.*}
 * properties were applied: e.g. {@code builder.objectMapper(...)} for job arguments (the worker uses the
 * client's mapper too). Declare beans of this type; they run in {@link org.springframework.core.Ordered} order.
 */
@FunctionalInterface
public interface PostponeClientCustomizer {

    void customize(Postpone.Builder builder);
}
