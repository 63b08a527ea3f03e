package dev.postpone.schema;

import java.util.List;
import java.util.Optional;

/**
 * Whether a worker may run against a schema: {@link #ok()}, or a message naming what is wrong and
 * the command that fixes it.
 *
 * @param missingFunctions contract lines not found exactly in the catalog
 * @param fixCommand       the command to run (or the upgrade to make) when there is one
 */
public record SchemaCheck(boolean ok, String message, List<String> missingFunctions, Optional<String> fixCommand) {

    public SchemaCheck {
        missingFunctions = List.copyOf(missingFunctions);
    }

    static SchemaCheck passed(String message) {
        return new SchemaCheck(true, message, List.of(), Optional.empty());
    }

    static SchemaCheck failed(String message, List<String> missing, String fixCommand) {
        return new SchemaCheck(false, message, missing, Optional.ofNullable(fixCommand));
    }
}
