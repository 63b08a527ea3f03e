package dev.postpone.internal;

import java.time.Duration;
import java.util.List;

/**
 * What a worker says about itself when it registers. {@code queues} null means all queues;
 * {@code stalledAfter} is how long without a heartbeat before others may rescue its jobs;
 * {@code livenessLock}: its heartbeats hold an advisory lock, so its death is seen when its session ends.
 */
public record WorkerRegistration(String name, String host, long pid, String version, List<String> queues, int concurrency,
                                 Duration stalledAfter, boolean livenessLock) {
}
