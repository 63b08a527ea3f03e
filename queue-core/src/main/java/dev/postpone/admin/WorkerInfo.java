package dev.postpone.admin;

import java.time.Instant;
import java.util.List;

/**
 * A registered worker process.
 *
 * @param queues the queues it serves; empty means all
 */
public record WorkerInfo(
        long id, String name, String host, long pid, String release, List<String> queues, Integer concurrency,
        Instant startedAt, Instant lastHeartbeat) {

    public WorkerInfo {
        queues = queues == null ? List.of() : List.copyOf(queues);
    }
}
