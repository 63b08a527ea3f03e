package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code migrate --phase post} exits 11 exactly when older workers (or clients) are what stands in the
 * way, so a deploy script can wait for the old fleet; any other refusal is not 11.
 */
@ExtendWith(PostgresExtension.class)
class PostRefusalExitCodeTest {

    @Test
    void exit11OnlyWhileAnOlderWorkerIsAlive(TestDatabase db) throws Exception {
        InProcessCli cli = new InProcessCli(db);
        assertThat(cli.run("schema", "migrate", "--phase", "all", "--to", "1.0.0").exitCode()).isZero();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            // What a running 1.0.0 worker leaves: a row with a fresh heartbeat.
            st.execute("select postpone.register_worker_v1('old-worker', 'host-a', 7, '1.0.0', null, 4)");
        }

        CliResult early = cli.run("schema", "migrate", "--phase", "post", "--to", "1.1.0");
        assertThat(early.exitCode()).as(early.toString()).isEqualTo(ExitCode.FAILED.code());
        assertThat(early.err()).contains("the pre steps of 1.1.0 are not applied yet");

        assertThat(cli.run("schema", "migrate", "--phase", "pre", "--to", "1.1.0").exitCode()).isZero();
        CliResult blocked = cli.run("schema", "migrate", "--phase", "post", "--to", "1.1.0");
        assertThat(blocked.exitCode()).as(blocked.toString()).isEqualTo(ExitCode.OLDER_WORKERS_ALIVE.code());
        assertThat(blocked.err()).contains("refusing the post steps of 1.1.0").contains("'old-worker' on host-a pid 7 release 1.0.0");

        CliResult status = cli.run("schema", "status");
        assertThat(status.out()).contains("next: post of 1.1.0 is pending; wait for 1 worker of release 1.0.0");
    }
}
