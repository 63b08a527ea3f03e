package dev.postpone.cli;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobStatus;
import dev.postpone.schema.Release;
import dev.postpone.schema.SchemaName;
import dev.postpone.schema.StepId;
import java.io.IOException;
import java.io.PrintWriter;

/** {@code --json} output: one JSON document per command, timestamps as ISO-8601 strings. */
final class JsonOutput {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module())
            .registerModule(new SimpleModule("postpone-values")
                    // Value types read best as the strings people type: "postpone", "1.0.0", "1.0.0/pre/010".
                    .addSerializer(SchemaName.class, ToStringSerializer.instance)
                    .addSerializer(Release.class, ToStringSerializer.instance)
                    .addSerializer(StepId.class, ToStringSerializer.instance)
                    // "cancelled" as stored and as the tables show it, not the enum's "CANCELLED".
                    .addSerializer(JobStatus.class, new JobStatusLabel())
                    .setMixInAnnotation(Job.class, JobArgsAsJson.class))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static final class JobStatusLabel extends StdSerializer<JobStatus> {
        JobStatusLabel() {
            super(JobStatus.class);
        }

        @Override
        public void serialize(JobStatus status, JsonGenerator json, SerializerProvider provider) throws IOException {
            json.writeString(status.label());
        }
    }

    /** A job's arguments and result are stored as JSON (jsonb, so always valid): embed them instead of quoting them. */
    private abstract static class JobArgsAsJson {
        @JsonRawValue
        abstract String args();

        @JsonRawValue
        abstract String result();
    }

    private JsonOutput() {
    }

    static void print(PrintWriter out, Object value) {
        try {
            out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON output: " + e.getMessage(), e);
        }
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }
}
