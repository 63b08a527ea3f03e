package dev.postpone.internal;

import dev.postpone.schema.SchemaName;

/**
 * Every database function this release's Java code calls: the single source of the statements it
 * issues at run time. {@code SqlFunctionContractTest} checks this list against the release's contract
 * file in the schema module, so the two cannot drift. Results are read by column name. Several
 * statements may call the same function.
 */
public enum SqlFunction {
    DEFER_JOBS("defer_jobs_v2", 2, "select id from %s(?::jsonb, ?)"),
    FETCH_JOBS("fetch_jobs_v2", 2, "select id, queue, task, args, priority, lock, queueing_lock, attempts, max_attempts,"
            + " scheduled_at, created_at, started_at from %s(?::jsonb, ?)"),
    HAND_BACK_JOBS("hand_back_jobs_v1", 3, "select id from %s(?, ?::jsonb, ?)"),
    START_JOBS("start_jobs_v1", 2, "select id from %s(?::jsonb, ?)"),
    COMPLETE_JOBS("complete_jobs_v2", 2, "select id, status from %s(?::jsonb, ?)"),
    RETRY_JOB("retry_job_v2", 1, "select %s(?::jsonb) as status"),
    REGISTER_WORKER("register_worker_v2", 2, "select %s(?::jsonb, ?) as id"),
    HEARTBEAT_WORKER("heartbeat_worker_v2", 2, "select %s(?, ?) as registered"),
    UNREGISTER_WORKER("unregister_worker_v2", 2, "select %s(?, ?) as released"),
    RESCUE_STALLED_JOBS("rescue_stalled_jobs_v2", 2, "select id, task, queue, status, attempts, max_attempts, worker_id,"
            + " reason from %s(?::jsonb, ?)"),
    DEFER_PERIODIC_JOB("defer_periodic_job_v2", 1, "select %s(?::jsonb) as id"),
    PERIODIC_LAST_TICKS("periodic_last_ticks_v2", 0, "select task, key, last_tick from %s()"),
    DELETE_FINISHED_JOBS("delete_finished_jobs_v2", 2, "select %s(?::jsonb, ?) as deleted"),
    GET_JOB("get_job_v2", 1, "select " + Columns.JOB + " from %s(?::jsonb)"),
    // Many jobs' states in one round trip: the contract has no read by a set of ids, so the
    // statement calls get_job_v2 once per id (an index lookup each) inside one query.
    JOB_STATES("get_job_v2", 1, "select j.id, j.queue, j.status from unnest(?::bigint[]) as wanted(id)"
            + " cross join lateral %s(jsonb_build_object('id', wanted.id)) as j"),
    LIST_JOBS("list_jobs_v3", 1, "select " + Columns.JOB_V1 + " from %s(?::jsonb)"),
    QUEUE_COUNTS("queue_counts_v2", 2, "select queue, status, jobs, estimated from %s(?::jsonb, ?)"),
    LIST_WORKERS("list_workers_v2", 0, "select id, name, host, pid, release, queues, concurrency, started_at,"
            + " last_heartbeat from %s()"),
    RECORD_CLIENT("record_client_v1", 2, "select %s(?::jsonb, ?)"),
    UNREGISTER_CLIENT("unregister_client_v1", 2, "select %s(?, ?)"),
    COUNT_JOBS("count_jobs_v1", 1, "select %s(?::jsonb) as jobs"),
    CANCEL_JOBS("cancel_jobs_v2", 3, "select id, status from %s(?::jsonb, ?::jsonb, ?)"),
    ABORT_REQUESTS("abort_requests_v1", 1, "select id, worker_id, requested_at, requested_by from %s(?::jsonb)"),
    RETRY_JOBS("retry_jobs_v2", 3, "select id, status from %s(?::jsonb, ?, ?)"),
    DELETE_JOBS("delete_jobs_v1", 1, "select id, status from %s(?::jsonb)"),
    // The dashboard's reads (JobAdmin.search, queueOverview, activity, running, estimatedJobs): each
    // bounded by a window or cap, never by the table's size.
    JOB_ID_RANGE("job_id_range_v1", 1, "select first_id, last_id from %s(?::jsonb)"),
    SEARCH_JOBS("list_jobs_v2", 1, "select " + Columns.LISTED_JOB + " from %s(?::jsonb)"),
    RUNNING_JOBS("running_jobs_v1", 1, "select " + Columns.LISTED_JOB + " from %s(?::jsonb)"),
    QUEUE_OVERVIEW("queue_overview_v1", 2, "select queue, waiting, scheduled, running, oldest_due_at from %s(?::jsonb, ?)"),
    JOB_ACTIVITY("job_activity_v1", 2, "select minute, queue, succeeded, failed, estimated, wait_p50_ms, wait_p95_ms"
            + " from %s(?::jsonb, ?)"),
    ESTIMATED_JOBS("estimated_jobs_v1", 0, "select %s() as jobs"),
    PAUSE_QUEUE("pause_queue_v1", 2, "select queue, paused_at, paused_by from %s(?::jsonb, ?)"),
    RESUME_QUEUE("resume_queue_v1", 2, "select %s(?::jsonb, ?) as resumed"),
    QUEUE_PAUSES("queue_pauses_v1", 0, "select queue, paused_at, paused_by from %s()");

    private final String functionName;
    private final int arity;
    private final String template;

    SqlFunction(String functionName, int arity, String template) {
        this.functionName = functionName;
        this.arity = arity;
        this.template = template;
    }

    public String functionName() {
        return functionName;
    }

    public int arity() {
        return arity;
    }

    /** The statement, calling the function in {@code schema}. */
    public String sql(SchemaName schema) {
        return template.formatted(schema.qualify(functionName));
    }

    private static final class Columns {
        /** A job as get_job_v2 returns it: everything stored. */
        static final String JOB = "id, queue, task, args, status, priority, scheduled_at, lock, queueing_lock, attempts,"
                + " max_attempts, worker_id, created_at, started_at, finished_at, last_error, last_error_trace, abort_request,"
                + " attempts_log, result";
        /** A job as list_jobs_v3 returns it: without what 1.1.0 added. */
        static final String JOB_V1 = "id, queue, task, args, status, priority, scheduled_at, lock, queueing_lock, attempts,"
                + " max_attempts, worker_id, created_at, started_at, finished_at, last_error, last_error_trace";
        /** A job as lists return it: without its error trace, with its abort request. */
        static final String LISTED_JOB = "id, queue, task, args, status, priority, scheduled_at, lock, queueing_lock,"
                + " attempts, max_attempts, worker_id, created_at, started_at, finished_at, last_error, abort_request";
    }
}
