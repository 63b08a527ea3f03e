package dev.postpone.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Stops a worker on JVM shutdown. A JVM shutdown hook runs only once, so a second SIGTERM/SIGINT would
 * never reach it: a signal handler chained in front of the JVM's own sees the second signal and asks
 * the draining worker to stop hard (its second close), then lets the JVM's handler run as before.
 */
final class ShutdownSignals {

    private static final Logger log = LoggerFactory.getLogger(ShutdownSignals.class);

    private ShutdownSignals() {
    }

    static void install(Worker worker) {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("postpone-shutdown-" + worker.name()).unstarted(worker::close));
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal signal = new Signal(name);
                SignalHandler[] previous = new SignalHandler[1];
                previous[0] = Signal.handle(signal, s -> {
                    if (!worker.isRunning()) Thread.ofPlatform().name("postpone-stop-now").start(worker::close);
                    SignalHandler jvm = previous[0];
                    if (jvm == SignalHandler.SIG_DFL || jvm == null) Runtime.getRuntime().exit(128 + s.getNumber());
                    else if (jvm != SignalHandler.SIG_IGN) jvm.handle(s);
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // -Xrs or an embedding that owns the signal: the shutdown hook alone still stops gracefully.
                log.debug("worker.signal_handler_unavailable signal={} error=\"{}\"", name, e.getMessage());
            }
        }
    }
}
