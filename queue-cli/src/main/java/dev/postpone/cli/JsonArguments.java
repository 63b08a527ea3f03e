package dev.postpone.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Job arguments as JSON text: one value from the command line, or a stream of values from stdin
 * (one object, pretty-printed or not, or newline-delimited objects). Malformed input is refused with
 * its line and column, before anything is deferred from that chunk.
 */
final class JsonArguments {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonArguments() {
    }

    /** The compact JSON of a single value given on the command line. */
    static String single(String text) {
        try {
            JsonNode node = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
            if (node == null || node.isMissingNode()) throw new CliException(ExitCode.USAGE, "the job arguments are empty; pass a JSON value such as {}");
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw malformed(e, "the job arguments");
        }
    }

    /** The values read one by one from {@code in}, each as compact JSON text. */
    static Iterator<String> stream(Reader in) {
        ObjectReader reader = MAPPER.readerFor(JsonNode.class);
        MappingIterator<JsonNode> values;
        try {
            values = reader.readValues(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return values.hasNextValue();
                } catch (JsonProcessingException e) {
                    throw malformed(e, "the JSON on stdin");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public String next() {
                if (!hasNext()) throw new NoSuchElementException();
                try {
                    return MAPPER.writeValueAsString(values.nextValue());
                } catch (JsonProcessingException e) {
                    throw malformed(e, "the JSON on stdin");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    private static CliException malformed(JsonProcessingException e, String what) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new CliException(ExitCode.USAGE, what + " are not valid JSON" + where + ": "
                + ConnectionFailure.firstLine(e.getOriginalMessage()), e);
    }
}
