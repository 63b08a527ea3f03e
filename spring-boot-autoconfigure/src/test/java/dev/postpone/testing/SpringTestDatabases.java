package dev.postpone.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Fresh databases for Spring tests, which set {@code spring.datasource.url} from a static
 * {@code @DynamicPropertySource} method where {@link PostgresExtension} cannot inject one. Same server
 * as every other module's tests. Spring caches contexts across test classes and closes them in its own
 * shutdown hook, so the databases are dropped when the JVM exits, each once its last connection is
 * gone (forcing it would cut off workers that are still stopping).
 */
public final class SpringTestDatabases {

    private static final long DROP_PATIENCE_MILLIS = 20_000;

    private static PostgresServer server;
    private static final List<TestDatabase> created = new ArrayList<>();

    private SpringTestDatabases() {
    }

    /** A new, empty database named after {@code testClass}. */
    public static synchronized TestDatabase create(Class<?> testClass) {
        if (server == null) {
            server = PostgresServer.start();
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(SpringTestDatabases::dropAll));
        }
        TestDatabase db = server.createDatabase(testClass.getSimpleName());
        created.add(db);
        return db;
    }

    private static synchronized void dropAll() {
        long deadline = System.currentTimeMillis() + DROP_PATIENCE_MILLIS;
        for (TestDatabase db : created) {
            while (!dropped(db) && System.currentTimeMillis() < deadline) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
        try {
            server.close();
        } catch (Exception e) {
            // The JVM is exiting: a server left behind is stopped with it.
        }
    }

    /** {@code drop database} without force: fails while an application still holds a connection. */
    private static boolean dropped(TestDatabase db) {
        Properties p = new Properties();
        if (db.user() != null) p.setProperty("user", db.user());
        if (db.password() != null) p.setProperty("password", db.password());
        try (Connection c = DriverManager.getConnection(PostgresServer.withDatabase(db.jdbcUrl(), "postgres"), p);
             Statement st = c.createStatement()) {
            st.execute("drop database if exists " + db.databaseName());
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
