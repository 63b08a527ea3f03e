-- postpone:phase pre
-- Hands jobs a worker cannot run back to the queue: a job of a task this worker does not know (a
-- newer release defers it during a rollout) waits until p_jobs' "at" for a worker that knows it,
-- without spending an attempt (a recorded start is taken back; a claim never started counted none).
-- p_jobs: [{"id", "at", "reason"}]. Only jobs still doing for the worker
-- change. Returns the ids handed back.
create function hand_back_jobs_v1(p_worker_id bigint, p_jobs jsonb, p_now timestamptz)
returns table (id bigint)
language sql
set search_path from current
as $$
    update jobs j
    set status       = 'todo',
        worker_id    = null,
        attempts     = case when j.started_at is null then j.attempts else greatest(j.attempts - 1, 0) end,
        scheduled_at = coalesce((h.value ->> 'at')::timestamptz, p_now),
        last_error   = coalesce(h.value ->> 'reason', j.last_error)
    from jsonb_array_elements(p_jobs) as h(value)
    where j.id = (h.value ->> 'id')::bigint and j.status = 'doing' and j.worker_id = p_worker_id
    returning j.id
$$;
