package dev.postpone.worker.internal;

/** Keeps a LISTEN connection open (reconnecting as needed) and feeds {@link Notifications}. */
interface Listener {

    void start(String workerName);

    /** Stops listening and closes the connection. */
    void stop() throws InterruptedException;
}
