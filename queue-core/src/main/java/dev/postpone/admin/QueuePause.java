package dev.postpone.admin;

import java.time.Instant;

/**
 * A paused queue: no worker of release 1.1.0 or later fetches from it until it is resumed (jobs can
 * still be deferred to it). 1.0.0 workers do not know about pauses.
 *
 * @param queue    the queue's name
 * @param pausedAt when it was paused
 * @param pausedBy who paused it, as given when pausing (user@host for the CLI); may be null
 */
public record QueuePause(String queue, Instant pausedAt, String pausedBy) {
}
