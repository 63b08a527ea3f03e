package dev.postpone.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.internal.JobStore;
import dev.postpone.schema.Migrator;
import dev.postpone.schema.SchemaName;
import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import dev.postpone.worker.Retention;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The cleaner deletes finished jobs past retention, in batches, and keeps failed ones by default. */
@ExtendWith(PostgresExtension.class)
@Timeout(60)
class CleanerTest {

    @Test
    void deletesSucceededAndCancelledPastRetentionAndKeepsTheRest(TestDatabase db) throws Exception {
        Migrator.builder(db.dataSource()).build().migrate();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // Test fixtures written directly: 2 500 old succeeded, 10 old cancelled, 10 old failed, 10 recent succeeded, 10 todo.
            s.execute("""
                    insert into postpone.jobs (queue, task, status, finished_at)
                    select 'q', 't', status, finished_at from (
                        select 'succeeded' as status, now() - interval '8 days' as finished_at from generate_series(1, 2500)
                        union all select 'cancelled', now() - interval '8 days' from generate_series(1, 10)
                        union all select 'failed', now() - interval '8 days' from generate_series(1, 10)
                        union all select 'succeeded', now() - interval '1 day' from generate_series(1, 10)
                        union all select 'todo', null from generate_series(1, 10)) f""");
            new Cleaner(new JobStore(SchemaName.DEFAULT), Retention.defaults(), Duration.ofMinutes(1)).run(c);
            try (ResultSet rs = s.executeQuery("select status, count(*) from postpone.jobs group by status order by status")) {
                StringBuilder left = new StringBuilder();
                while (rs.next()) left.append(rs.getString(1)).append('=').append(rs.getLong(2)).append(' ');
                assertThat(left.toString().trim()).isEqualTo("failed=10 succeeded=10 todo=10");
            }
        }
    }
}
