package dev.postpone.worker;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds; the timeout only guards against hanging, it measures nothing. */
final class Await {

    private Await() {
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            Thread.sleep(20);
        }
    }
}
