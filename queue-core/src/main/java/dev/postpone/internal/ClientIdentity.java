package dev.postpone.internal;

import java.time.Duration;
import java.util.UUID;

/** What a client says about itself in the {@code clients} table. */
public record ClientIdentity(UUID id, String name, String host, long pid, String version, Duration aliveWindow) {
}
