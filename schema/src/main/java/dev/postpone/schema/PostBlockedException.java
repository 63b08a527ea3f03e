package dev.postpone.schema;

/**
 * Post steps were refused because workers, clients or connections of an older release are alive
 * (and nothing else stood in the way). Stopping or upgrading them, then migrating again, fixes it.
 */
public final class PostBlockedException extends MigrationException {

    public PostBlockedException(String message) {
        super(message);
    }
}
