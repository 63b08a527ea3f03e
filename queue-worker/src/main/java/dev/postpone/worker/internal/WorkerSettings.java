package dev.postpone.worker.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postpone.TaskSet;
import dev.postpone.schema.SchemaName;
import dev.postpone.worker.ListenerKind;
import dev.postpone.worker.PeriodicTask;
import dev.postpone.worker.Retention;
import dev.postpone.worker.StatementTimeouts;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * Everything a worker is configured with, validated by {@code Worker.Builder}.
 *
 * @param queues        queues to serve; null means all
 * @param maxPrefetch   most claimed jobs held waiting for a slot, beyond {@code concurrency}
 * @param meterRegistry null when the application gave none (queue depth is then not sampled)
 * @param sessionDataSource where LISTEN and the housekeeping connection (liveness lock) come from; null: from {@code dataSource}
 * @param listenerUrl   JDBC URL for the pgjdbc-ng listener; null otherwise
 * @param prometheusAddress where the /metrics endpoint listens; null for none
 */
public record WorkerSettings(
        DataSource dataSource, DataSource sessionDataSource, TaskSet tasks, List<String> queues, int concurrency, int maxPrefetch, String name, Duration pollInterval,
        boolean listen, ListenerKind listenerKind, String listenerUrl, Duration heartbeatInterval,
        Duration stalledThreshold, Duration shutdownTimeout, StatementTimeouts statementTimeouts, Retention retention, SchemaName schema,
        MeterRegistry meterRegistry, ObjectMapper objectMapper, List<PeriodicTask<?>> periodicTasks, Clock clock,
        InetSocketAddress prometheusAddress) {
}
