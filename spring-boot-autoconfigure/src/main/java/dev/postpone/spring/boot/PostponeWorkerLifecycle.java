package dev.postpone.spring.boot;

import dev.postpone.SchemaNotReadyException;
import dev.postpone.worker.Worker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the embedded worker for as long as the application runs: started with the other lifecycle beans
 * once every bean is ready, stopped first when the application shuts down, within Spring's shutdown
 * phase timeout ({@code spring.lifecycle.timeout-per-shutdown-phase}). Stopping lets running jobs
 * finish up to {@code postpone.worker.shutdown-timeout} and hands the rest back to other workers.
 */
public final class PostponeWorkerLifecycle implements SmartLifecycle, DisposableBean, WorkerStatus {

    /**
     * Starts after, and stops before, the web server and the other default-phase beans that jobs may
     * use; a job's handler still finds every bean it needs until the worker has stopped.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE;

    private static final Logger log = LoggerFactory.getLogger(PostponeWorkerLifecycle.class);

    private final Supplier<Worker.Builder> builder;
    private final Duration shutdownTimeout;
    private volatile Worker worker;
    private volatile Thread stopping;
    private volatile boolean stopped;

    PostponeWorkerLifecycle(Supplier<Worker.Builder> builder, Duration shutdownTimeout) {
        this.builder = builder;
        this.shutdownTimeout = shutdownTimeout;
    }

    /** The running worker, once the application has started it. */
    public Optional<Worker> worker() {
        return Optional.ofNullable(worker);
    }

    @Override
    public void start() {
        if (worker != null) return;
        try {
            worker = builder.get().start();
        } catch (SchemaNotReadyException e) {
            throw new IllegalStateException(e.getMessage(), e);   // SchemaNotReadyFailureAnalyzer explains it
        }
        log.info("postpone.worker_started worker={} shutdown_timeout={}", worker.name(), shutdownTimeout);
    }

    /** Stops on its own thread: Spring waits for the callback up to the phase timeout, stopping other beans meanwhile. */
    @Override
    public void stop(Runnable callback) {
        Worker w = worker;
        if (w == null) {
            callback.run();
            return;
        }
        stopping = Thread.ofPlatform().name("postpone-worker-stop").start(() -> {
            try {
                w.close();
                stopped = true;
            } finally {
                callback.run();
            }
        });
    }

    @Override
    public void stop() {
        Worker w = worker;
        if (w != null) w.close();
    }

    @Override
    public boolean isRunning() {
        Worker w = worker;
        return w != null && w.isRunning();
    }

    @Override
    public Map<String, Object> describe() {
        Worker w = worker;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", w == null ? "not started" : w.isRunning() ? "running" : "stopped");
        if (w != null) {
            details.put("name", w.name());
            details.put("inFlight", w.inFlight());
        }
        return details;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * When Spring gave up waiting (the phase timeout passed) the worker is still handing back jobs while
     * the beans, the DataSource among them, are about to close: a second close skips its wait.
     */
    @Override
    public void destroy() throws InterruptedException {
        Worker w = worker;
        if (w == null) return;
        Thread t = stopping;
        if (t != null && !stopped) {
            log.warn("postpone.worker_stop_hurried worker={} reason=\"the shutdown phase timeout passed before the worker"
                    + " stopped; raise spring.lifecycle.timeout-per-shutdown-phase above postpone.worker.shutdown-timeout\"", w.name());
        }
        w.close();
        if (t != null) t.join(Duration.ofSeconds(5));
    }
}
