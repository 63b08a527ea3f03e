package dev.postpone.schema;

/**
 * Where {@code migrate} should stop: {@code PRE} applies every step up to and including the target
 * release's pre steps; {@code POST} completes the target release (it requires the target's pre steps
 * to be applied already, so an operator cannot skip the rollout in between); {@code ALL} applies
 * everything up to the target in one go (fresh installs, or upgrades with the fleet stopped).
 */
public enum MigrationTarget {
    PRE,
    POST,
    ALL;

    public static MigrationTarget fromLabel(String label) {
        return switch (label) {
            case "pre" -> PRE;
            case "post" -> POST;
            case "all" -> ALL;
            default -> throw new IllegalArgumentException("phase must be pre, post or all: " + label);
        };
    }

    Phase lastPhase() {
        return this == PRE ? Phase.PRE : Phase.POST;
    }
}
