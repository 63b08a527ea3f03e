package dev.postpone.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which fields of job arguments are secret: every JSON object field whose name the pattern finds
 * (at any depth) is shown as {@value #MASK}, on every page, in previews and in pretty JSON alike. A
 * search whose text matched only inside a secret value does not list the job, so secrets cannot be
 * guessed through the search box either.
 */
public final class SecretFields {

    public static final String MASK = "[secret]";

    /** Field names that usually hold secrets: password, secret, token, api key, credential, private key, … */
    public static final Pattern DEFAULT_PATTERN = Pattern.compile(
            "(?i)passw(or)?d|secret|token|api[-_]?key|credential|private[-_]?key|authori[sz]ation|cookie|session|signature|\\bpin\\b|iban|card[-_]?number|cvv|ssn");

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final ObjectMapper PRETTY = JSON.copy().enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    private final Pattern pattern;

    private SecretFields(Pattern pattern) {
        this.pattern = pattern;
    }

    public static SecretFields matching(Pattern fieldNames) {
        return new SecretFields(fieldNames);
    }

    public static SecretFields defaults() {
        return new SecretFields(DEFAULT_PATTERN);
    }

    /** No field is secret. */
    public static SecretFields none() {
        return new SecretFields(null);
    }

    public Pattern pattern() {
        return pattern;
    }

    /**
     * The pattern as a PostgreSQL regular expression, for the database's text filters (lists and bulk
     * changes skip secret values there, as {@link #visibleTextContains} does here): a leading {@code (?i)} is
     * dropped (PostgreSQL matches it case-insensitively anyway) and {@code \b} becomes {@code \y}. A custom
     * pattern must otherwise be valid in both dialects. Null when no field is secret.
     */
    public String postgresPattern() {
        if (pattern == null) return null;
        String p = pattern.pattern();
        if (p.startsWith("(?i)")) p = p.substring(4);
        return p.replace("\\b", "\\y");
    }

    public boolean isSecret(String fieldName) {
        return pattern != null && pattern.matcher(fieldName).find();
    }

    /** The arguments with secret values masked, indented; unparsable text is returned masked whole. */
    public String pretty(String json) {
        JsonNode node = redacted(json);
        try {
            return node == null ? MASK : PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return MASK;
        }
    }

    /**
     * The arguments with secret values masked, on one line the way PostgreSQL prints jsonb
     * ({@code {"a": 1, "b": [1, 2]}}), which is also the text a search looks in.
     */
    public String compact(String json) {
        JsonNode node = redacted(json);
        if (node == null) return MASK;
        StringBuilder out = new StringBuilder();
        writePostgresStyle(node, out);
        return out.toString();
    }

    /** Whether {@code text} (case-insensitive) occurs in the arguments once their secrets are masked. */
    public boolean visibleTextContains(String json, String text) {
        return compact(json).toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
    }

    private JsonNode redacted(String json) {
        if (json == null) return null;
        try {
            JsonNode node = JSON.readTree(json);
            mask(node);
            return node;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private void mask(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (isSecret(field.getKey())) field.setValue(TextNode.valueOf(MASK));
                else mask(field.getValue());
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(this::mask);
        }
    }

    private static void writePostgresStyle(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            out.append('{');
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            boolean first = true;
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (!first) out.append(", ");
                first = false;
                out.append(TextNode.valueOf(f.getKey())).append(": ");
                writePostgresStyle(f.getValue(), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) out.append(", ");
                writePostgresStyle(node.get(i), out);
            }
            out.append(']');
        } else {
            out.append(node);
        }
    }
}
