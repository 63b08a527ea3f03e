package dev.postpone.internal;

import java.time.Instant;

/** A running job whose abort was requested, as {@code abort_requests_v1} returns it. */
public record AbortRequested(long jobId, long workerId, Instant requestedAt, String requestedBy) {
}
