-- postpone:phase pre
-- Entry points, for a role that may only EXECUTE the contract's functions, to what 1.1.0 still did
-- through 1.0.0 functions. 1.0.0's functions stay as they are (security invoker: they need privileges on
-- the tables), so 1.1.0 calls these instead; 840_function_privileges.sql makes them (and every other
-- 1.1.0 function) run as the schema's owner. Each takes one jsonb object and delegates to the 1.0.0 body,
-- so both releases keep one behaviour; a release whose post step drops a 1.0.0 function must first give
-- its entry point here a body of its own (plpgsql records no dependency that would stop the drop).

-- (defer_jobs_v2 and queue_counts_v2 have bodies of their own: 700_defer_jobs_v2.sql, 710_queue_counts_v2.sql.)

-- defer_periodic_job_v1 with p_job {"task", "key", "tick", "queue", "args", "priority", "lock",
-- "queueing_lock", "max_attempts"}: the job id, or null when the tick was already deferred.
create function defer_periodic_job_v2(p_job jsonb)
returns bigint
language sql
set search_path from current
as $$
    select defer_periodic_job_v1(p_job ->> 'task', p_job ->> 'key', (p_job ->> 'tick')::timestamptz, p_job ->> 'queue',
                                 p_job -> 'args', (p_job ->> 'priority')::integer, p_job ->> 'lock',
                                 p_job ->> 'queueing_lock', (p_job ->> 'max_attempts')::integer)
$$;

-- The last deferred tick of every periodic task.
create function periodic_last_ticks_v2()
returns table (task text, key text, last_tick timestamptz)
language sql stable
set search_path from current
as $$ select t.task, t.key, t.last_tick from periodic_last_ticks_v1() t $$;

-- list_jobs_v1 with p_filter {"queue", "task", "status", "lock", "created_from", "created_to",
-- "before_id", "limit"}: newest first, with the error trace; page with "before_id".
create function list_jobs_v3(p_filter jsonb)
returns table (
    id bigint, queue text, task text, args jsonb, status text, priority integer, scheduled_at timestamptz,
    lock text, queueing_lock text, attempts integer, max_attempts integer, worker_id bigint,
    created_at timestamptz, started_at timestamptz, finished_at timestamptz,
    last_error text, last_error_trace text)
language sql stable
set search_path from current
as $$
    select j.id, j.queue, j.task, j.args, j.status, j.priority, j.scheduled_at, j.lock, j.queueing_lock,
           j.attempts, j.max_attempts, j.worker_id, j.created_at, j.started_at, j.finished_at,
           j.last_error, j.last_error_trace
    from list_jobs_v1(p_filter ->> 'queue', p_filter ->> 'task', p_filter ->> 'status', p_filter ->> 'lock',
                      (p_filter ->> 'created_from')::timestamptz, (p_filter ->> 'created_to')::timestamptz,
                      (p_filter ->> 'before_id')::bigint, (p_filter ->> 'limit')::integer) j
$$;

-- Registered workers, most recent first.
create function list_workers_v2()
returns table (
    id bigint, name text, host text, pid bigint, release text, queues text[], concurrency integer,
    started_at timestamptz, last_heartbeat timestamptz)
language sql stable
set search_path from current
as $$
    select w.id, w.name, w.host, w.pid, w.release, w.queues, w.concurrency, w.started_at, w.last_heartbeat
    from list_workers_v1() w
$$;

-- retry_job_v1 with p_retry {"id", "at"}: the job's status afterwards, null when there is no such job.
create function retry_job_v2(p_retry jsonb)
returns text
language sql
set search_path from current
as $$ select retry_job_v1((p_retry ->> 'id')::bigint, (p_retry ->> 'at')::timestamptz) $$;
