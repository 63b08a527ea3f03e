package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code postpone queues} on a table past queue_counts_v2's exact threshold (10 MB): waiting and running
 * jobs are exact, finished ones are marked {@code ~} in the table and {@code "estimated": true} in JSON,
 * and a line under the table says which columns are estimates.
 */
@ExtendWith(PostgresExtension.class)
class QueuesEstimateTest {

    @Test
    void finishedCountsOfALargeTableAreLabelledEstimates(TestDatabase db) throws Exception {
        InProcessCli cli = new InProcessCli(db);
        CliResult migrate = cli.run("schema", "migrate", "--phase", "all");
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            // About 12 MB of succeeded jobs (wide arguments, four rows a page), then three waiting and one running.
            st.execute("insert into postpone.jobs (queue, task, args, status, finished_at)"
                    + " select 'big', 't', jsonb_build_object('pad', repeat('x', 1900)), 'succeeded', now()"
                    + " from generate_series(1, 6000)");
            st.execute("insert into postpone.jobs (queue, task, status, worker_id) values"
                    + " ('big', 't', 'todo', null), ('big', 't', 'todo', null), ('big', 't', 'todo', null), ('big', 't', 'doing', 7)");
        }

        CliResult queues = cli.run("queues");
        assertThat(queues.exitCode()).as(queues.toString()).isZero();
        assertThat(queues.outLines().getFirst()).isEqualTo("QUEUE  TODO  DOING  SUCCEEDED  FAILED  CANCELLED  PAUSED");
        assertThat(queues.outLines().get(1)).matches("big    3     1      ~\\d+ +~0 +~0 +-");
        assertThat(queues.out()).contains("~ estimated from a sample of the jobs table (SUCCEEDED, FAILED, CANCELLED); TODO and DOING are exact");

        JsonNode json = Json.parse(cli.run("queues", "--json").out());
        for (JsonNode count : json) {
            boolean finished = !count.get("status").asText().matches("(?i)todo|doing");
            assertThat(count.get("estimated").asBoolean()).as(count.toString()).isEqualTo(finished);
        }
    }
}
