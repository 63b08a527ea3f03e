package dev.postpone.worker.internal;

import dev.postpone.internal.JobStore;
import dev.postpone.internal.WorkerRegistration;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The worker's row in the workers table. The id changes when the worker registers again: after it
 * was declared dead (heartbeat said so), or after a fetch whose answer was lost (the jobs that fetch
 * may have claimed stay with the old id, which no longer heartbeats, so the rescuer hands them out
 * again). Every job keeps the id it was fetched under, so its outcome is written for that id.
 */
final class WorkerIdentity {

    private final WorkerRegistration registration;
    private final JobStore store;
    private final List<Long> retired = new CopyOnWriteArrayList<>();
    private volatile long id = -1;

    WorkerIdentity(WorkerRegistration registration, JobStore store) {
        this.registration = registration;
        this.store = store;
    }

    long id() {
        return id;
    }

    WorkerRegistration registration() {
        return registration;
    }

    /** Registers a new row; the previous id (if any) is remembered so shutdown can unregister it. */
    long register(Connection c) throws SQLException {
        long old = id;
        long fresh = store.registerWorker(c, registration);
        id = fresh;
        if (old >= 0) retired.add(old);
        return fresh;
    }

    /** Ids this worker used before, not unregistered yet. */
    List<Long> retired() {
        return List.copyOf(retired);
    }

    void forget(long retiredId) {
        retired.remove(retiredId);
    }
}
