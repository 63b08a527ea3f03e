package dev.postpone.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Configures logback in code: logs go to stderr (stdout carries command output), human-readable by
 * default or as JSON lines for log shippers ({@code --log-format json}), without passwords
 * ({@link RedactingEncoder}). java.util.logging (pgjdbc's) is routed through the same appender.
 */
final class Logging {

    /** How log lines look. */
    enum Format { TEXT, JSON }

    // The event name leads the message; job context (MDC) trails it so lines stay greppable by event.
    private static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%replace( {%mdc}){' \\{\\}', ''}%n";

    private Logging() {
    }

    /** Short commands: warnings only, so that tables and ids are not buried in pool chatter. */
    static void configureDefault(boolean verbose) {
        configure(Format.TEXT, verbose ? Level.DEBUG : Level.WARN);
    }

    /** Long-running commands (worker, demo): INFO and up in the given format. */
    static void configureLongRunning(Format format, boolean verbose) {
        configure(format, verbose ? Level.DEBUG : Level.INFO);
    }

    static void configure(Format format, Level level) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) configure(context, format, level);
    }

    /** Also what {@link LogbackDefaults} calls while logback starts, before {@link LoggerFactory} can answer. */
    static void configure(LoggerContext context, Format format, Level level) {
        // Logback's start already applied the short commands' setting (LogbackDefaults): do not build it twice.
        Setting setting = new Setting(format, level);
        if (setting.equals(context.getObject(Setting.KEY))) return;
        context.reset();
        Encoder<ILoggingEvent> encoder = switch (format) {
            case TEXT -> {
                PatternLayoutEncoder e = new PatternLayoutEncoder();
                e.setPattern(TEXT_PATTERN);
                yield e;
            }
            case JSON -> {
                JsonEncoder e = new JsonEncoder();
                e.setWithFormattedMessage(true);
                e.setWithMessage(false);
                e.setWithArguments(false);
                e.setWithSequenceNumber(false);
                e.setWithNanoseconds(false);
                e.setWithContext(false);
                yield e;
            }
        };
        encoder.setContext(context);
        RedactingEncoder redacting = new RedactingEncoder(encoder);
        redacting.setContext(context);
        redacting.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("stderr");
        appender.setTarget("System.err");
        appender.setEncoder(redacting);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(appender);
        // The pool logs every start and stop at INFO; that is noise next to the worker's own lines.
        context.getLogger("com.zaxxer.hikari").setLevel(level == Level.DEBUG ? Level.DEBUG : Level.WARN);
        context.getLogger("io.zonky").setLevel(level == Level.DEBUG ? Level.DEBUG : Level.WARN);
        // JDK 17.0.x+ logs every Runtime.exit at DEBUG with a stack trace: with --verbose that read as a failure.
        context.getLogger("java.lang.Runtime").setLevel(Level.INFO);
        routeJavaUtilLogging(level);
        context.putObject(Setting.KEY, setting);
    }

    /** What {@link #configure} last applied to a context. */
    private record Setting(Format format, Level level) {
        static final String KEY = Setting.class.getName();
    }

    /**
     * pgjdbc logs with java.util.logging, whose default handler writes its own two-line format to stderr,
     * past the encoder above. Its records go to SLF4J instead: warnings, and with {@code --verbose} debug
     * records too (JUL drops records below its own level before they reach the bridge).
     */
    private static void routeJavaUtilLogging(Level level) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        java.util.logging.Logger.getLogger("").setLevel(level == Level.DEBUG ? java.util.logging.Level.FINE : java.util.logging.Level.WARNING);
    }
}
