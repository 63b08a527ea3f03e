package dev.postpone.schema;

/** A migration could not run or finish; the message says what happened and what to do. */
public class MigrationException extends RuntimeException {

    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
