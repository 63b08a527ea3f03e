package dev.postpone.admin;

/**
 * How many jobs of a queue are in a status. Waiting ({@code TODO}) and running ({@code DOING}) counts
 * are always exact; finished ones are exact on a small table and {@code estimated} (from a sample of the
 * table, for orders of magnitude) once it holds many.
 */
public record QueueCount(String queue, JobStatus status, long jobs, boolean estimated) {

    /** An exact count. */
    public QueueCount(String queue, JobStatus status, long jobs) {
        this(queue, status, jobs, false);
    }
}
