package dev.postpone.worker.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the producer sleeps on. Notifications (and the listener's reconnects) say "jobs may be due";
 * a freed slot says "there is room again". Signals set before the producer waits are not lost.
 */
final class Wakeup {

    /** Why the producer woke up. */
    record Reason(boolean jobsMayBeDue, boolean slotFreed) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private boolean jobsMayBeDue;
    private boolean slotFreed;

    void jobsMayBeDue() {
        lock.lock();
        try {
            jobsMayBeDue = true;
            signalled.signal();
        } finally {
            lock.unlock();
        }
    }

    void slotFreed() {
        lock.lock();
        try {
            slotFreed = true;
            signalled.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code timeoutMillis} for a signal; a timeout counts as "jobs may be due" (the poll). */
    Reason await(long timeoutMillis) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (!jobsMayBeDue && !slotFreed && nanos > 0) nanos = signalled.awaitNanos(nanos);
            Reason reason = new Reason(jobsMayBeDue || nanos <= 0, slotFreed);
            jobsMayBeDue = false;
            slotFreed = false;
            return reason;
        } finally {
            lock.unlock();
        }
    }
}
