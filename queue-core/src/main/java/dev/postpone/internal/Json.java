package dev.postpone.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** Job arguments to and from JSON text, through one {@link ObjectMapper}. */
public final class Json {

    private final ObjectMapper mapper;

    public Json(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The default mapper: java.time and Optional support, ISO-8601 dates, and unknown properties
     * ignored — so a worker still reads jobs deferred by a newer release that added an argument field.
     */
    public static ObjectMapper defaultMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public String write(Object args, String taskName) {
        try {
            return mapper.writeValueAsString(args);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("arguments of task '" + taskName + "' cannot be written as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    public <A> A read(String json, JavaType type, String taskName, long jobId) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("arguments of job " + jobId + " (task '" + taskName + "') do not match "
                    + type.getTypeName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Checks JSON text and returns it compacted; fails with the parser's message on malformed input. */
    public String normalize(String jsonText) {
        try {
            JsonNode node = mapper.readTree(jsonText);
            if (node == null || node.isMissingNode()) throw new IllegalArgumentException("malformed JSON arguments: empty input");
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON arguments: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")", e);
        }
    }
}
