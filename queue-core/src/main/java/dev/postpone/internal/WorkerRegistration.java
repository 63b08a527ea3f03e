package dev.postpone.internal;

import java.util.List;

/** What a worker says about itself when it registers. {@code queues} null means all queues. */
public record WorkerRegistration(String name, String host, long pid, String release, List<String> queues, int concurrency) {
}
