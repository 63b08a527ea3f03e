package dev.postpone.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class its own fresh database ({@link TestDatabase}) on the JVM-wide test server
 * (see {@link PostgresServer} for how the server is found). The database is dropped after the class.
 *
 * <pre>{@code
 * @ExtendWith(PostgresExtension.class)
 * class MyTest {
 *     @Test void works(TestDatabase db) { ... db.dataSource() ... }
 * }
 * }</pre>
 */
public final class PostgresExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        database(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return database(context);
    }

    private static TestDatabase database(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        PostgresServer server = classContext.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(PostgresServer.class, k -> PostgresServer.start(), PostgresServer.class);
        return classContext.getStore(NAMESPACE).computeIfAbsent(TestDatabase.class,
                k -> new ClassDatabase(server, server.createDatabase(classContext.getRequiredTestClass().getSimpleName())),
                ClassDatabase.class).database();
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) c = c.getParent().get();
        return c;
    }

    /** Drops the class's database when JUnit closes the class's store. */
    private record ClassDatabase(PostgresServer server, TestDatabase database) implements AutoCloseable {
        @Override
        public void close() {
            server.dropDatabase(database);
        }
    }
}
