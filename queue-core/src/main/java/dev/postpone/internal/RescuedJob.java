package dev.postpone.internal;

/** A job taken back from a worker that stopped heartbeating; {@code status} is todo or failed. */
public record RescuedJob(long id, String status, long fromWorkerId) {
}
