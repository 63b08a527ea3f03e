-- postpone:phase pre
-- A job with what 1.1.0 added: the abort request, the attempt history (with its stack traces) and the
-- result. get_job_v1 stays for 1.0.0 clients. Lists (list_jobs_v1, and list_jobs_v2 and running_jobs_v1
-- of the dashboard, 510_dashboard_reads.sql) leave these out: a page of jobs with up to 20 traces each
-- would be heavy; a reader gets one job for them. Columns are listed by name; readers read by name.

-- One job by id (no row when there is none). p_job: {"id"}; unknown keys are ignored.
create function get_job_v2(p_job jsonb)
returns table (
    id bigint, queue text, task text, args jsonb, status text, priority integer, scheduled_at timestamptz,
    lock text, queueing_lock text, attempts integer, max_attempts integer, worker_id bigint,
    created_at timestamptz, started_at timestamptz, finished_at timestamptz,
    last_error text, last_error_trace text, abort_request jsonb, attempts_log jsonb, result jsonb)
language sql stable
set search_path from current
as $$
    select j.id, j.queue, j.task, j.args, j.status, j.priority, j.scheduled_at, j.lock, j.queueing_lock,
           j.attempts, j.max_attempts, j.worker_id, j.created_at, j.started_at, j.finished_at,
           j.last_error, j.last_error_trace, j.abort_request, j.attempts_log, j.result
    from jobs j where j.id = (p_job ->> 'id')::bigint
$$;
