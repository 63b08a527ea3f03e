-- postpone:phase pre
-- Bulk job management (postpone jobs cancel / retry / delete over ids and filters): one statement per
-- operation, however many jobs match. Every function takes the same filter object:
--   {"ids": [1, 2], "queue": "emails", "task": "send-email", "statuses": ["todo"],
--    "created_from": "2026-01-31T14:00:00Z", "created_to": "...", "text": "order-42", "secret_fields": "passw(or)?d|token",
--    "id_from": 1000, "id_to": 2000, "limit": 5000}
-- where every key is optional and every present key must match; unknown keys are ignored, so a later
-- release can send more. The keys after "statuses" mean what they mean to list_jobs_v2 (510_dashboard_reads.sql),
-- so whatever a list shows can be acted on in bulk: jobs created in [created_from, created_to), whose
-- arguments' JSON text contains "text" (case-insensitive) outside the values of fields whose names match
-- the PostgreSQL regular expression "secret_fields" (case-insensitive; job_args_contain_v1 is the rule),
-- with ids in [id_from, id_to); "limit": only the newest that many of them. A time range is turned into
-- an id range first (job_id_range_v1), so it reads only the jobs of that period; a caller bounds the cost
-- of a text filter with an id range and a limit (a count then stops at the limit). cancel_jobs_v2 and retry_jobs_v2 succeed cancel_job_v1 and retry_job_v1
-- (one job by id); delete_jobs_v1 and count_jobs_v1 are new. Each returns the jobs it changed, with
-- their status afterwards, so cancel, which also stops running jobs, reports both kinds.

-- The ids of the jobs matching p_filter whose status is among p_statuses. Its own function so the four
-- operations share one definition of the filter; plpgsql so the filter's nulls fold away in a custom plan
-- and the status-restricted partial indexes (jobs_queue_fetch_v1, jobs_finished_v1, ...) serve it, instead
-- of a generic plan that scans every finished job to find the waiting ones.
create function matching_jobs_v1(p_filter jsonb, p_statuses text[])
returns table (id bigint)
language plpgsql stable
set search_path from current
set plan_cache_mode to force_custom_plan
set jit to off
as $$
declare
    v_ids      bigint[] := case when p_filter -> 'ids' is not null
                                then array(select jsonb_array_elements_text(p_filter -> 'ids')::bigint) end;
    v_queue    text     := p_filter ->> 'queue';
    v_task     text     := p_filter ->> 'task';
    v_statuses text[]   := p_statuses;
    v_cfrom    timestamptz := (p_filter ->> 'created_from')::timestamptz;
    v_cto      timestamptz := (p_filter ->> 'created_to')::timestamptz;
    v_text     text     := lower(nullif(p_filter ->> 'text', ''));
    v_secret   text     := nullif(p_filter ->> 'secret_fields', '');
    v_from     bigint   := (p_filter ->> 'id_from')::bigint;
    v_to       bigint   := (p_filter ->> 'id_to')::bigint;
    v_limit    bigint   := (p_filter ->> 'limit')::bigint;
    v_first    bigint;
    v_last     bigint;
begin
    if p_filter -> 'statuses' is not null then
        v_statuses := array(select s from jsonb_array_elements_text(p_filter -> 'statuses') s
                            where p_statuses is null or s = any (p_statuses));
        if exists (select 1 from jsonb_array_elements_text(p_filter -> 'statuses') s
                   where s not in ('todo', 'doing', 'succeeded', 'failed', 'cancelled')) then
            raise exception 'unknown job status in %: expected todo, doing, succeeded, failed or cancelled', p_filter -> 'statuses'
                using errcode = '22023';
        end if;
    end if;
    if v_cfrom is not null or v_cto is not null then
        select r.first_id, r.last_id into v_first, v_last from job_id_range_v1(p_filter) r;
        if v_first is null then
            return;
        end if;
        v_from := greatest(v_from, v_first);
        v_to := least(v_to, v_last + 1);
    end if;
    return query
    select j.id from jobs j
    where (v_statuses is null or j.status = any (v_statuses))
      and (v_ids is null or j.id = any (v_ids))
      and (v_queue is null or j.queue = v_queue)
      and (v_task is null or j.task = v_task)
      and (v_from is null or j.id >= v_from)
      and (v_to is null or j.id < v_to)
      and (v_cfrom is null or j.created_at >= v_cfrom)
      and (v_cto is null or j.created_at < v_cto)
      and (v_text is null or (strpos(lower(j.args::text), v_text) > 0 and job_args_contain_v1(j.args, v_text, v_secret)))
    order by case when v_limit is not null then j.id end desc
    limit v_limit;
