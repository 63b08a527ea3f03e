package dev.postpone.dashboard;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A {@link Dashboard} on its own JDK HTTP server (what {@code postpone dashboard} runs). Requests are
 * served on virtual threads; {@link #close()} stops the server.
 */
public final class DashboardServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private DashboardServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving {@code dashboard} at {@code mountPath} ("/" for the root) on {@code address}. */
    public static DashboardServer start(Dashboard dashboard, InetSocketAddress address, String mountPath) throws IOException {
        HttpServer server = HttpServer.create(address, 64);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext(mountPath == null || mountPath.isEmpty() ? "/" : mountPath, dashboard.httpHandler(mountPath));
        server.start();
        return new DashboardServer(server, executor);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
