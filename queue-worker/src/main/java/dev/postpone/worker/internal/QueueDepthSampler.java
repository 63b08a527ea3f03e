package dev.postpone.worker.internal;

import dev.postpone.admin.JobStatus;
import dev.postpone.admin.QueueCount;
import dev.postpone.internal.JobStore;
import dev.postpone.worker.WorkerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Samples the number of waiting jobs per queue into the {@code postpone.queue.depth} gauges (todo only: index-served). */
final class QueueDepthSampler implements Chore {

    private final JobStore store;
    private final MeterRegistry registry;
    private final Duration interval;
    private final Map<String, AtomicLong> depths = new ConcurrentHashMap<>();

    QueueDepthSampler(JobStore store, MeterRegistry registry, Duration interval) {
        this.store = store;
        this.registry = registry;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "queue-depth";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void run(Connection c) throws SQLException {
        Set<String> seen = new HashSet<>();
        for (QueueCount count : store.queueCounts(c, EnumSet.of(JobStatus.TODO))) {
            seen.add(count.queue());
            depth(count.queue()).set(count.jobs());
        }
        depths.forEach((queue, value) -> {
            if (!seen.contains(queue)) value.set(0);
        });
    }

    private AtomicLong depth(String queue) {
        return depths.computeIfAbsent(queue, q -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(WorkerMetrics.QUEUE_DEPTH, value, AtomicLong::get).description("Jobs waiting (todo)")
                    .tag("queue", q).strongReference(true).register(registry);
            return value;
        });
    }
}
