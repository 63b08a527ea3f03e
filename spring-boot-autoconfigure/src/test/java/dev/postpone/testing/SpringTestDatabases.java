package dev.postpone.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Fresh databases for Spring tests, which set {@code spring.datasource.url} from a static
 * {@code @DynamicPropertySource} method where {@link PostgresExtension} cannot inject one. Same server
 * as every other module's tests; the databases are dropped when the JVM exits (Spring caches contexts
 * across test classes, so a class's database lives as long as its context may).
 */
public final class SpringTestDatabases {

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
        for (TestDatabase db : created) {
            try {
                server.dropDatabase(db);
            } catch (RuntimeException e) {
                // The JVM is exiting: a database left behind is only clutter.
            }
        }
        try {
            server.close();
        } catch (Exception e) {
            // as above
        }
    }
}
