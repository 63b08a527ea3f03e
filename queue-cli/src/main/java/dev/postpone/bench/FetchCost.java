package dev.postpone.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postpone.schema.SchemaName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What one {@code fetch_jobs_v2} call of 10 jobs costs: {@code EXPLAIN (ANALYZE, BUFFERS)} of the call, each
 * rolled back so nothing is claimed, after warm-up calls (plans cached). Shared buffers (hit + read) are the
 * measure that holds on a busy machine; milliseconds are given too.
 */
final class FetchCost {

    /** Medians of the measured calls. */
    record Cost(double buffers, double millis) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private FetchCost() {
    }

    /** {@code warmUp} calls, then the medians of {@code rounds} calls, on {@code c} (left in autocommit). */
    static Cost measure(Connection c, SchemaName schema, long workerId, List<String> queues, int warmUp, int rounds) throws Exception {
        String params = JSON.writeValueAsString(Map.of("worker_id", workerId, "queues", queues, "limit", 10));
        double[] buffers = new double[rounds];
        double[] millis = new double[rounds];
        c.setAutoCommit(false);
        try (PreparedStatement explain = c.prepareStatement("explain (analyze, buffers, format json) select * from "
                + schema.qualify("fetch_jobs_v2") + "(?::jsonb, null)")) {
            for (int i = -warmUp; i < rounds; i++) {
                explain.setString(1, params);
                JsonNode plan;
                try (ResultSet rs = explain.executeQuery()) {
                    rs.next();
                    plan = JSON.readTree(rs.getString(1)).get(0);
                }
                c.rollback();
                if (i < 0) continue;
                JsonNode top = plan.get("Plan");
                buffers[i] = top.get("Shared Hit Blocks").asDouble() + top.get("Shared Read Blocks").asDouble();
                millis[i] = plan.get("Execution Time").asDouble();
            }
        } finally {
            c.setAutoCommit(true);
        }
        return new Cost(median(buffers), median(millis));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
