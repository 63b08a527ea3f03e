package dev.postpone.admin;

import java.util.Locale;

/** Life cycle: {@code TODO → DOING → SUCCEEDED | FAILED | CANCELLED}, and back to {@code TODO} on retry. */
public enum JobStatus {
    TODO,
    DOING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** As stored in the database: {@code todo}, {@code doing}, … */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public static JobStatus fromLabel(String label) {
        try {
            return valueOf(label.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown job status '" + label + "' (expected todo, doing, succeeded, failed or cancelled)");
        }
    }
}
