package dev.postpone.testkit;

import dev.postpone.internal.FetchedJob;
import dev.postpone.internal.FetchedJobContext;
import java.time.Instant;
import java.util.Optional;

/** The context of a job run inline by the test kit: no deadline, never cancelled. */
final class InlineJobContext extends FetchedJobContext {

    InlineJobContext(FetchedJob job) {
        super(job);
    }

    @Override
    public String workerName() {
        return PostponeTestKit.WORKER_NAME;
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.empty();
    }

    @Override
    public boolean isCancelled() {
        return false;
    }
}
