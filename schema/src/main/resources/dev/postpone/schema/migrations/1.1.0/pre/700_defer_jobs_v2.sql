-- postpone:phase pre
-- Deferral with one JSON object per job, and a refused queueing lock reported by Postpone's own
-- SQLSTATE rather than by the server's unique-violation text (translated under lc_messages).
--
-- p_jobs: [{"queue", "task", "args", "priority", "scheduled_at", "lock", "queueing_lock",
-- "max_attempts"}, ...]; "queue" and "task" are required, the rest take the defaults of
-- defer_jobs_v1; unknown keys are ignored, so a later release can send more. p_now: the time a job
-- without "scheduled_at" is scheduled at and due jobs are compared with (null = now()).
-- Returns the new ids in input order.
--
-- SQLSTATEs raised (class PP is Postpone's; also listed in contracts/1.1.0.contract):
--   PP001 queueing_lock_taken: a job of the batch has a queueing lock that a waiting job already holds
--         (or that an earlier job of the same batch has). Nothing of the batch is inserted. DETAIL is
--         JSON, {"queueing_lock": <the value>, "job": <its 1-based position in p_jobs>}; CONSTRAINT
--         names jobs_queueing_lock_v1. The MESSAGE is English text for people, not for parsing.
--
-- Batches without a queueing lock take a plain insert. Batches with one insert with ON CONFLICT DO
-- NOTHING on jobs_queueing_lock_v1 (no subtransaction: the caller's transaction may defer many times)
-- and compare what was inserted with what was asked; the raise undoes the whole statement.
create function defer_jobs_v2(p_jobs jsonb, p_now timestamptz)
returns table (id bigint)
language plpgsql
set search_path from current
as $$
declare
    v_now     timestamptz := coalesce(p_now, now());
    v_ids     bigint[];
    v_lock    text;
    v_job     bigint;
begin
    if jsonb_typeof(p_jobs) is distinct from 'array' then
        raise exception 'defer_jobs_v2: p_jobs must be a JSON array of job objects' using errcode = '22023';
    end if;

    perform pg_notify(jobs_channel_v1(), due.queue)
    from (select distinct u.queue
          from jsonb_to_recordset(p_jobs) as u(queue text, scheduled_at timestamptz)
          where u.scheduled_at is null or u.scheduled_at <= v_now) as due;

    if not jsonb_path_exists(p_jobs, '$[*].queueing_lock ? (@ != null)') then
        return query
        insert into jobs as j (queue, task, args, priority, scheduled_at, lock, queueing_lock, max_attempts)
        select u.queue, u.task, coalesce(u.args, '{}'::jsonb), coalesce(u.priority, 0),
               coalesce(u.scheduled_at, v_now), u.lock, null, coalesce(u.max_attempts, 1)
        from jsonb_to_recordset(p_jobs)
             as u(queue text, task text, args jsonb, priority integer, scheduled_at timestamptz, lock text,
                  max_attempts integer)
        returning j.id;
        return;
    end if;

    with inserted as (
        insert into jobs as j (queue, task, args, priority, scheduled_at, lock, queueing_lock, max_attempts)
        select u.queue, u.task, coalesce(u.args, '{}'::jsonb), coalesce(u.priority, 0),
               coalesce(u.scheduled_at, v_now), u.lock, u.queueing_lock, coalesce(u.max_attempts, 1)
        from jsonb_to_recordset(p_jobs)
             as u(queue text, task text, args jsonb, priority integer, scheduled_at timestamptz, lock text,
                  queueing_lock text, max_attempts integer)
        on conflict (queueing_lock) where status = 'todo' and queueing_lock is not null do nothing
        returning j.id)
    -- Ids are given out in insertion order, which is input order.
    select coalesce(array_agg(i.id order by i.id), '{}') into v_ids from inserted i;
    if cardinality(v_ids) = jsonb_array_length(p_jobs) then
        return query select unnest(v_ids);
        return;
    end if;

    -- Refused: the first job whose queueing lock an earlier job of the batch has, or a waiting job
    -- other than the ones just inserted holds (committed: ON CONFLICT waited for its transaction).
    select u.queueing_lock, u.ord into v_lock, v_job
    from jsonb_array_elements(p_jobs) with ordinality as e(job, ord),
         lateral (select e.job ->> 'queueing_lock' as queueing_lock, e.ord) as u
    where u.queueing_lock is not null
      and (exists (select 1 from jsonb_array_elements(p_jobs) with ordinality as p(job, ord)
                   where p.ord < u.ord and p.job ->> 'queueing_lock' = u.queueing_lock)
           or exists (select 1 from jobs t
                      where t.status = 'todo' and t.queueing_lock = u.queueing_lock and t.id <> all (v_ids)))
    order by u.ord
    limit 1;
    raise exception 'queueing lock % is taken: a job with it is already waiting; nothing was deferred',
            coalesce(quote_literal(v_lock), '(unknown)')
        using errcode = 'PP001',
              detail = jsonb_build_object('queueing_lock', v_lock, 'job', v_job)::text,
              constraint = 'jobs_queueing_lock_v1',
              table = 'jobs';
end;
$$;