end;
$$;

-- How many jobs match p_filter (without "statuses": in any status). What a bulk command shows before
-- it asks for confirmation.
create function count_jobs_v1(p_filter jsonb) returns bigint
language sql stable
set search_path from current
as $$
    select count(*) from matching_jobs_v1(p_filter, null)
$$;

-- Cancels the jobs matching p_filter: a waiting (todo) job becomes cancelled, finished at p_now; a
-- running (doing) one gets an abort request for its current attempt (210_abort_requests.sql), so the
-- worker holding it stops it and it ends cancelled, unless it finishes first. p_request: {"by": who
-- asks, for the record}; unknown keys are ignored. Asking again keeps the first request and announces
-- it again. One NOTIFY on the aborts channel per worker (and 200 jobs). Returns the jobs with their
-- status afterwards: cancelled, or doing for a job whose abort was requested.
create function cancel_jobs_v2(p_filter jsonb, p_request jsonb, p_now timestamptz)
returns table (id bigint, status text)
language sql
set search_path from current
as $$
    with changed as (
        update jobs j
        set status        = case when j.status = 'todo' then 'cancelled' else j.status end,
            finished_at   = case when j.status = 'todo' then p_now else j.finished_at end,
            -- A doing job not started yet (a claim, started_at null) will run as attempt attempts + 1.
            abort_request = case when j.status = 'todo'
                                   or abort_applies_v1(j.abort_request, j.attempts + (j.started_at is null)::integer)
                                 then j.abort_request
                                 else jsonb_build_object('at', p_now, 'by', p_request ->> 'by',
                                                         'attempt', j.attempts + (j.started_at is null)::integer) end
        from matching_jobs_v1(p_filter, array['todo', 'doing']) m
        where j.id = m.id and j.status in ('todo', 'doing')
        returning j.id, j.status, j.worker_id),
    announced as (
        select pg_notify(aborts_channel_v1(), jsonb_build_object('worker_id', chunk.worker_id, 'job_ids', chunk.ids)::text)
        from (select r.worker_id, jsonb_agg(r.id order by r.id) as ids
              from (select c.id, c.worker_id, (row_number() over (partition by c.worker_id order by c.id) - 1) / 200 as part
                    from changed c where c.status = 'doing') r
              group by r.worker_id, r.part) as chunk)
    select changed.id, changed.status
    from changed
    where (select count(*) from announced) >= 0
$$;

-- Puts the failed and cancelled jobs matching p_filter back to todo at p_at (null: p_now), allowing one
-- more attempt each, as retry_job_v1 does. One NOTIFY per queue that got due jobs. Returns the jobs.
create function retry_jobs_v2(p_filter jsonb, p_at timestamptz, p_now timestamptz)
returns table (id bigint, status text)
language plpgsql
set search_path from current
as $$
declare
    v_ids      bigint[];
    v_statuses text[];
    v_queues   text[];
begin
    with retried as (
        update jobs j
        set status = 'todo', scheduled_at = coalesce(p_at, p_now), finished_at = null, worker_id = null,
            max_attempts = greatest(j.max_attempts, j.attempts + 1)
        from matching_jobs_v1(p_filter, array['failed', 'cancelled']) m
        where j.id = m.id and j.status in ('failed', 'cancelled')
        returning j.id, j.status, j.queue)
    select array_agg(r.id), array_agg(r.status), array_agg(distinct r.queue) into v_ids, v_statuses, v_queues
    from retried r;
    if coalesce(p_at, p_now) <= p_now then
        perform pg_notify(jobs_channel_v1(), q.queue) from unnest(v_queues) q(queue);
    end if;
    return query select u.id, u.status from unnest(v_ids, v_statuses) u(id, status);
end;
$$;

-- Deletes the jobs matching p_filter that no worker holds: waiting (todo) or finished, never doing.
-- Returns the deleted jobs with the status they had.
create function delete_jobs_v1(p_filter jsonb)
returns table (id bigint, status text)
language sql
set search_path from current
as $$
    delete from jobs j
    using matching_jobs_v1(p_filter, array['todo', 'succeeded', 'failed', 'cancelled']) m
    where j.id = m.id and j.status <> 'doing'
    returning j.id, j.status
$$;
