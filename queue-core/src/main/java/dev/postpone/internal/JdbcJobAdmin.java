package dev.postpone.internal;

import dev.postpone.admin.ActivityMinute;
import dev.postpone.admin.ChangedJob;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobAction;
import dev.postpone.admin.JobSelection;
import dev.postpone.admin.JobAdmin;
import dev.postpone.admin.JobFilter;
import dev.postpone.admin.JobPage;
import dev.postpone.admin.JobSearch;
import dev.postpone.admin.JobSearchPage;
import dev.postpone.admin.JobStatus;
import dev.postpone.admin.JobWindow;
import dev.postpone.admin.LastTick;
import dev.postpone.admin.JobsNotFinishedException;
import dev.postpone.admin.QueueCount;
import dev.postpone.admin.QueueOverview;
import dev.postpone.admin.QueuePause;
import dev.postpone.admin.WorkerInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** {@link JobAdmin} over the schema's functions, one autocommit call each. */
public final class JdbcJobAdmin implements JobAdmin {

    static final int DELETE_BATCH = 1000;
    private static final long FIRST_PAUSE_MILLIS = 10;
    private static final long MAX_PAUSE_MILLIS = 500;
    private static final int NAMED_IN_MESSAGE = 5;

    private final DataSource dataSource;
    private final JobStore store;
    /** The time bulk changes record (finished_at, the retry time's "now") and reads compare with (overview, activity). */
    private final Clock clock;

    /** Who asks, as abort requests record it when the caller names nobody. */
    private final String requestedBy;

    /** {@code clientName} says who asks for aborts, with this process's user and host. */
    public JdbcJobAdmin(DataSource dataSource, JobStore store, String clientName) {
        this(dataSource, store, clientName, Clock.systemUTC());
    }

    /** With the time it reads and writes as "now" from {@code clock} (a fixed one for reproducible screenshots). */
    public JdbcJobAdmin(DataSource dataSource, JobStore store, String clientName, Clock clock) {
        this.dataSource = dataSource;
        this.store = store;
        this.clock = clock;
        this.requestedBy = System.getProperty("user.name", "?") + "@" + Host.name() + " (" + clientName + ", pid "
                + ProcessHandle.current().pid() + ")";
    }

    @FunctionalInterface
    private interface Call<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T call(String what, Call<T> call) {
        try (Connection c = dataSource.getConnection()) {
            return call.run(c);
        } catch (SQLException e) {
            throw DatabaseErrors.unexpected(e, store.schema(), what);
        }
    }

    @Override
    public Optional<Job> get(long jobId) {
        return call("getting job " + jobId, c -> store.getJob(c, jobId));
    }

    @Override
    public JobPage list(JobFilter filter) {
        return call("listing jobs", c -> new JobPage(store.listJobs(c, filter), filter));
    }

    @Override
    public List<QueueCount> counts() {
        return counts(Set.of());
    }

    @Override
    public List<QueueCount> counts(Set<JobStatus> statuses) {
        return call("counting jobs", c -> store.queueCounts(c, statuses));
    }

    /** The first window a search reads; each next one is four times larger, up to what is left of maxScanned. */
    static final int FIRST_SEARCH_WINDOW = 2_000;
    /** Finished jobs each minute of activity reads at most before it extrapolates (see job_activity_v1). */
    static final int ACTIVITY_SAMPLE = 500;

