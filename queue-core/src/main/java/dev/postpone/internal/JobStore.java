package dev.postpone.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.postpone.admin.AbortRequest;
import dev.postpone.admin.ActivityMinute;
import dev.postpone.admin.Attempt;
import dev.postpone.admin.ChangedJob;
import dev.postpone.admin.Job;
import dev.postpone.admin.JobFilter;
import dev.postpone.admin.JobSearch;
import dev.postpone.admin.JobSelection;
import dev.postpone.admin.JobStatus;
import dev.postpone.admin.QueueCount;
import dev.postpone.admin.QueueOverview;
import dev.postpone.admin.QueuePause;
import dev.postpone.admin.WorkerInfo;
import dev.postpone.schema.SchemaName;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Calls the schema's versioned functions over JDBC, one method per {@link SqlFunction}. Stateless;
 * the caller owns the connection and its transaction.
 */
public final class JobStore {

    /** Builds the jsonb parameter objects of the functions that take one. */
    private static final com.fasterxml.jackson.databind.ObjectMapper PARAMETERS = new com.fasterxml.jackson.databind.ObjectMapper();

    private final SchemaName schema;
    private final String[] sql;

    public JobStore(SchemaName schema) {
        this.schema = schema;
        this.sql = Arrays.stream(SqlFunction.values()).map(f -> f.sql(schema)).toArray(String[]::new);
    }

    public SchemaName schema() {
        return schema;
    }

    private PreparedStatement prepare(Connection c, SqlFunction f) throws SQLException {
        return c.prepareStatement(sql[f.ordinal()]);
    }

