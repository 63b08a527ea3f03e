package dev.postpone.schema;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Pattern;

/**
 * Takes passwords out of text that may hold a database URL or connection string, before it is logged,
 * printed or put in an exception: {@code password=…} and {@code sslpassword=…} parameters (JDBC URL,
 * libpq key/value form, quoted or not) and the {@code user:password@} of a URL. The one rule every
 * module applies to what it shows; public for that.
 */
public final class Secrets {

    /** What a password is replaced with. */
    public static final String MASK = "***";

    /**
     * A password parameter and its value: up to the next separator of URLs and connection strings; a
     * quoted libpq value is taken whole, and escape pairs are consumed so a JSON-escaped quote
     * ({@code \"}) does not end the value early.
     */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile(
            "(?i)(?<![A-Za-z0-9_])((?:ssl)?passw(?:or)?d\\s*=\\s*)('(?:\\\\.|[^'\\\\])*'|(?:\\\\.|[^&;\\s'\",)\\\\])*)");
    /** {@code scheme://user:password@}; greedy up to the last {@code @} before the path, as a raw {@code @} may be in a password. */
    private static final Pattern USER_INFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://[^/@\\s:]*):[^/\\s]*@");

    private Secrets() {
    }

    /** {@code text} with every password it holds replaced by {@link #MASK}; null stays null. */
    public static String redact(String text) {
        if (text == null) return null;
        String t = USER_INFO.matcher(text).replaceAll("$1:" + MASK + "@");
        return PASSWORD_PARAMETER.matcher(t).replaceAll("$1" + MASK);
    }

    /** The stack trace {@code printStackTrace} would print (causes and suppressed included), redacted. */
    public static String stackTrace(Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace, true));
        return redact(trace.toString());
    }
}
