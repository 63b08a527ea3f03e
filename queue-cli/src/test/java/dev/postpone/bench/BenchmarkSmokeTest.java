package dev.postpone.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The benchmark at tiny sizes: every scenario runs, produces positive numbers, and leaves no scratch schema behind. */
@ExtendWith(PostgresExtension.class)
class BenchmarkSmokeTest {

    @Test
    void everyScenarioProducesNumbersAndTheScratchSchemaIsDropped(TestDatabase db) throws Exception {
        List<String> steps = new ArrayList<>();
        BenchReport report = new Benchmark(new DatabaseAddress(db.jdbcUrl(), db.user(), db.password()), BenchConfig.smoke(),
                (description, index, total) -> steps.add(description)).run();

        assertThat(steps).hasSize(16);
        assertThat(report.measurements()).extracting(Measurement::scenario)
                .contains("ceiling", "enqueue", "work", "latency", "memory");
        assertThat(report.measurements()).allSatisfy(m -> assertThat(m.median()).as(m.key()).isPositive());
        Measurement work = report.find("work/concurrency 10, 1 worker").orElseThrow();
        assertThat(report.ratio(work)).as("work is compared with the batched ceiling").isPresent();
        assertThat(report.table()).contains("ceiling/job, batched by 100").contains("postgresql:");
        assertThat(report.find("latency/cold worker process (from the defer call) p99")).isPresent();
        assertThat(report.find("latency/warm worker process (from the defer call) p50")).isPresent();
        JsonNode json = new ObjectMapper().readTree(report.json(new ObjectMapper()));
        assertThat(json.get("measurements").size()).isEqualTo(report.measurements().size());

        assertNoScratchSchemaLeft(db);
    }

    @Test
    void backlogScenarioMeasuresEveryKindNextToTheRunWithout(TestDatabase db) throws Exception {
        List<BacklogBench.Result> results = new BacklogBench(new DatabaseAddress(db.jdbcUrl(), db.user(), db.password()),
                2_000, 200, 50, new java.io.PrintWriter(java.io.Writer.nullWriter())).run();

        assertThat(results).extracting(BacklogBench.Result::kind).containsExactlyElementsOf(
                BacklogBench.KINDS.stream().map(BacklogBench.Kind::name).toList());
        assertThat(results).allSatisfy(r -> {
            assertThat(r.fetchBuffers()).as(r.kind()).isPositive();
            assertThat(r.jobsPerSecond()).as(r.kind()).isPositive();
        });
        assertThat(BacklogBench.table(results, 2_000, 200)).contains("none").contains("behind one busy lock");
        assertNoScratchSchemaLeft(db);
    }

    @Test
    void soakScenarioReadsTheTableAtTheStartAndTheEndWhileTheCleanerKeepsItBounded(TestDatabase db) throws Exception {
        SoakBench.Config config = new SoakBench.Config(20_000, 200, java.time.Duration.ofSeconds(3));
        List<SoakBench.Reading> readings = new SoakBench(new DatabaseAddress(db.jdbcUrl(), db.user(), db.password()),
                config, new java.io.PrintWriter(java.io.Writer.nullWriter())).run();

        assertThat(readings).hasSize(2);
        assertThat(readings.get(0).values().get("live tuples")).isEqualTo(20_000.0);
        assertThat(readings.get(1).values().keySet()).isEqualTo(readings.get(0).values().keySet());
        assertThat(readings.get(1).values().values()).allSatisfy(v -> assertThat(v).isNotNegative());
        assertThat(readings.get(1).values().get("fetch of 10 jobs, shared buffers")).isPositive();
        assertThat(SoakBench.table(readings, config)).contains("dead tuples").contains("START").contains("END");
        assertNoScratchSchemaLeft(db);
    }

    private static void assertNoScratchSchemaLeft(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from pg_namespace where nspname like 'postpone_bench_%'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }
}
