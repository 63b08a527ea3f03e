package dev.postpone.testkit;

import dev.postpone.JobContext;
import dev.postpone.internal.FetchedJob;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The context of a job run inline by the test kit: no deadline, never cancelled. */
record InlineJobContext(FetchedJob job) implements JobContext {

    private static final Logger LOG = LoggerFactory.getLogger("dev.postpone.testkit.job");

    @Override
    public long jobId() {
        return job.id();
    }

    @Override
    public String task() {
        return job.task();
    }

    @Override
    public String queue() {
        return job.queue();
    }

    @Override
    public int attempt() {
        return job.attempt();
    }

    @Override
    public int maxAttempts() {
        return job.maxAttempts();
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

    @Override
    public Logger logger() {
        return LOG;
    }
}
