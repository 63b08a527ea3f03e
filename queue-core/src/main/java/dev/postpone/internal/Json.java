package dev.postpone.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/** Job arguments to and from JSON text, through one {@link ObjectMapper}. */
public final class Json {

    private final ObjectMapper mapper;

    public Json(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The default mapper: java.time and Optional support, ISO-8601 dates, and unknown properties
     * ignored — so a worker still reads jobs deferred by a newer release that added an argument field.
     * One instance serves every client and worker of the JVM that was given no mapper of its own, made
     * on first use: the serializers one builds (a worker's warm-up builds those of its tasks' arguments)
     * serve the others, so an application's first defer does not introspect its arguments' type.
     */
    public static ObjectMapper defaultMapper() {
        return usingDefaultMapper().mapper();
    }

    /** Arguments to and from JSON through {@link #defaultMapper()}. */
    public static Json usingDefaultMapper() {
        return Default.JSON;
    }

    private static final class Default {
        static final Json JSON = new Json(newDefaultMapper());
    }

    private static ObjectMapper newDefaultMapper() {
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
                    + simpleName(type) + ": " + JsonProblem.describe(e), e);
        }
    }

    /**
     * Reads JSON text given for a job at defer time into the task's argument type, as strictly as a
     * typed caller is held by the compiler: malformed JSON, a value of the wrong type (a fraction for
     * an integer, null for a primitive) and a field the type does not have are refused, with one line
     * naming the field, so a typo fails now rather than on the worker.
     */
    public <A> A readArguments(String jsonText, JavaType type, String taskName) {
        JsonNode tree;
        try {
            tree = jsonText == null ? null : mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(jsonText);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON arguments of task '" + taskName + "': " + JsonProblem.syntax(e), e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new IllegalArgumentException("the arguments of task '" + taskName + "' are empty; pass a JSON value such as {}");
        }
        A args;
        try {
            args = mapper.readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).without(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                    .readValue(tree);
        } catch (IOException e) {
            throw new IllegalArgumentException("arguments of task '" + taskName + "' do not match " + simpleName(type) + ": "
                    + (e instanceof JsonProcessingException p ? JsonProblem.describe(p, tree) : e.getMessage()), e);
        }
        if (args == null) {
            throw new IllegalArgumentException("the arguments of task '" + taskName + "' are null; pass a JSON value such as {}");
        }
        return args;
    }

    private static String simpleName(JavaType type) {
        return type.getRawClass().getSimpleName();
    }
}
