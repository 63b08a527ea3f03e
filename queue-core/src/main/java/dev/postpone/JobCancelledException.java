package dev.postpone;

/** Thrown by {@link JobContext#throwIfCancelled()} when a job's timeout fired, it was cancelled while running, or its worker stops hard. */
public class JobCancelledException extends RuntimeException {

    public JobCancelledException(String message) {
        super(message);
    }
}
