package dev.postpone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpone.testing.PostgresExtension;
import dev.postpone.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A command's steps share one PostgreSQL session; a session is never shared while in use; all end with the command. */
@ExtendWith(PostgresExtension.class)
class CommandConnectionsTest {

    @Test
    void aClosedConnectionIsReusedByTheNextStep(TestDatabase db) throws SQLException {
        try (CommandConnections connections = new CommandConnections(db.dataSource())) {
            int first;
            try (Connection c = connections.getConnection()) {
                first = backendPid(c);
            }
            try (Connection c = connections.getConnection()) {
                assertThat(backendPid(c)).isEqualTo(first);
            }
        }
    }

    @Test
    void aConnectionInUseIsNotHandedOutAgain(TestDatabase db) throws SQLException {
        try (CommandConnections connections = new CommandConnections(db.dataSource());
             Connection lock = connections.getConnection();
             Connection steps = connections.getConnection()) {
            assertThat(backendPid(steps)).isNotEqualTo(backendPid(lock));
        }
    }

    @Test
    void theNextStepGetsAFreshTransactionState(TestDatabase db) throws SQLException {
        try (CommandConnections connections = new CommandConnections(db.dataSource())) {
            try (Connection c = connections.getConnection(); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                st.execute("create table left_open (id int)");
                // closed without commit: rolled back, as closing a session would
            }
            try (Connection c = connections.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select to_regclass('left_open') is null")) {
                assertThat(c.getAutoCommit()).isTrue();
                rs.next();
                assertThat(rs.getBoolean(1)).as("the uncommitted table is gone").isTrue();
            }
        }
    }

    @Test
    void closingEndsEverySession(TestDatabase db) throws SQLException {
        int pid;
        CommandConnections connections = new CommandConnections(db.dataSource());
        try (Connection c = connections.getConnection()) {
            pid = backendPid(c);
        }
        connections.close();
        try (Connection observer = db.connect(); Statement st = observer.createStatement()) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            boolean alive = true;
            while (alive && System.nanoTime() < deadline) {
                try (ResultSet rs = st.executeQuery("select count(*) from pg_stat_activity where pid = " + pid)) {
                    rs.next();
                    alive = rs.getInt(1) > 0;
                }
            }
            assertThat(alive).as("backend " + pid + " ended").isFalse();
        }
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
