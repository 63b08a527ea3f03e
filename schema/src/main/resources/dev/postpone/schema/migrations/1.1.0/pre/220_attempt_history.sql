-- postpone:phase pre
-- Attempt history and results. Every attempt a 1.1.0 worker completes is appended to the job's
-- attempts_log (like River's errors[]), and a handler's return value is kept in result.
-- complete_jobs_v2 replaces complete_jobs_v1 for 1.1.0 workers; it still writes last_error and
-- last_error_trace, which 1.0.0 readers (jobs show of a 1.0.0 CLI) see during the mixed window. Jobs
-- completed by a 1.0.0 worker get no entry (their attempts_log stays as it was). The columns come from
-- 200_job_columns.sql.

-- p_log with p_entry appended, bounded: the newest 100 entries, stack traces only on the newest 20.
-- The first attempts of a job (the common case) only append.
create function append_attempt_v1(p_log jsonb, p_entry jsonb) returns jsonb
language sql immutable
set search_path from current
as $$
    select case
        when p_log is null or jsonb_typeof(p_log) <> 'array' then jsonb_build_array(p_entry)
        when jsonb_array_length(p_log) < 20 then p_log || jsonb_build_array(p_entry)
        else (select jsonb_agg(case when e.n > e.total - 20 then e.entry else e.entry - 'trace' end order by e.n)
              from (select a.entry, a.n, count(*) over () as total
                    from jsonb_array_elements(p_log || jsonb_build_array(p_entry)) with ordinality as a(entry, n)) e
              where e.n > e.total - 100)
    end
$$;

-- Writes the outcomes of many attempts in one statement. p_outcomes: a JSON array, one object per
-- attempt that ended:
--   {"id", "worker_id", "outcome": "succeeded" | "failed" | "cancelled" | "retry", "retry_at" (retry;
--    null = p_now), "error", "trace", "result" (any JSON; succeeded only), "worker" (its name),
--    "started_at", "finished_at" (when the handler started and ended; null = p_now), "note"}
-- An outcome with "started_at" of a claim whose start start_jobs_v1 has not recorded yet (the worker
-- sends a short job's start only with its outcome, 600_job_starts.sql) counts the attempt and sets
-- started_at in the same row update; without "started_at" (cancelled while waiting for a slot) no
-- attempt is counted.
-- Unknown keys are ignored, so a later release can send more. Only jobs still doing for the given
-- worker change: a job rescued from it meanwhile is not completed twice. A retry of an attempt whose
-- abort was requested ends cancelled instead (whoever cancelled the job wanted it stopped); any other
-- outcome stands. Returns the jobs that changed with their status. Notifies the queues of retries due
-- now and of waiting jobs whose lock a finished job freed.
create function complete_jobs_v2(p_outcomes jsonb, p_now timestamptz)
returns table (id bigint, status text)
language plpgsql
set search_path from current
as $$
declare
    v_now     timestamptz := coalesce(p_now, now());
    v_invalid boolean;
    v_retries boolean;
begin
    if jsonb_typeof(p_outcomes) is distinct from 'array' then
        raise exception 'complete_jobs_v2: outcomes must be a JSON array' using errcode = '22023';
    end if;
    select bool_or(o ->> 'outcome' is null or o ->> 'outcome' not in ('succeeded', 'failed', 'cancelled', 'retry')
                   or o ->> 'id' is null or o ->> 'worker_id' is null),
           bool_or(o ->> 'outcome' = 'retry')
    into v_invalid, v_retries
    from jsonb_array_elements(p_outcomes) o;
    if v_invalid then
        raise exception 'complete_jobs_v2: every outcome needs an id, a worker_id and an outcome among succeeded, failed,'
                        ' cancelled, retry' using errcode = '22023';
    end if;

    if v_retries then
        perform pg_notify(jobs_channel_v1(), due.queue)
        from (select distinct j.queue
              from jobs j
              join jsonb_to_recordset(p_outcomes) as u(id bigint, outcome text, retry_at timestamptz, started_at timestamptz)
                on u.id = j.id
              where u.outcome = 'retry' and coalesce(u.retry_at, v_now) <= v_now
                and not abort_applies_v1(j.abort_request, j.attempts + (j.started_at is null and u.started_at is not null)::integer)) as due;
    end if;

    return query
    with u as (
        select o.*,
               o.outcome = 'retry' as wants_retry,
               -- The outcome of a claim whose start is not recorded yet counts its attempt now (see above).
               coalesce(j0.started_at is null and o.started_at is not null, false) as starts,
               -- The attempt's entry, but for its number and final outcome, which come from the row.
               jsonb_strip_nulls(jsonb_build_object(
                   'worker_id', o.worker_id, 'worker', o.worker, 'started_at', o.started_at,
                   'finished_at', coalesce(o.finished_at, v_now), 'error', o.error, 'trace', o.trace)) as entry
        from jsonb_to_recordset(p_outcomes) as o(
            id bigint, worker_id bigint, outcome text, retry_at timestamptz, error text, trace text, result jsonb,
            worker text, started_at timestamptz, finished_at timestamptz, note text)
        left join jobs j0 on j0.id = o.id),
    done as (
        -- A retry whose attempt's abort was requested ends cancelled instead: abort_applies_v1 below.
        update jobs j
        set status           = case when not u.wants_retry then u.outcome
                                    when abort_applies_v1(j.abort_request, j.attempts + u.starts::integer) then 'cancelled'
                                    else 'todo' end,
            scheduled_at     = case when u.wants_retry and not abort_applies_v1(j.abort_request, j.attempts + u.starts::integer)
                                    then coalesce(u.retry_at, v_now) else j.scheduled_at end,
            worker_id        = case when u.wants_retry and not abort_applies_v1(j.abort_request, j.attempts + u.starts::integer)
                                    then null else j.worker_id end,
            finished_at      = case when u.wants_retry and not abort_applies_v1(j.abort_request, j.attempts + u.starts::integer)
                                    then null else v_now end,
            attempts         = j.attempts + u.starts::integer,
            started_at       = case when u.starts then u.started_at else j.started_at end,
            last_error       = coalesce(u.error, j.last_error),
            last_error_trace = case when u.error is null then j.last_error_trace else u.trace end,
            result           = case when u.outcome = 'succeeded' then u.result else j.result end,
            -- The first attempt's entry starts the log without a call: the common case stays cheap.
            attempts_log     = (select case when j.attempts_log is null then jsonb_build_array(e.entry)
                                            else append_attempt_v1(j.attempts_log, e.entry) end
                                from (select u.entry || jsonb_strip_nulls(jsonb_build_object(
                                          'attempt', j.attempts + u.starts::integer,
                                          'outcome', case when u.wants_retry and abort_applies_v1(j.abort_request, j.attempts + u.starts::integer)
                                                          then 'cancelled' else u.outcome end,
                                          'note', case when u.wants_retry and abort_applies_v1(j.abort_request, j.attempts + u.starts::integer)
                                                       then concat_ws('; ', u.note, 'not retried: its cancel was requested while it ran')
                                                       else u.note end)) as entry) e)
        from u
        where j.id = u.id and j.status = 'doing' and j.worker_id = u.worker_id
        returning j.id, j.status, j.lock),
    -- A finished job frees its lock: announce the queues of the jobs waiting for it, so whichever
    -- worker serves them starts the next one now rather than at its next poll.
    lock_freed as (
        select pg_notify(jobs_channel_v1(), waiting.queue)
        from (select distinct t.queue
              from jobs t
              where t.status = 'todo' and t.scheduled_at <= v_now
                and t.lock in (select d.lock from done d where d.lock is not null)) as waiting)
    select done.id, done.status
    from done
    where (select count(*) from lock_freed) >= 0;
end;
$$;
