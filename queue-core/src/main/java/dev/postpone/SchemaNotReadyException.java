package dev.postpone;

import java.util.Optional;

/**
 * The database schema cannot serve this Postpone release: it is missing, too old (run the migrate
 * command in the message), or too new (upgrade this application).
 */
public class SchemaNotReadyException extends Exception {

    private final String fixCommand;

    public SchemaNotReadyException(String message, String fixCommand) {
        super(message);
        this.fixCommand = fixCommand;
    }

    /** The command that fixes it, when there is one (e.g. {@code postpone schema migrate --phase all --to <release>} for a missing schema). */
    public Optional<String> fixCommand() {
        return Optional.ofNullable(fixCommand);
    }
}
