package dev.postpone.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * A JSON read failure as the user would say it, in one line: which field, and what is wrong with it.
 * Jackson's own messages name its tokens, features and source locations, which mean nothing to a
 * caller who only passed some JSON.
 */
final class JsonProblem {

    private JsonProblem() {
    }

    static String describe(JsonProcessingException e) {
        return describe(e, null);
    }

    /** With the JSON as a tree, a wrong value is quoted from it ("must be a long, not \"abc\""). */
    static String describe(JsonProcessingException e, JsonNode json) {
        return switch (e) {
            case StreamReadException parse -> firstLine(parse.getOriginalMessage()) + at(parse.getLocation());
            case UnrecognizedPropertyException unknown -> "unknown field " + quote(path(unknown)) + " (known: "
                    + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
            case MismatchedInputException mismatch when mismatch.getTargetType() != null -> mismatch(mismatch, json);
            case ValueInstantiationException refused -> field(refused) + " is refused: " + firstLine(rootMessage(refused));
            case JsonMappingException other -> field(other) + ": " + firstLine(other.getOriginalMessage());
            default -> firstLine(e.getOriginalMessage());
        };
    }

    /** What is wrong with text that is not one JSON value (unbalanced, or something after the value). */
    static String syntax(JsonProcessingException e) {
        if (e instanceof StreamReadException) return describe(e);
        return "more text after the JSON value" + at(e.getLocation());
    }

    /** "field 'lines[0].city'", or "the value" when the problem is the whole value. */
    private static String field(JsonMappingException e) {
        String path = path(e);
        return path.isEmpty() ? "the value" : "field " + quote(path);
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) path.append('.');
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** "a long", "an Instant", "a list", "a string": the expected type in words. */
    private static String article(Class<?> type) {
        String name = type == String.class ? "string"
                : type.isArray() || Collection.class.isAssignableFrom(type) ? "list" : type.getSimpleName();
        return ("aeiouAEIOU".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }

    /** "field 'cents' must be a long, not \"abc\"": the expected type, and what the JSON had instead when known. */
    private static String mismatch(MismatchedInputException e, JsonNode json) {
        String expected = article(e.getTargetType());
        if (json == null) {
            return field(e) + " must be " + expected + (e instanceof InvalidFormatException f ? ", not " + quoted(f.getValue()) : "");
        }
        JsonNode node = at(json, e);
        if (node.isMissingNode()) return field(e) + " is missing; it must be " + expected;
        return field(e) + " must be " + expected + ", not " + (node.isObject() ? "an object" : node.isArray() ? "a list"
                : node.isTextual() ? quoted(node.asText()) : node.asText());
    }

    /** The value the failure's path points to; a missing node when there is no tree or no such value. */
    private static JsonNode at(JsonNode json, JsonMappingException e) {
        if (json == null) return MissingNode.getInstance();
        JsonNode node = json;
        for (JsonMappingException.Reference ref : e.getPath()) {
            node = ref.getFieldName() != null ? node.path(ref.getFieldName()) : node.path(ref.getIndex());
        }
        return node;
    }

    private static String quoted(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    private static String quote(String s) {
        return "'" + s + "'";
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String firstLine(String message) {
        if (message == null) return "";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
