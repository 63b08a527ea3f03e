package dev.postpone.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The listener turns off pgjdbc's look for more messages after each notification on its connection: with
 * the pgjdbc this build ships, the internals it reaches are there (so an upgrade that moves them fails here,
 * not silently ~1 ms later per job), and every notification still arrives, bursts included.
 */
@ExtendWith(PostgresExtension.class)
@Timeout(60)
class TrailingPeekTest {

    @Test
    void everyNotificationStillArrivesWithoutTheTrailingPeek(TestDatabase db) throws Exception {
        try (Connection listening = db.connect(); Connection notifying = db.connect()) {
            listening.setAutoCommit(true);
            try (Statement s = listening.createStatement()) {
                s.execute("LISTEN peek_test");
            }
            assertThat(TrailingPeek.skip(listening)).as("pgjdbc's internals as this class expects them").isTrue();

            Set<String> sent = new HashSet<>();
            notifying.setAutoCommit(false);
            try (Statement s = notifying.createStatement()) {
                for (int round = 0; round < 50; round++) {
                    // Three in one transaction: delivered together, so the listener must drain a burst.
                    for (int i = 0; i < 3; i++) {
                        String payload = round + "." + i;
                        s.execute("select pg_notify('peek_test', '" + payload + "')");
                        sent.add(payload);
                    }
                    notifying.commit();
                }
            }

            Set<String> received = new HashSet<>();
            PGConnection pg = listening.unwrap(PGConnection.class);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                PGNotification[] batch = pg.getNotifications(500);
                if (batch != null) for (PGNotification n : batch) received.add(n.getParameter());
            }
            assertThat(received).isEqualTo(sent);
        }
    }
}
