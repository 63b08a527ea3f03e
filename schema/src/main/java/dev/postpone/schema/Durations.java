package dev.postpone.schema;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the short durations used in headers and options: {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 0}. */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

    private Durations() {
    }

    public static Duration parse(String text) {
        String t = text.strip();
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? (n == 0 ? "s" : "") : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> throw invalid(text);
            };
        }
        try {
            return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
        } catch (RuntimeException e) {
            throw invalid(text);
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 500ms, 30s, 5m, 2h, 7d or ISO-8601 PT30S)");
    }

    /** Formats for PostgreSQL settings such as lock_timeout ({@code 0} disables). */
    public static String toPostgres(Duration d) {
        return d.toMillis() + "ms";
    }
}
