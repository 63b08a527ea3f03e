package dev.postpone.spring.boot;

import dev.postpone.dashboard.Dashboard;

/**
 * Changes the dashboard's settings before it is built, after the {@code postpone.dashboard.*}
 * properties were applied: e.g. {@code builder.periodicSchedules(...)} or {@code builder.queuePauses(...)}.
 * Declare beans of this type; they run in {@link org.springframework.core.Ordered} order.
 */
@FunctionalInterface
public interface PostponeDashboardCustomizer {

    void customize(Dashboard.Builder builder);
}
