package dev.postpone.internal;

import dev.postpone.schema.LibraryVersion;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this client's row in the {@code clients} table: recorded when the client starts, refreshed
 * every {@link #REFRESH} on a daemon thread (one cheap statement, never on the defer path), removed on
 * close. It lets {@code postpone schema migrate --phase post} refuse while an application of an older
 * release still calls the functions a post step drops. Failures are logged, never thrown: deferring
 * does not depend on it.
 */
public final class ClientRegistry implements AutoCloseable {

    /** How often a live client refreshes its row. */
    public static final Duration REFRESH = Duration.ofSeconds(30);
    /** A client counts as alive while its row was refreshed within this window (three refreshes). */
    // Not REFRESH.multipliedBy(3): that initialises BigDecimal (~10 ms of a CLI command's start).
    public static final Duration ALIVE_WINDOW = Duration.ofSeconds(REFRESH.toSeconds() * 3);

    private static final Logger log = LoggerFactory.getLogger(ClientRegistry.class);

    private final DataSource dataSource;
    private final JobStore store;
    private final ClientIdentity identity;
    private final ScheduledExecutorService refresher;
    private volatile boolean warned;

    private ClientRegistry(DataSource dataSource, JobStore store, ClientIdentity identity) {
        this.dataSource = dataSource;
        this.store = store;
        this.identity = identity;
        this.refresher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("postpone-client-registry").factory());
    }

    /** Records the client now and keeps refreshing it until {@link #close()}. */
    public static ClientRegistry start(DataSource dataSource, JobStore store, String name) {
        ClientIdentity identity = new ClientIdentity(UUID.randomUUID(), name, Host.name(), ProcessHandle.current().pid(),
                LibraryVersion.current(), ALIVE_WINDOW);
        ClientRegistry registry = new ClientRegistry(dataSource, store, identity);
        registry.record();
        registry.refresher.scheduleWithFixedDelay(registry::record, REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        return registry;
    }

    public ClientIdentity identity() {
        return identity;
    }

    private void record() {
        try (Connection c = dataSource.getConnection()) {
            store.recordClient(c, identity, Instant.now());
            warned = false;
        } catch (SQLException | RuntimeException e) {
            if (!warned) {
                warned = true;
                log.warn("client.record_failed client_id={} reason=\"{}\" (deferring still works; post migrations cannot"
                        + " see this client until it is recorded)", identity.id(), DatabaseErrors.firstLine(e.getMessage()));
            }
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        try (Connection c = dataSource.getConnection()) {
            store.unregisterClient(c, identity.id(), Instant.now());
        } catch (SQLException | RuntimeException e) {
            log.debug("client.unregister_failed client_id={} reason=\"{}\"", identity.id(), e.getMessage());
        }
    }
}
