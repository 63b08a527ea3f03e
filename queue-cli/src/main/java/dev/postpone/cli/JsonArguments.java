package dev.postpone.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

/**
 * Job arguments as JSON text: one value from the command line, or a stream of values from stdin
 * (one object, pretty-printed or not, or newline-delimited objects). Malformed input is refused with
 * its line and column, before anything is deferred from that chunk.
 */
final class JsonArguments {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Jackson's location suffix inside some messages ("[Source: REDACTED (`StreamReadFeature…` disabled); line: 1, column: 1]"). */
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^;]*; line: (\\d+), column: (\\d+)]");
    private static final Pattern CHAR_CODE = Pattern.compile(" \\(code \\d+\\)");
    private static final Pattern CONTROL_CHAR = Pattern.compile("\\(\\(CTRL-CHAR, code (\\d+)\\)\\)");

    private JsonArguments() {
    }

    /** One value read from stdin, with the line it starts on (for messages and for resuming a bulk load). */
    record Value(String json, long line) {
    }

    /** Malformed JSON on stdin; {@link #line} is where the broken value starts, which is where to resume. */
    static final class Malformed extends RuntimeException {
        private final long line;

        Malformed(String message, long line, Throwable cause) {
            super(message, cause);
            this.line = line;
        }

        long line() {
            return line;
        }
    }

    /** The compact JSON of a single value given on the command line. */
    static String single(String text) {
        try {
            JsonNode node = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
            if (node == null || node.isMissingNode()) throw new CliException(ExitCode.USAGE, "the job arguments are empty; pass a JSON value such as {}");
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new CliException(ExitCode.USAGE, "the job arguments are not valid JSON" + where + ": " + reason(e), e);
        }
    }

    /** The values read one by one from {@code in}, each as compact JSON text. */
    static Iterator<Value> stream(Reader in) {
        MappingIterator<JsonNode> values;
        try {
            values = MAPPER.readerFor(JsonNode.class).readValues(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Iterator<>() {
            /** Start line of the value hasNextValue() has begun reading; 0 before that. */
            long start;

            @Override
            public boolean hasNext() {
                try {
                    boolean more = values.hasNextValue();
                    if (more) start = values.getParser().currentTokenLocation().getLineNr();
                    return more;
                } catch (JsonProcessingException e) {
                    throw malformed(e, e.getLocation() == null ? start : e.getLocation().getLineNr());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public Value next() {
                if (!hasNext()) throw new NoSuchElementException();
                try {
                    return new Value(MAPPER.writeValueAsString(values.nextValue()), start);
                } catch (JsonProcessingException e) {
                    throw malformed(e, start);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    private static Malformed malformed(JsonProcessingException e, long valueStart) {
        if (e instanceof JsonEOFException) {
            // Jackson points past the last line; the user needs the line where the unfinished value begins.
            return new Malformed("the JSON value that starts on line " + valueStart + " of stdin is incomplete (the input ends inside it)",
                    valueStart, e);
        }
        JsonLocation at = e.getLocation();
        String where = at == null ? "line " + valueStart : "line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new Malformed(where + " of stdin is not valid JSON: " + reason(e), valueStart, e);
    }

    /** Jackson's own description, without its internal location format and character codes. */
    private static String reason(JsonProcessingException e) {
        String message = ConnectionFailure.firstLine(e.getOriginalMessage());
        message = SOURCE.matcher(message).replaceAll("line $1, column $2");
        message = CONTROL_CHAR.matcher(message).replaceAll("(control character $1)");
        message = CHAR_CODE.matcher(message).replaceAll("");
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }
}
