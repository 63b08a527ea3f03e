package dev.postpone.admin;

import java.util.List;
import java.util.Optional;

/**
 * One page of {@link JobAdmin#search(JobSearch)}: the jobs found (newest first, without their error
 * traces; {@link JobAdmin#get(long)} has them) and where to continue.
 *
 * @param jobs       the jobs found, at most the search's limit
 * @param nextBefore the {@link JobSearch#beforeId(Long) beforeId} of the next page; empty when every job
 *                   id below was searched
 * @param complete   true when the page is full or the search reached the oldest job; false when it
 *                   stopped at its {@code maxScanned} bound with fewer jobs than the limit, so more
 *                   matching jobs may sit below {@code nextBefore}
 */
public record JobSearchPage(List<Job> jobs, JobSearch search, Optional<Long> nextBefore, boolean complete) {

    public JobSearchPage {
        jobs = List.copyOf(jobs);
    }

    public Optional<JobSearch> next() {
        return nextBefore.map(search::beforeId);
    }
}
