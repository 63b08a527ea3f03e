package dev.postpone;

/** Thrown by {@link JobContext#throwIfCancelled()} when a job's timeout fired or its worker stops hard. */
public class JobCancelledException extends RuntimeException {

    public JobCancelledException(String message) {
        super(message);
    }
}
