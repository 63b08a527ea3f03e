package dev.postpone;

/**
 * A job with the same queueing lock is already waiting, so this one was not deferred (with a batch,
 * none of the batch was). Callers usually treat it as "already queued".
 */
public class QueueingLockTakenException extends Exception {

    private final String queueingLock;

    public QueueingLockTakenException(String queueingLock, String message, Throwable cause) {
        super(message, cause);
        this.queueingLock = queueingLock;
    }

    /** The queueing lock value that is taken. */
    public String queueingLock() {
        return queueingLock;
    }
}
