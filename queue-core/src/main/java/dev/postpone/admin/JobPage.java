package dev.postpone.admin;

import java.util.List;
import java.util.Optional;

/** One page of listed jobs; {@link #next()} is the filter for the following page, if there may be one. */
public record JobPage(List<Job> jobs, JobFilter filter) {

    public JobPage {
        jobs = List.copyOf(jobs);
    }

    public Optional<JobFilter> next() {
        return jobs.size() < filter.limit() ? Optional.empty() : Optional.of(filter.beforeId(jobs.getLast().id()));
    }
}
