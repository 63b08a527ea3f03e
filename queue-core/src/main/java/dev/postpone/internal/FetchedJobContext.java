package dev.postpone.internal;

import dev.postpone.JobContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The part of a {@link JobContext} that comes from the claimed job; runners add worker, deadline and cancellation. */
public abstract class FetchedJobContext implements JobContext {

    private static final Logger JOB_LOG = LoggerFactory.getLogger("dev.postpone.job");

    protected final FetchedJob job;

    protected FetchedJobContext(FetchedJob job) {
        this.job = job;
    }

    public FetchedJob job() {
        return job;
    }

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
    public Logger logger() {
        return JOB_LOG;
    }
}