    @Override
    public JobSearchPage search(JobSearch search) {
        return call("searching jobs", c -> {
            Optional<long[]> range = store.jobIdRange(c, search.createdFrom(), search.createdTo());
            if (range.isEmpty()) return new JobSearchPage(List.of(), search, Optional.empty(), true);
            long first = range.get()[0];
            long hi = Math.min(range.get()[1] + 1, search.beforeId() == null ? Long.MAX_VALUE : search.beforeId());
            List<Job> found = new ArrayList<>();
            long scanned = 0;
            long window = FIRST_SEARCH_WINDOW;
            while (hi > first && found.size() < search.limit() && scanned < search.maxScanned()) {
                long lo = Math.max(first, hi - Math.min(window, search.maxScanned() - scanned));
                List<Job> rows = store.searchJobs(c, search, lo, hi, search.limit() - found.size());
                found.addAll(rows);
                if (found.size() == search.limit()) {
                    return new JobSearchPage(found, search, Optional.of(found.getLast().id()), true);
                }
                scanned += hi - lo;
                hi = lo;
                window *= 4;
            }
            boolean reachedOldest = hi <= first;
            return new JobSearchPage(found, search, reachedOldest ? Optional.empty() : Optional.of(hi), reachedOldest);
        });
    }

    @Override
    public List<Job> running(int limit) {
        return call("listing running jobs", c -> store.runningJobs(c, limit));
    }

    @Override
    public List<QueueOverview> queueOverview(Collection<String> alsoQueues, long cap) {
        return call("reading the queues' overview", c -> store.queueOverview(c, alsoQueues, cap, clock.instant()));
    }

    @Override
    public List<ActivityMinute> activity(Duration period) {
        int minutes = (int) Math.max(1, Math.min(1440, period.toMinutes()));
        return call("reading job activity", c -> store.activity(c, minutes, ACTIVITY_SAMPLE, clock.instant()));
    }

    @Override
    public List<LastTick> periodicTicks() {
        return call("reading periodic ticks", c -> store.periodicLastTicks(c).stream()
                .map(t -> new LastTick(t.task(), t.key(), t.lastTick())).toList());
    }

    @Override
    public Optional<Long> estimatedJobCount() {
        return call("estimating the number of jobs", store::estimatedJobs);
    }

    @Override
    public Optional<JobStatus> cancel(long jobId) {
        return call("cancelling job " + jobId, c -> {
            List<ChangedJob> changed = store.cancelJobs(c, JobAction.CANCEL.restrict(JobSelection.ids(jobId)), requestedBy, clock.instant());
            return changed.isEmpty() ? store.getJob(c, jobId).map(Job::status) : Optional.of(changed.getFirst().status());
        });
    }

    @Override
    public Optional<JobStatus> retry(long jobId, Instant at) {
        return call("retrying job " + jobId, c -> store.retry(c, jobId, at));
    }

    @Override
    public long deleteFinished(Duration olderThan, Set<JobStatus> statuses) {
        for (JobStatus s : statuses) {
            if (!s.isFinished()) throw new IllegalArgumentException("only finished jobs can be deleted, not " + s.label());
        }
        return call("deleting finished jobs", c -> {
            long total = 0;
            for (int n; (n = store.deleteFinishedJobs(c, olderThan, statuses, DELETE_BATCH)) > 0; ) total += n;
            return total;
        });
    }

    @Override
    public JobWindow newest(JobSelection selection, long maxIds) {
        if (maxIds < 1) throw new IllegalArgumentException("maxIds must be at least 1: " + maxIds);
        return call("finding the newest jobs of a selection", c -> {
            Optional<long[]> range = store.jobIdRange(c, selection.createdFrom(), selection.createdTo());
            if (range.isEmpty()) return new JobWindow(selection.idsBetween(0L, 0L), true);
            long first = selection.idFrom() == null ? range.get()[0] : Math.max(range.get()[0], selection.idFrom());
            long to = selection.idTo() == null ? range.get()[1] + 1 : Math.min(range.get()[1] + 1, selection.idTo());
            long from = Math.max(first, to - maxIds);
            return new JobWindow(selection.idsBetween(from, Math.max(from, to)), from <= first);
        });
    }

    @Override
    public long count(JobSelection selection) {
        return call("counting jobs", c -> store.countJobs(c, selection));
    }

    @Override
    public List<ChangedJob> cancel(JobSelection selection) {
        return cancel(selection, requestedBy);
    }

