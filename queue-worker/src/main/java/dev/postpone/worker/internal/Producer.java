package dev.postpone.worker.internal;

import dev.postpone.internal.FetchedJob;
import dev.postpone.internal.JobStore;
import dev.postpone.internal.SqlFunction;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims jobs: one {@code fetch_jobs_v2} round trip for as many jobs as the executor has room for
 * (free slots plus its prefetch buffer), then sleeps until a notification, the poll interval or a
 * freed slot wakes it. A notification (or the poll) fetches at once for any room, so an idle worker
 * starts a new job without delay. Freed room alone only triggers a fetch when the previous fetch came
 * back full (more jobs are probably waiting), and then once half of it is free, so a busy worker
 * fetches many jobs per round trip while the buffered ones run, and an idle queue costs no query per
 * finished job.
 */
final class Producer {

    private static final Logger log = LoggerFactory.getLogger(Producer.class);
    /** After a lost lock race (unique violation) the fetch is retried this soon. */
    private static final long LOCK_RACE_RETRY_MILLIS = 5;
    /** While fenced, how often to look whether a heartbeat succeeded again. */
    private static final long FENCED_CHECK_MILLIS = 100;

    private final JobStore store;
    private final SqlSession session;
    private final WorkerIdentity identity;
    private final List<String> queues;
    private final JobExecutor executor;
    private final Wakeup wakeup;
    private final long pollMillis;
    private final Duration fetchTimeout;
    private volatile boolean stopped;
    private Thread thread;

    Producer(DataSource dataSource, JobStore store, WorkerIdentity identity, List<String> queues, JobExecutor executor,
             Wakeup wakeup, Duration pollInterval, Duration fetchTimeout, ScheduledExecutorService timer) {
        this.store = store;
        this.session = new SqlSession(dataSource, "producer", timer);
        this.fetchTimeout = fetchTimeout;
        this.identity = identity;
        this.queues = queues;
        this.executor = executor;
        this.wakeup = wakeup;
        this.pollMillis = pollInterval.toMillis();
    }

    void start(String workerName) {
        thread = Thread.ofPlatform().daemon().name("postpone-producer-" + workerName).start(this::loop);
    }

    /**
     * Stops fetching: a fetch in progress is cancelled, since jobs it would claim could not run now
     * (cancelled, it claims nothing). Returns once the producer's thread ended, or after the cancel's
     * grace if the database does not answer (the daemon thread then ends with its aborted connection).
     */
    void stop() throws InterruptedException {
        stopped = true;
        wakeup.jobsMayBeDue();
        session.stop("shutdown");
        thread.join(SqlSession.STOPPED_WITHIN.toMillis());
        if (thread.isAlive()) {
            log.warn("producer.stop_timed_out reason=\"the fetch did not end after its cancel; not waiting for it\"");
            return;
        }
        session.close();
    }

    private void loop() {
        Backoff backoff = Backoff.reconnect();
        boolean fetchNow = true;
        boolean reregister = false;
        while (!stopped) {
            try {
                int room = executor.room();
                if (fetchNow && room > 0 && !identity.mayTakeJobs()) {
                    // Fenced: others may be taking this worker's jobs over; look again soon for a heartbeat that succeeded.
                    wakeup.await(FENCED_CHECK_MILLIS);
                    continue;
                }
                if (fetchNow && room > 0) {
                    if (reregister) {
                        long id = session.call(SqlFunction.REGISTER_WORKER.functionName(), fetchTimeout, identity::register);
                        log.warn("worker.reregistered worker_id={} reason=\"a fetch failed without an answer; jobs it may"
                                + " have claimed stay with the old id, which the rescuer hands out again\"", id);
                        reregister = false;
                    }
                    long workerId = identity.id();
                    List<FetchedJob> jobs = session.call(SqlFunction.FETCH_JOBS.functionName(), fetchTimeout,
                            c -> store.fetch(c, workerId, queues, room));
                    for (FetchedJob job : jobs) executor.submit(workerId, job);
                    backoff.reset();
                    // A full batch means more are probably waiting: fetch again as soon as a slot is free.
                    fetchNow = jobs.size() == room;
                    if (fetchNow && executor.room() > 0) continue;
                }
                Wakeup.Reason reason = wakeup.await(pollMillis);
                if (reason.jobsMayBeDue()) {
                    fetchNow = true;
                } else if (fetchNow) {
                    // A backlog is likely: refill as soon as a batch of slots is free, without sleeping on it.
                    while (!stopped && executor.room() < executor.refillBatch()) {
                        if (wakeup.await(pollMillis).jobsMayBeDue()) break;
                    }
                }
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    // fetch_jobs_v2 catches a lost race for a lock (jobs_lock_doing_v1) itself and claims the jobs
                    // without a lock; a unique violation reaching here claimed nothing. Try again shortly.
                    log.debug("producer.lock_race");
                    sleep(LOCK_RACE_RETRY_MILLIS);
                    fetchNow = true;
                    continue;
                }
                if (stopped) break;
                log.warn("producer.fetch_failed sqlstate={} error=\"{}\"", e.getSQLState(), e.getMessage());
                // We cannot know whether the fetch committed: continue under a fresh worker id (see WorkerIdentity).
                reregister = true;
                fetchNow = true;
                if (!backoff.pause()) break;
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
