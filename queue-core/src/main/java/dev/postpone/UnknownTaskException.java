package dev.postpone;

/** A task name that no registered task (or alias) has. */
public class UnknownTaskException extends PostponeException {

    private final String taskName;

    public UnknownTaskException(String taskName, String message) {
        super(message);
        this.taskName = taskName;
    }

    public String taskName() {
        return taskName;
    }
}