    @Override
    public List<ChangedJob> cancel(JobSelection selection, String requestedBy) {
        JobSelection s = JobAction.CANCEL.restrict(selection);
        return call("cancelling jobs", c -> store.cancelJobs(c, s, requestedBy, clock.instant()));
    }

    @Override
    public List<ChangedJob> retry(JobSelection selection, Instant at) {
        JobSelection s = JobAction.RETRY.restrict(selection);
        return call("retrying jobs", c -> store.retryJobs(c, s, at, clock.instant()));
    }

    @Override
    public List<ChangedJob> delete(JobSelection selection) {
        JobSelection s = JobAction.DELETE.restrict(selection);
        return call("deleting jobs", c -> store.deleteJobs(c, s));
    }

    @Override
    public Map<Long, JobStatus> awaitFinished(Collection<Long> jobIds, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Long, JobStatus> finished = new HashMap<>();
        Set<Long> unfinished = new LinkedHashSet<>(jobIds);
        long pauseMillis = FIRST_PAUSE_MILLIS;
        while (!unfinished.isEmpty()) {
            List<JobState> states = call("reading the states of " + unfinished.size() + " jobs", c -> store.jobStates(c, unfinished));
            requireAllExist(unfinished, states);
            for (JobState s : states) {
                if (s.status().isFinished()) {
                    finished.put(s.id(), s.status());
                    unfinished.remove(s.id());
                }
            }
            if (unfinished.isEmpty()) break;
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) throw notFinished(jobIds.size(), states, timeout);
            Thread.sleep(Math.min(pauseMillis, leftMillis));
            pauseMillis = Math.min(MAX_PAUSE_MILLIS, pauseMillis * 2);
        }
        Map<Long, JobStatus> inOrder = new LinkedHashMap<>();
        for (Long id : jobIds) inOrder.put(id, finished.get(id));
        return inOrder;
    }

    private static void requireAllExist(Set<Long> wanted, List<JobState> states) {
        if (states.size() == wanted.size()) return;
        Set<Long> missing = new LinkedHashSet<>(wanted);
        states.forEach(s -> missing.remove(s.id()));
        throw new IllegalArgumentException("no job " + missing.iterator().next() + (missing.size() > 1 ? " (and "
                + (missing.size() - 1) + " more)" : "") + " to wait for: it was never deferred, or was deleted");
    }

    /** Names a few of the unfinished jobs and their queues: usually no worker serves one of them. */
    private static JobsNotFinishedException notFinished(int total, List<JobState> states, Duration timeout) {
        List<JobState> waiting = states.stream().filter(s -> !s.status().isFinished()).toList();
        String some = waiting.stream().limit(NAMED_IN_MESSAGE)
                .map(s -> s.id() + " " + s.status().label() + " on queue '" + s.queue() + "'").collect(Collectors.joining(", "));
        String more = waiting.size() > NAMED_IN_MESSAGE ? ", …" : "";
        Map<Long, JobStatus> unfinished = new LinkedHashMap<>();
        waiting.forEach(s -> unfinished.put(s.id(), s.status()));
        return new JobsNotFinishedException(waiting.size() + " of " + total + " jobs not finished after " + timeout
                + " (" + some + more + "); check that a worker serves their queues (postpone workers)", unfinished);
    }

    @Override
    public QueuePause pause(String queue, String by) {
        requireQueue(queue);
        return call("pausing queue " + queue, c -> store.pauseQueue(c, queue, by, clock.instant()));
    }

    @Override
    public boolean resume(String queue) {
        requireQueue(queue);
        return call("resuming queue " + queue, c -> store.resumeQueue(c, queue, clock.instant()));
    }

    @Override
    public List<QueuePause> pausedQueues() {
        return call("listing paused queues", store::queuePauses);
    }

    private static void requireQueue(String queue) {
        if (queue == null || queue.isBlank()) throw new IllegalArgumentException("queue name must not be blank");
    }

    @Override
    public List<WorkerInfo> workers() {
        return call("listing workers", store::listWorkers);
    }
}
