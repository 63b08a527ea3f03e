package dev.postpone.spring.boot;

import dev.postpone.SchemaNotReadyException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns "the schema cannot serve this release" at start-up into what to run, instead of a stack trace. */
final class SchemaNotReadyFailureAnalyzer extends AbstractFailureAnalyzer<SchemaNotReadyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SchemaNotReadyException cause) {
        String action = cause.fixCommand()
                .map(command -> "Run: " + command + "\nor, before the first start on a database, set"
                        + " postpone.schema.migrate=pre to apply this release's pre migrations at start-up.")
                .orElse("Upgrade this application to a Postpone release that serves the schema, or set"
                        + " postpone.schema.migrate=pre if the schema is missing.");
        return new FailureAnalysis("Postpone cannot run against the database schema: " + cause.getMessage(), action, cause);
    }
}