    /**
     * Inserts the jobs in one statement; returns their ids in input order. A queueing lock already
     * taken fails the whole statement with SQLSTATE {@link DatabaseErrors#QUEUEING_LOCK_TAKEN}.
     */
    public List<Long> defer(Connection c, List<NewJob> jobs) throws SQLException {
        StringBuilder json = new StringBuilder(jobs.size() * 96).append('[');
        for (int i = 0; i < jobs.size(); i++) {
            NewJob j = jobs.get(i);
            if (i > 0) json.append(',');
            ObjectNode n = PARAMETERS.createObjectNode().put("queue", j.queue()).put("task", j.task());
            if (j.argsJson() != null) n.putRawValue("args", new RawValue(j.argsJson()));
            if (j.priority() != null) n.put("priority", j.priority());
            if (j.scheduledAt() != null) n.put("scheduled_at", j.scheduledAt().toString());
            if (j.lock() != null) n.put("lock", j.lock());
            if (j.queueingLock() != null) n.put("queueing_lock", j.queueingLock());
            if (j.maxAttempts() != null) n.put("max_attempts", j.maxAttempts());
            json.append(n);
        }
        json.append(']');
        try (PreparedStatement ps = prepare(c, SqlFunction.DEFER_JOBS)) {
            ps.setString(1, json.toString());
            ps.setNull(2, Types.TIMESTAMP_WITH_TIMEZONE);
            List<Long> ids = new ArrayList<>(jobs.size());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getLong("id"));
            }
            return ids;
        }
    }

    /**
     * Claims up to {@code limit} due jobs; {@code queues} null or empty means all queues. Paused queues
     * are skipped. Due means scheduled at or before the database's clock (not this host's).
     */
    public List<FetchedJob> fetch(Connection c, long workerId, Collection<String> queues, int limit) throws SQLException {
        var parameters = PARAMETERS.createObjectNode().put("worker_id", workerId).put("limit", limit);
        if (queues != null && !queues.isEmpty()) {
            var array = parameters.putArray("queues");
            queues.forEach(array::add);
        }
        try (PreparedStatement ps = prepare(c, SqlFunction.FETCH_JOBS)) {
            ps.setString(1, parameters.toString());
            ps.setNull(2, Types.TIMESTAMP_WITH_TIMEZONE);
            List<FetchedJob> jobs = new ArrayList<>(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.add(new FetchedJob(rs.getLong("id"), rs.getString("queue"), rs.getString("task"),
                            rs.getString("args"), rs.getInt("priority"), rs.getString("lock"), rs.getString("queueing_lock"),
                            // The claim counts no attempt (fetch_jobs_v2): this run, once started, is the next one.
                            rs.getInt("attempts") + 1, rs.getInt("max_attempts"), instant(rs, "scheduled_at"),
                            instant(rs, "created_at"), instant(rs, "started_at")));
                }
            }
            return jobs;
        }
    }

    /** Pauses a queue (keeps the first pause if it already is); returns the pause in force. */
    public QueuePause pauseQueue(Connection c, String queue, String by, Instant now) throws SQLException {
        var parameters = PARAMETERS.createObjectNode().put("queue", queue).put("by", by);
        try (PreparedStatement ps = prepare(c, SqlFunction.PAUSE_QUEUE)) {
            ps.setString(1, parameters.toString());
            ps.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return pause(rs);
            }
        }
    }

    /** Resumes a queue; false when it was not paused. */
    public boolean resumeQueue(Connection c, String queue, Instant now) throws SQLException {
        try (PreparedStatement ps = prepare(c, SqlFunction.RESUME_QUEUE)) {
            ps.setString(1, PARAMETERS.createObjectNode().put("queue", queue).toString());
            ps.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean("resumed");
            }
        }
    }

    public List<QueuePause> queuePauses(Connection c) throws SQLException {
        try (PreparedStatement ps = prepare(c, SqlFunction.QUEUE_PAUSES); ResultSet rs = ps.executeQuery()) {
            List<QueuePause> pauses = new ArrayList<>();
            while (rs.next()) pauses.add(pause(rs));
            return pauses;
        }
    }

    private static QueuePause pause(ResultSet rs) throws SQLException {
        return new QueuePause(rs.getString("queue"), instant(rs, "paused_at"), rs.getString("paused_by"));
    }

    /**
     * Records the ends of many attempts in one statement (each with the worker id its job was claimed
     * under); returns the ids that changed (jobs still doing for their worker). Jobs handed back (a task
     * this worker does not know, rare) take one more statement per worker id.
     */
    public List<Long> complete(Connection c, List<FinishedAttempt> attempts, Instant now) throws SQLException {
        List<FinishedAttempt> handBacks = attempts.stream().filter(a -> a.outcome().kind() == Outcome.Kind.HAND_BACK).toList();
        if (handBacks.isEmpty()) return recordOutcomes(c, attempts, now);
        List<Long> changed = new ArrayList<>();
        Map<Long, List<Outcome>> byWorker = new LinkedHashMap<>();
        for (FinishedAttempt a : handBacks) byWorker.computeIfAbsent(a.workerId(), k -> new ArrayList<>()).add(a.outcome());
        for (Map.Entry<Long, List<Outcome>> e : byWorker.entrySet()) changed.addAll(handBack(c, e.getKey(), e.getValue(), now));
        List<FinishedAttempt> rest = attempts.stream().filter(a -> a.outcome().kind() != Outcome.Kind.HAND_BACK).toList();
        if (!rest.isEmpty()) changed.addAll(recordOutcomes(c, rest, now));
        return changed;
    }

    private List<Long> handBack(Connection c, long workerId, List<Outcome> handBacks, Instant now) throws SQLException {
        var jobs = PARAMETERS.createArrayNode();
        for (Outcome o : handBacks) {
            jobs.addObject().put("id", o.jobId()).put("at", o.retryAt().toString()).put("reason", o.error());
        }
        try (PreparedStatement ps = prepare(c, SqlFunction.HAND_BACK_JOBS)) {
            ps.setLong(1, workerId);
            ps.setString(2, jobs.toString());
            setInstant(ps, 3, now);
            List<Long> ids = new ArrayList<>(handBacks.size());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getLong("id"));
            }
            return ids;
        }
    }

    private List<Long> recordOutcomes(Connection c, List<FinishedAttempt> attempts, Instant now) throws SQLException {
        ArrayNode outcomes = PARAMETERS.createArrayNode();
        for (FinishedAttempt a : attempts) {
            Outcome o = a.outcome();
            ObjectNode n = outcomes.addObject().put("id", o.jobId()).put("worker_id", a.workerId()).put("outcome", o.kind().label());
            if (o.retryAt() != null) n.put("retry_at", o.retryAt().toString());
            if (o.error() != null) n.put("error", o.error());
            if (o.errorTrace() != null) n.put("trace", o.errorTrace());
            if (o.resultJson() != null) n.putRawValue("result", new RawValue(o.resultJson()));
            if (o.note() != null) n.put("note", o.note());
            if (a.workerName() != null) n.put("worker", a.workerName());
            if (a.startedAt() != null) n.put("started_at", a.startedAt().toString());
            if (a.finishedAt() != null) n.put("finished_at", a.finishedAt().toString());
        }
        try (PreparedStatement ps = prepare(c, SqlFunction.COMPLETE_JOBS)) {
            ps.setString(1, outcomes.toString());
            setInstant(ps, 2, now);
            List<Long> changed = new ArrayList<>(attempts.size());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) changed.add(rs.getLong("id"));
            }
            return changed;
        }
    }

    /**
     * Records that these claimed jobs' handlers started (each under the worker id its job was claimed
     * under): their attempt now counts. Returns the ids recorded; a job already started, finished or
     * no longer this worker's is left as it is.
     */
    public List<Long> start(Connection c, List<JobStart> starts, Instant now) throws SQLException {
        ArrayNode array = PARAMETERS.createArrayNode();
        for (JobStart s : starts) {
            array.addObject().put("id", s.jobId()).put("worker_id", s.workerId()).put("started_at", s.startedAt().toString());
        }
        try (PreparedStatement ps = prepare(c, SqlFunction.START_JOBS)) {
            ps.setString(1, array.toString());
            setInstant(ps, 2, now);
            List<Long> ids = new ArrayList<>(starts.size());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getLong("id"));
            }
            return ids;
        }
    }

    /** The running jobs of these workers whose abort was requested (for the attempt now running). */
    public List<AbortRequested> abortRequests(Connection c, Collection<Long> workerIds) throws SQLException {
        ObjectNode params = PARAMETERS.createObjectNode();
        workerIds.forEach(params.putArray("worker_ids")::add);
        try (PreparedStatement ps = prepare(c, SqlFunction.ABORT_REQUESTS)) {
            ps.setString(1, params.toString());
            List<AbortRequested> requests = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    requests.add(new AbortRequested(rs.getLong("id"), rs.getLong("worker_id"), instant(rs, "requested_at"),
                            rs.getString("requested_by")));
                }
            }
            return requests;
        }
    }

    /** Puts a failed or cancelled job back to todo; returns its status afterwards, empty when there is no such job. */
    public Optional<JobStatus> retry(Connection c, long jobId, Instant at) throws SQLException {
        try (PreparedStatement ps = prepare(c, SqlFunction.RETRY_JOB)) {
            var retry = PARAMETERS.createObjectNode().put("id", jobId);
            if (at != null) retry.put("at", at.toString());
            ps.setString(1, retry.toString());
            return statusResult(ps);
        }
    }

    /** How many jobs match the selection. */
    public long countJobs(Connection c, JobSelection selection) throws SQLException {
        try (PreparedStatement ps = prepare(c, SqlFunction.COUNT_JOBS)) {
            ps.setString(1, filterJson(selection));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong("jobs");
            }
        }
    }

    /**
     * Cancels the selected waiting jobs and requests the abort of the selected running ones, recording
     * {@code requestedBy}, in one statement; returns them (aborted ones still doing).
     */
    public List<ChangedJob> cancelJobs(Connection c, JobSelection selection, String requestedBy, Instant now) throws SQLException {
        try (PreparedStatement ps = prepare(c, SqlFunction.CANCEL_JOBS)) {
            ps.setString(1, filterJson(selection));
            ps.setString(2, PARAMETERS.createObjectNode().put("by", requestedBy).toString());
            setInstant(ps, 3, now);
            return changedJobs(ps);
        }
    }

    /** Puts the selected failed and cancelled jobs back to todo at {@code at} (null: now); returns them. */
    public List<ChangedJob> retryJobs(Connection c, JobSelection selection, Instant at, Instant now) throws SQLException {
        try (PreparedStatement ps = prepare(c, SqlFunction.RETRY_JOBS)) {
            ps.setString(1, filterJson(selection));
            setInstant(ps, 2, at);
            setInstant(ps, 3, now);
            return changedJobs(ps);
        }
    }

    /** Deletes the selected waiting and finished jobs; returns them with the status they had. */
    public List<ChangedJob> deleteJobs(Connection c, JobSelection selection) throws SQLException {
        try (PreparedStatement ps = prepare(c, SqlFunction.DELETE_JOBS)) {
            ps.setString(1, filterJson(selection));
            return changedJobs(ps);
        }
    }

    private static List<ChangedJob> changedJobs(PreparedStatement ps) throws SQLException {
        List<ChangedJob> changed = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) changed.add(new ChangedJob(rs.getLong("id"), JobStatus.fromLabel(rs.getString("status"))));
        }
        return changed;
    }

    /**
     * The filter object of the bulk functions and of list_jobs_v2, the one writer of it: "ids", "queue",
     * "task", "statuses", "text", "secret_fields", "created_from", "created_to", "id_from", "id_to", "limit", each
     * only when set.
     */
    static ObjectNode filter(JobSelection s) {
        ObjectNode filter = JsonNodeFactory.instance.objectNode();
        if (!s.ids().isEmpty()) s.ids().forEach(filter.putArray("ids")::add);
        if (s.queue() != null) filter.put("queue", s.queue());
        if (s.task() != null) filter.put("task", s.task());
        if (!s.statuses().isEmpty()) s.statuses().stream().map(JobStatus::label).sorted().forEach(filter.putArray("statuses")::add);
        if (s.text() != null) filter.put("text", s.text());
        if (s.text() != null && s.secretFields() != null) filter.put("secret_fields", s.secretFields());
        if (s.createdFrom() != null) filter.put("created_from", s.createdFrom().toString());
        if (s.createdTo() != null) filter.put("created_to", s.createdTo().toString());
        if (s.idFrom() != null) filter.put("id_from", s.idFrom());
        if (s.idTo() != null) filter.put("id_to", s.idTo());
        if (s.limit() != null) filter.put("limit", s.limit());
        return filter;
    }

    static String filterJson(JobSelection s) {
        return filter(s).toString();
    }

    /** Registers the worker; with a liveness lock, its heartbeats then take and keep the lock. */
    public long registerWorker(Connection c, WorkerRegistration w, Instant now) throws SQLException {
        var worker = PARAMETERS.createObjectNode()
                .put("name", w.name()).put("host", w.host()).put("pid", w.pid()).put("version", w.version())
                .put("concurrency", w.concurrency()).put("stalled_after_ms", w.stalledAfter().toMillis())
                .put("liveness_lock", w.livenessLock());
        if (w.queues() == null || w.queues().isEmpty()) worker.putNull("queues");
        else w.queues().forEach(worker.putArray("queues")::add);
        try (PreparedStatement ps = prepare(c, SqlFunction.REGISTER_WORKER)) {
            ps.setString(1, worker.toString());
            setInstant(ps, 2, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong("id");
            }
        }
    }

    /** False when the worker is no longer registered (declared dead); it must register again. */
    public boolean heartbeat(Connection c, long workerId, Instant now) throws SQLException {
        try (PreparedStatement ps = prepare(c, SqlFunction.HEARTBEAT_WORKER)) {
            ps.setLong(1, workerId);
            setInstant(ps, 2, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean("registered");
            }
        }
    }

    /** Records the client, or refreshes its last_seen. */
    public void recordClient(Connection c, ClientIdentity client, Instant now) throws SQLException {
        String json = PARAMETERS.createObjectNode()
                .put("id", client.id().toString()).put("name", client.name()).put("host", client.host())
                .put("pid", client.pid()).put("version", client.version())
                .put("alive_window_ms", client.aliveWindow().toMillis()).toString();
        try (PreparedStatement ps = prepare(c, SqlFunction.RECORD_CLIENT)) {
            ps.setString(1, json);
            setInstant(ps, 2, now);
            ps.execute();
        }
    }

    public void unregisterClient(Connection c, java.util.UUID clientId, Instant now) throws SQLException {
        try (PreparedStatement ps = prepare(c, SqlFunction.UNREGISTER_CLIENT)) {
            ps.setObject(1, clientId);
            setInstant(ps, 2, now);
            ps.execute();
        }
    }

    /** Unregisters; the worker's jobs still doing go back to todo. Returns how many. */
    public int unregisterWorker(Connection c, long workerId, Instant now) throws SQLException {
        try (PreparedStatement ps = prepare(c, SqlFunction.UNREGISTER_WORKER)) {
            ps.setLong(1, workerId);
            setInstant(ps, 2, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt("released");
            }
        }
    }

    /**
     * Rescues the jobs of dead workers (never {@code self}'s): dead by the schema's one liveness rule,
     * with {@code defaultStalledAfter} for workers that registered without a threshold (1.0.0).
     */
    public List<RescuedJob> rescueStalledJobs(Connection c, long self, Duration defaultStalledAfter, Duration lockGrace,
                                              Instant now) throws SQLException {
        String params = PARAMETERS.createObjectNode().put("self", self)
                .put("default_stalled_after_ms", defaultStalledAfter.toMillis()).put("lock_grace_ms", lockGrace.toMillis()).toString();
        try (PreparedStatement ps = prepare(c, SqlFunction.RESCUE_STALLED_JOBS)) {
            ps.setString(1, params);
            setInstant(ps, 2, now);
            List<RescuedJob> rescued = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rescued.add(new RescuedJob(rs.getLong("id"), rs.getString("task"), rs.getString("queue"), rs.getString("status"),
                            rs.getInt("attempts"), rs.getInt("max_attempts"), rs.getLong("worker_id"), rs.getString("reason")));
                }
            }
            return rescued;
        }
    }

    /** Defers the job of a periodic tick unless another worker already did; returns its id if this call deferred it. */
    public Optional<Long> deferPeriodic(Connection c, String key, Instant tick, NewJob job) throws SQLException {
        try (PreparedStatement ps = prepare(c, SqlFunction.DEFER_PERIODIC_JOB)) {
            var o = PARAMETERS.createObjectNode().put("task", job.task()).put("key", key).put("tick", tick.toString())
                    .put("queue", job.queue());
            if (job.argsJson() != null) o.putRawValue("args", new com.fasterxml.jackson.databind.util.RawValue(job.argsJson()));
            if (job.priority() != null) o.put("priority", job.priority());
            if (job.lock() != null) o.put("lock", job.lock());
            if (job.queueingLock() != null) o.put("queueing_lock", job.queueingLock());
            if (job.maxAttempts() != null) o.put("max_attempts", job.maxAttempts());
            ps.setString(1, o.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long id = rs.getLong("id");
                return rs.wasNull() ? Optional.empty() : Optional.of(id);
            }
        }
    }

    /** The last deferred tick of every periodic task. */
    public List<PeriodicTick> periodicLastTicks(Connection c) throws SQLException {
        try (PreparedStatement ps = prepare(c, SqlFunction.PERIODIC_LAST_TICKS); ResultSet rs = ps.executeQuery()) {
            List<PeriodicTick> ticks = new ArrayList<>();
            while (rs.next()) ticks.add(new PeriodicTick(rs.getString("task"), rs.getString("key"), instant(rs, "last_tick")));
            return ticks;
        }
    }

    /** Deletes one batch of finished jobs older than {@code olderThan}; returns how many. */
    public int deleteFinishedJobs(Connection c, Duration olderThan, Collection<JobStatus> statuses, int batchSize) throws SQLException {
        try (PreparedStatement ps = prepare(c, SqlFunction.DELETE_FINISHED_JOBS)) {
            ObjectNode params = PARAMETERS.createObjectNode().put("older_than_ms", olderThan.toMillis()).put("batch_size", batchSize);
            statuses.forEach(s -> params.withArray("statuses").add(s.label()));
            ps.setString(1, params.toString());
            ps.setNull(2, Types.TIMESTAMP_WITH_TIMEZONE);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt("deleted");
            }
        }
    }

    public Optional<Job> getJob(Connection c, long jobId) throws SQLException {
        try (PreparedStatement ps = prepare(c, SqlFunction.GET_JOB)) {
            ps.setString(1, PARAMETERS.createObjectNode().put("id", jobId).toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(job(rs)) : Optional.empty();
            }
        }
    }

    /** The states of the given jobs, in one statement; a job that does not exist is left out. */
    public List<JobState> jobStates(Connection c, Collection<Long> jobIds) throws SQLException {
        try (PreparedStatement ps = prepare(c, SqlFunction.JOB_STATES)) {
            ps.setArray(1, c.createArrayOf("int8", jobIds.toArray()));
            List<JobState> states = new ArrayList<>(jobIds.size());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    states.add(new JobState(rs.getLong("id"), rs.getString("queue"), JobStatus.fromLabel(rs.getString("status"))));
                }
            }
            return states;
        }
    }

    /** Jobs by filter, newest first; like the other lists, without attempt history, result or abort request. */
    public List<Job> listJobs(Connection c, JobFilter f) throws SQLException {
        try (PreparedStatement ps = prepare(c, SqlFunction.LIST_JOBS)) {
            var filter = PARAMETERS.createObjectNode().put("queue", f.queue()).put("task", f.task())
                    .put("status", f.status() == null ? null : f.status().label()).put("lock", f.lock())
                    .put("created_from", f.createdFrom() == null ? null : f.createdFrom().toString())
                    .put("created_to", f.createdTo() == null ? null : f.createdTo().toString())
                    .put("before_id", f.beforeId()).put("limit", f.limit());
            ps.setString(1, filter.toString());
            List<Job> jobs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) jobs.add(listedJobWithTrace(rs));
            }
            return jobs;
        }
    }

    /**
     * Counts per queue and status; {@code statuses} null or empty means all. Waiting and running are
     * exact (index-served); finished ones are estimated on a large table (see queue_counts_v2).
     */
    public List<QueueCount> queueCounts(Connection c, Collection<JobStatus> statuses) throws SQLException {
        ObjectNode params = PARAMETERS.createObjectNode();
        if (statuses != null && !statuses.isEmpty()) statuses.forEach(s -> params.withArray("statuses").add(s.label()));
        try (PreparedStatement ps = prepare(c, SqlFunction.QUEUE_COUNTS)) {
            ps.setString(1, params.toString());
            ps.setNull(2, Types.TIMESTAMP_WITH_TIMEZONE);
            List<QueueCount> counts = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.add(new QueueCount(rs.getString("queue"), JobStatus.fromLabel(rs.getString("status")), rs.getLong("jobs"),
                            rs.getBoolean("estimated")));
                }
            }
            return counts;
        }
    }

    public List<WorkerInfo> listWorkers(Connection c) throws SQLException {
        try (PreparedStatement ps = prepare(c, SqlFunction.LIST_WORKERS); ResultSet rs = ps.executeQuery()) {
            List<WorkerInfo> workers = new ArrayList<>();
            while (rs.next()) {
                Array queues = rs.getArray("queues");
                int concurrency = rs.getInt("concurrency");
                Integer conc = rs.wasNull() ? null : concurrency;
                workers.add(new WorkerInfo(rs.getLong("id"), rs.getString("name"), rs.getString("host"), rs.getLong("pid"),
                        rs.getString("release"), queues == null ? null : List.of((String[]) queues.getArray()),
                        conc, instant(rs, "started_at"), instant(rs, "last_heartbeat")));
            }
            return workers;
        }
    }

    /** The ids [first, last] that can hold jobs created in the search's time range; empty when there are no jobs. */
    public Optional<long[]> jobIdRange(Connection c, Instant createdFrom, Instant createdTo) throws SQLException {
        ObjectNode filter = JsonNodeFactory.instance.objectNode();
        if (createdFrom != null) filter.put("created_from", createdFrom.toString());
        if (createdTo != null) filter.put("created_to", createdTo.toString());
        try (PreparedStatement ps = prepare(c, SqlFunction.JOB_ID_RANGE)) {
            ps.setString(1, filter.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long first = rs.getLong("first_id");
                if (rs.wasNull()) return Optional.empty();
                return Optional.of(new long[] {first, rs.getLong("last_id")});
            }
        }
    }

    /** The jobs matching the search with ids in [idFrom, idTo), newest first, at most {@code limit}. */
    public List<Job> searchJobs(Connection c, JobSearch s, long idFrom, long idTo, int limit) throws SQLException {
        ObjectNode filter = filter(s.asSelection().idsBetween(idFrom, idTo).limit(limit));
        try (PreparedStatement ps = prepare(c, SqlFunction.SEARCH_JOBS)) {
            ps.setString(1, filter.toString());
            return jobs(ps);
        }
    }

    /** The running jobs, longest running first. */
    public List<Job> runningJobs(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = prepare(c, SqlFunction.RUNNING_JOBS)) {
            ps.setString(1, JsonNodeFactory.instance.objectNode().put("limit", limit).toString());
            return jobs(ps);
        }
    }

    /** Per queue: waiting (capped), scheduled (capped), running, oldest due; {@code queues} are listed even when idle. */
    public List<QueueOverview> queueOverview(Connection c, Collection<String> queues, long cap, Instant now)
            throws SQLException {
        ObjectNode params = JsonNodeFactory.instance.objectNode().put("cap", cap);
        queues.stream().sorted().forEach(params.putArray("queues")::add);
        try (PreparedStatement ps = prepare(c, SqlFunction.QUEUE_OVERVIEW)) {
            ps.setString(1, params.toString());
            setInstant(ps, 2, now);
            List<QueueOverview> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new QueueOverview(rs.getString("queue"), rs.getLong("waiting"),
                            rs.getLong("scheduled"), rs.getLong("running"), instant(rs, "oldest_due_at"), cap));
                }
            }
            return rows;
        }
    }

    /** Finished jobs and waits per minute and queue over the last {@code minutes}, each minute sampled. */
    public List<ActivityMinute> activity(Connection c, int minutes, int sample, Instant now) throws SQLException {
        ObjectNode params = JsonNodeFactory.instance.objectNode().put("minutes", minutes).put("sample", sample);
        try (PreparedStatement ps = prepare(c, SqlFunction.JOB_ACTIVITY)) {
            ps.setString(1, params.toString());
            setInstant(ps, 2, now);
            List<ActivityMinute> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double p50 = rs.getDouble("wait_p50_ms");
                    Double wait50 = rs.wasNull() ? null : p50;
                    double p95 = rs.getDouble("wait_p95_ms");
                    Double wait95 = rs.wasNull() ? null : p95;
                    rows.add(new ActivityMinute(instant(rs, "minute"), rs.getString("queue"),
                            rs.getLong("succeeded"), rs.getLong("failed"), rs.getBoolean("estimated"), wait50, wait95));
                }
            }
            return rows;
        }
    }

    /** About how many jobs the table holds (planner statistics); empty before it was first analysed. */
    public Optional<Long> estimatedJobs(Connection c) throws SQLException {
        try (PreparedStatement ps = prepare(c, SqlFunction.ESTIMATED_JOBS); ResultSet rs = ps.executeQuery()) {
            rs.next();
            long n = rs.getLong("jobs");
            return rs.wasNull() ? Optional.empty() : Optional.of(n);
        }
    }

    private static List<Job> jobs(PreparedStatement ps) throws SQLException {
        List<Job> jobs = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) jobs.add(listedJob(rs));
        }
        return jobs;
    }

    /** A row of list_jobs_v2 or running_jobs_v1: no error trace (nor what get_job_v2 adds: history, result). */
    private static Job listedJob(ResultSet rs) throws SQLException {
        return job(rs, null, abortRequest(rs.getString("abort_request")), List.of(), null);
    }

    /** A row of list_jobs_v3: the error trace, but not what get_job_v2 adds. */
    private static Job listedJobWithTrace(ResultSet rs) throws SQLException {
        return job(rs, rs.getString("last_error_trace"), null, List.of(), null);
    }

    /** A row of get_job_v2: everything stored. */
    private static Job job(ResultSet rs) throws SQLException {
        return job(rs, rs.getString("last_error_trace"), abortRequest(rs.getString("abort_request")),
                attempts(rs.getString("attempts_log")), rs.getString("result"));
    }

    private static Job job(ResultSet rs, String trace, AbortRequest abortRequest, List<Attempt> attempts, String result)
            throws SQLException {
        long workerId = rs.getLong("worker_id");
        Long worker = rs.wasNull() ? null : workerId;
        return new Job(rs.getLong("id"), rs.getString("queue"), rs.getString("task"), rs.getString("args"),
                JobStatus.fromLabel(rs.getString("status")), rs.getInt("priority"), instant(rs, "scheduled_at"),
                rs.getString("lock"), rs.getString("queueing_lock"), rs.getInt("attempts"), rs.getInt("max_attempts"),
                worker, instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"),
                rs.getString("last_error"), trace, abortRequest, attempts, result);
    }

    private static AbortRequest abortRequest(String json) throws SQLException {
        if (json == null) return null;
        JsonNode n = tree(json, "abort_request");
        return new AbortRequest(instant(n.path("at")), text(n.path("by")), n.path("attempt").asInt());
    }

    /** The attempt history as stored (see 1.1.0/pre/220_attempt_history.sql); fields a later release adds are ignored. */
    private static List<Attempt> attempts(String json) throws SQLException {
        if (json == null) return List.of();
        List<Attempt> attempts = new ArrayList<>();
        for (JsonNode n : tree(json, "attempts_log")) {
            attempts.add(new Attempt(n.path("attempt").asInt(), n.hasNonNull("worker_id") ? n.get("worker_id").asLong() : null,
                    text(n.path("worker")), instant(n.path("started_at")), instant(n.path("finished_at")), text(n.path("outcome")),
                    text(n.path("error")), text(n.path("trace")), text(n.path("note"))));
        }
        return attempts;
    }

    private static JsonNode tree(String json, String column) throws SQLException {
        try {
            return PARAMETERS.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("unreadable " + column + ": " + e.getOriginalMessage(), "22P02", e);
        }
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    private static Instant instant(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : OffsetDateTime.parse(n.asText()).toInstant();
    }

    private static Optional<JobStatus> statusResult(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            String status = rs.getString("status");
            return status == null ? Optional.empty() : Optional.of(JobStatus.fromLabel(status));
        }
    }

    private static void setInstant(PreparedStatement ps, int index, Instant at) throws SQLException {
        if (at == null) ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        else ps.setObject(index, at.atOffset(ZoneOffset.UTC));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

}
