package dev.postpone.spring.boot;

import dev.postpone.Postpone;
import dev.postpone.admin.JobStatus;
import dev.postpone.admin.QueueCount;
import dev.postpone.schema.SchemaCheck;
import dev.postpone.schema.Migrator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code /actuator/health/postpone}: DOWN when the schema no longer serves this release (e.g. a post
 * migration removed what it calls), when the embedded worker stopped while the application runs, or
 * when a queue holds more waiting jobs than {@code postpone.health.queue-depth-threshold}.
 */
public final class PostponeHealthIndicator extends AbstractHealthIndicator {

    private final Migrator migrator;
    private final Postpone postpone;
    /** Empty when the application runs no worker. */
    private final Optional<WorkerStatus> worker;
    private final Long queueDepthThreshold;

    PostponeHealthIndicator(Migrator migrator, Postpone postpone, Optional<WorkerStatus> worker, Long queueDepthThreshold) {
        super("Postpone health check failed");
        this.migrator = migrator;
        this.postpone = postpone;
        this.worker = worker;
        this.queueDepthThreshold = queueDepthThreshold;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        boolean up = true;
        SchemaCheck schema = migrator.check();
        health.withDetail("schema", schema.ok() ? "compatible" : schema.message());
        schema.fixCommand().ifPresent(fix -> health.withDetail("fix", fix));
        up &= schema.ok();

        if (worker.isEmpty()) {
            health.withDetail("worker", "disabled");
        } else {
            health.withDetail("worker", worker.get().describe());
            up &= worker.get().isRunning();
        }

        if (schema.ok()) {
            Map<String, Long> depth = new LinkedHashMap<>();
            List<QueueCount> counts = postpone.jobs().counts(EnumSet.of(JobStatus.TODO));
            counts.forEach(c -> depth.merge(c.queue(), c.jobs(), Long::sum));
            health.withDetail("queueDepth", depth);
            if (queueDepthThreshold != null) {
                health.withDetail("queueDepthThreshold", queueDepthThreshold);
                up &= depth.values().stream().allMatch(d -> d <= queueDepthThreshold);
            }
        }
        if (up) health.up(); else health.down();
    }
}
