package dev.postpone.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/** Polls a condition that another process makes true, failing with the last observation when it never does. */
final class Eventually {

    private Eventually() {
    }

    /**
     * Calls {@code observe} until {@code done} accepts its result or {@code limit} passes.
     *
     * @return the accepted observation
     */
    static <T> T await(String what, Duration limit, Callable<T> observe, java.util.function.Predicate<T> done) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        while (true) {
            T seen = observe.call();
            if (done.test(seen)) return seen;
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + " did not happen within " + limit.toSeconds() + " s; last seen:\n" + seen);
            }
            Thread.sleep(200);
        }
    }
}
