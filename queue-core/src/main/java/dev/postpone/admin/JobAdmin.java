package dev.postpone.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Inspecting and managing jobs: what the {@code postpone jobs} commands and a dashboard use.
 * Get it from {@link dev.postpone.Postpone#jobs()}.
 */
public interface JobAdmin {

    Optional<Job> get(long jobId);

    /** Jobs matching the filter, newest first; follow {@link JobPage#next()} for more. */
    JobPage list(JobFilter filter);

    /**
     * Job counts per queue and status, in milliseconds whatever the table's size: waiting and running
     * jobs exactly, finished ones exactly on a small table and as an estimate (flagged
     * {@link QueueCount#estimated()}) on a large one.
     */
    List<QueueCount> counts();

    /** Counts of the given statuses only (e.g. {@code TODO} for queue depth, which an index serves cheaply). */
    List<QueueCount> counts(Set<JobStatus> statuses);

    /**
     * One page of jobs matching {@code search}, newest first, at a cost bounded by the search's
     * {@code maxScanned} whatever the table's size (no OFFSET, no count): what a dashboard lists.
     */
    JobSearchPage search(JobSearch search);

    /** The running jobs, longest running first, at most {@code limit}. */
    List<Job> running(int limit);

    /**
     * Per queue: waiting and scheduled jobs (each counted up to {@code cap}), running jobs, the oldest
     * due job. Lists the queues that have waiting or running jobs, and {@code alsoQueues} even when idle.
     */
    List<QueueOverview> queueOverview(Collection<String> alsoQueues, long cap);

    /**
     * Jobs finished per minute and queue over the last {@code period} (whole minutes, at most a day),
     * with their wait from due to start; each minute reads a bounded sample and says when it extrapolated.
     */
    List<ActivityMinute> activity(Duration period);

    /** The last tick each periodic task (and key) deferred, by task. */
    List<LastTick> periodicTicks();

    /** About how many jobs the table holds, from planner statistics; empty before it was first analysed. */
    Optional<Long> estimatedJobCount();

    /**
     * Cancels a job: a waiting ({@code todo}) one at once; a running ({@code doing}) one is aborted —
     * its worker is asked to stop it, learns within about a second, interrupts the handler and records
     * the attempt {@code cancelled}, unless the handler finishes first (its real outcome then stands).
     * Returns the job's status afterwards — {@code CANCELLED} when it was waiting, {@code DOING} when
     * its abort was requested, its unchanged status otherwise — or empty when there is no such job.
     * A 1.0.0 worker ignores abort requests: its job finishes as it would have.
     */
    Optional<JobStatus> cancel(long jobId);

    /** Puts a failed or cancelled job back to {@code todo} now, allowing one more attempt. */
    default Optional<JobStatus> retry(long jobId) {
        return retry(jobId, null);
    }

    /** Like {@link #retry(long)}, scheduled at {@code at} (null = now). */
    Optional<JobStatus> retry(long jobId, Instant at);

    /**
     * Deletes jobs in the given finished statuses that finished more than {@code olderThan} ago, in
     * small batches (each its own short transaction). Returns how many were deleted.
     */
    long deleteFinished(Duration olderThan, Set<JobStatus> statuses);

    /** How many jobs match {@code selection} now (empty statuses: in any status). */
    long count(JobSelection selection);

    /**
     * The selection narrowed to the newest {@code maxIds} job ids it can match (within its time range and id
     * range): a bulk change over text or a time range counts and changes that window, so its cost is bounded
     * by {@code maxIds} whatever the table's size. {@link JobWindow#whole()} says whether older jobs were left out.
     */
    JobWindow newest(JobSelection selection, long maxIds);

    /**
     * Cancels the waiting jobs of {@code selection} and requests the abort of its running ones, in one
     * statement (see {@link #cancel(long)}); returns them, the aborted ones with status {@code DOING}.
     * Finished jobs are left alone; naming a finished status is refused ({@link JobAction#CANCEL}).
     * The abort request records who asked as this client's user, host and name.
     */
    List<ChangedJob> cancel(JobSelection selection);

    /** Like {@link #cancel(JobSelection)}, recording {@code requestedBy} (e.g. a dashboard's signed-in user) as who asked. */
    List<ChangedJob> cancel(JobSelection selection, String requestedBy);

    /**
     * Puts the failed and cancelled jobs of {@code selection} back to {@code todo} at {@code at}
     * (null = now), one more attempt each, in one statement; returns them ({@link JobAction#RETRY}).
     */
    List<ChangedJob> retry(JobSelection selection, Instant at);

    /**
     * Deletes the waiting and finished jobs of {@code selection} in one statement, never a running one;
     * returns them with the status they had ({@link JobAction#DELETE}).
     */
    List<ChangedJob> delete(JobSelection selection);

    /**
     * Waits until every given job is finished ({@code succeeded}, {@code failed} or {@code cancelled})
     * and returns their final statuses, in the order given: for a test, or an application running an
     * embedded worker, that must know a set of jobs is done. It reads the states of all jobs still
     * unfinished in one query per round, pausing 10 ms after the first round and up to 500 ms later.
     *
     * @throws JobsNotFinishedException when {@code timeout} passes first, naming the jobs still unfinished
     * @throws IllegalArgumentException when a job does not exist (never deferred, or deleted)
     * @throws InterruptedException     when the waiting thread is interrupted
     */
    Map<Long, JobStatus> awaitFinished(Collection<Long> jobIds, Duration timeout) throws InterruptedException;
    /**
     * Pauses a queue fleet-wide: no worker of release 1.1.0 or later fetches from it until it is
     * resumed (a job already running finishes; deferring to it still works). 1.0.0 workers do not know
     * about pauses and keep fetching from it. Pausing a paused queue keeps the first pause.
     *
     * @param by who pauses it, shown by {@link #pausedQueues()}; may be null
     * @return the pause in force
     */
    QueuePause pause(String queue, String by);

    /** Resumes a paused queue and wakes the workers that serve it; false when it was not paused. */
    boolean resume(String queue);

    /** The paused queues, by name. */
    List<QueuePause> pausedQueues();

    /** Registered workers (including ones that stopped heartbeating but were not yet cleaned up). */
    List<WorkerInfo> workers();
}
