package dev.postpone.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How tables show times: local wall-clock to the second, and ages such as {@code 3s ago}. */
final class Times {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Times() {
    }

    static String local(Instant t) {
        return t == null ? null : LOCAL.format(t);
    }

    static String ago(Instant t, Instant now) {
        if (t == null) return null;
        Duration d = Duration.between(t, now);
        if (d.isNegative()) return "in " + human(d.negated());
        return human(d) + " ago";
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 120) return s + "s";
        if (s < 7200) return (s / 60) + "m";
        if (s < 172_800) return (s / 3600) + "h";
        return (s / 86_400) + "d";
    }
}
