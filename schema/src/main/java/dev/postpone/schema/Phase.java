package dev.postpone.schema;

import java.util.Locale;

/**
 * The two halves of a release's migrations. {@code PRE} steps are additive and applied before new
 * workers roll out (old workers keep working); {@code POST} steps contract the schema once no worker
 * of an older release is left.
 */
public enum Phase {
    PRE,
    POST;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Phase fromLabel(String label) {
        return switch (label) {
            case "pre" -> PRE;
            case "post" -> POST;
            default -> throw new IllegalArgumentException("phase must be pre or post: " + label);
        };
    }
}
