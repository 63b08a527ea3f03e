package dev.postpone;

/** An unexpected failure talking to the database, or a programming error; the message says what to do. */
public class PostponeException extends RuntimeException {

    public PostponeException(String message) {
        super(message);
    }

    public PostponeException(String message, Throwable cause) {
        super(message, cause);
    }
}
