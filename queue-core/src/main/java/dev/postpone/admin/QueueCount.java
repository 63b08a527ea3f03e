package dev.postpone.admin;

/** How many jobs of a queue are in a status. */
public record QueueCount(String queue, JobStatus status, long jobs) {
}
