package dev.postpone.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * LISTEN/NOTIFY channel names of a schema. Named from an md5 of the schema name so they stay within
 * PostgreSQL's 63-byte limit; the SQL side computes the same names ({@code jobs_channel_v1()}).
 */
public final class Channels {

    private Channels() {
    }

    /** Announces due jobs; the payload is the queue name. */
    public static String jobs(SchemaName schema) {
        return "postpone_jobs_" + md5(schema.value());
    }

    /**
     * Announces abort requests for running jobs (release 1.1.0 on); the payload is
     * {@code {"worker_id": 5, "job_ids": [1, 2]}} ({@code aborts_channel_v1()}).
     */
    public static String aborts(SchemaName schema) {
        return "postpone_aborts_" + md5(schema.value());
    }

    /** Announces applied migration phases; the payload is {@code <release>/<phase>}. */
    public static String schema(SchemaName schema) {
        return "postpone_schema_" + md5(schema.value());
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
