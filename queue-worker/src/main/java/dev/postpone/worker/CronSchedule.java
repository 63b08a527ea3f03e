package dev.postpone.worker;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * A cron expression in a time zone. Five fields ({@code minute hour day-of-month month day-of-week})
 * are read as Unix cron; six fields add a leading seconds field and are read as Spring cron
 * (e.g. {@code "0/10 * * * * *"}: every ten seconds). Parsed by cron-utils.
 */
public final class CronSchedule {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser WITH_SECONDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime executionTime;

    private CronSchedule(String expression, ZoneId zone, Cron cron) {
        this.expression = expression;
        this.zone = zone;
        this.executionTime = ExecutionTime.forCron(cron);
    }

    /**
     * Parses {@code expression}, evaluated in {@code zone}.
     *
     * @throws IllegalArgumentException naming the expression and what cron-utils found wrong with it
     */
    public static CronSchedule parse(String expression, ZoneId zone) {
        return parse(expression, zone, "");
    }

    /** Like {@link #parse(String, ZoneId)}; {@code owner} (e.g. "of periodic task 'report'") follows the expression in messages. */
    static CronSchedule parse(String expression, ZoneId zone, String owner) {
        Objects.requireNonNull(expression, "cron expression");
        Objects.requireNonNull(zone, "zone");
        String invalid = "invalid cron expression '" + expression + "'" + (owner.isEmpty() ? "" : " " + owner) + ": ";
        String trimmed = expression.strip();
        int fields = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
        if (fields != 5 && fields != 6) {
            throw new IllegalArgumentException(invalid + "expected 5 fields (minute hour"
                    + " day-of-month month day-of-week) or 6 fields (with leading seconds), found " + fields);
        }
        try {
            Cron cron = (fields == 5 ? UNIX : WITH_SECONDS).parse(trimmed).validate();
            return new CronSchedule(trimmed, zone, cron);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(invalid + e.getMessage(), e);
        }
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first tick strictly after {@code after}, if the expression has one. */
    public Optional<Instant> nextAfter(Instant after) {
        // cron-utils keeps the sub-second part of its input; ticks must be whole seconds for every worker alike.
        Instant whole = after.truncatedTo(ChronoUnit.SECONDS);
        return executionTime.nextExecution(whole.atZone(zone)).map(t -> t.toInstant().truncatedTo(ChronoUnit.SECONDS));
    }

    @Override
    public String toString() {
        return "cron '" + expression + "' (" + zone + ")";
    }
}
