-- postpone:phase pre
-- Run-time functions of release 1.0.0. Released _v1 functions never change: a change is a new _v2
-- added in a later pre step, and _v1 is dropped in a post step once no worker calls it.
-- "set search_path from current" pins each function to the schema the migrator installs into,
-- whatever the caller's search_path is.

-- Channel on which job availability is announced (payload: the queue name). One channel per schema,
-- named from a hash so it stays within PostgreSQL's 63-byte identifier limit for any schema name.
create function jobs_channel_v1() returns text
language sql stable
set search_path from current
as $$ select 'postpone_jobs_' || md5(current_schema()) $$;

-- Defers a batch of jobs (one job is a batch of one) and returns their ids in input order.
-- Arrays are parallel; null elements take the column defaults. One NOTIFY per queue with due jobs.
create function defer_jobs_v1(
    p_queues         text[],
    p_tasks          text[],
    p_args           jsonb[],
    p_priorities     integer[],
    p_scheduled_at   timestamptz[],
    p_locks          text[],
    p_queueing_locks text[],
    p_max_attempts   integer[])
returns table (id bigint)
language plpgsql
set search_path from current
as $$
begin
    perform pg_notify(jobs_channel_v1(), due.queue)
    from (select distinct u.queue
          from unnest(p_queues, p_scheduled_at) as u(queue, scheduled_at)
          where u.scheduled_at is null or u.scheduled_at <= now()) as due;

    return query
    insert into jobs as j (queue, task, args, priority, scheduled_at, lock, queueing_lock, max_attempts)
    select u.queue, u.task, coalesce(u.args, '{}'::jsonb), coalesce(u.priority, 0),
           coalesce(u.scheduled_at, now()), u.lock, u.queueing_lock, coalesce(u.max_attempts, 1)
    from unnest(p_queues, p_tasks, p_args, p_priorities, p_scheduled_at, p_locks, p_queueing_locks, p_max_attempts)
         with ordinality as u(queue, task, args, priority, scheduled_at, lock, queueing_lock, max_attempts, ord)
    order by u.ord
    returning j.id;
end;
$$;

-- Claims up to p_limit due jobs for a worker (p_queues null = all queues), highest priority first,
-- then oldest. A job with a lock is only eligible when no job of that lock is doing and no earlier
-- job (priority, then id) of that lock is waiting: locks run one at a time and in order.
-- The claim commits without waiting for the WAL flush (synchronous_commit off for this transaction
-- only): a claim lost in a server crash puts its jobs back to todo, so they run again, which
-- at-least-once delivery allows. Outcomes (complete_jobs_v1) and deferrals stay synchronous, and
-- their flush also makes every earlier claim durable. Call it in its own transaction.
create function fetch_jobs_v1(p_worker_id bigint, p_queues text[], p_limit integer)
returns table (
    id            bigint,
    queue         text,
    task          text,
    args          jsonb,
    priority      integer,
    lock          text,
    queueing_lock text,
    attempts      integer,
    max_attempts  integer,
    scheduled_at  timestamptz,
    created_at    timestamptz,
    started_at    timestamptz)
language plpgsql
set search_path from current
as $$
begin
    perform set_config('synchronous_commit', 'off', true);
    if p_queues is null then
        return query
        with candidates as (
            select c.id
            from jobs c
            where c.status = 'todo'
              and c.scheduled_at <= now()
              and (c.lock is null or (
                    not exists (select 1 from jobs d where d.lock = c.lock and d.status = 'doing')
                and not exists (select 1 from jobs e
                                where e.lock = c.lock and e.status = 'todo'
                                  and (e.priority > c.priority or (e.priority = c.priority and e.id < c.id)))))
            order by c.priority desc, c.id
            limit p_limit
            for update skip locked)
        update jobs j
        set status = 'doing', worker_id = p_worker_id, attempts = j.attempts + 1, started_at = now()
        from candidates
        where j.id = candidates.id
        returning j.id, j.queue, j.task, j.args, j.priority, j.lock, j.queueing_lock,
                  j.attempts, j.max_attempts, j.scheduled_at, j.created_at, j.started_at;
    else
        return query
        with candidates as (
            select c.id
            from jobs c
            where c.status = 'todo'
              and c.queue = any (p_queues)
              and c.scheduled_at <= now()
              and (c.lock is null or (
                    not exists (select 1 from jobs d where d.lock = c.lock and d.status = 'doing')
                and not exists (select 1 from jobs e
                                where e.lock = c.lock and e.status = 'todo'
                                  and (e.priority > c.priority or (e.priority = c.priority and e.id < c.id)))))
            order by c.priority desc, c.id
            limit p_limit
            for update skip locked)
        update jobs j
        set status = 'doing', worker_id = p_worker_id, attempts = j.attempts + 1, started_at = now()
        from candidates
        where j.id = candidates.id
        returning j.id, j.queue, j.task, j.args, j.priority, j.lock, j.queueing_lock,
                  j.attempts, j.max_attempts, j.scheduled_at, j.created_at, j.started_at;
    end if;
end;
$$;

-- Writes the outcomes of many jobs in one statement. p_outcomes: 'succeeded' | 'failed' | 'cancelled'
-- | 'retry' (back to todo at p_retry_at, default now). Only jobs still doing for this worker change:
-- a job rescued from this worker meanwhile is not completed twice. Returns the jobs that changed.
-- Notifies the queues of waiting jobs whose lock a finished job freed, and of retries due now.
create function complete_jobs_v1(
    p_worker_id bigint,
    p_ids       bigint[],
    p_outcomes  text[],
    p_retry_at  timestamptz[],
    p_errors    text[],
    p_traces    text[])
returns table (id bigint, status text)
language plpgsql
set search_path from current
as $$
begin
    if exists (select 1 from unnest(p_outcomes) as o(outcome)
               where o.outcome is null or o.outcome not in ('succeeded', 'failed', 'cancelled', 'retry')) then
        raise exception 'complete_jobs_v1: outcome must be succeeded, failed, cancelled or retry'
            using errcode = '22023';
    end if;

    if 'retry' = any (p_outcomes) then
        perform pg_notify(jobs_channel_v1(), due.queue)
        from (select distinct j.queue
              from jobs j
              join unnest(p_ids, p_outcomes, p_retry_at) as u(id, outcome, retry_at) on u.id = j.id
              where u.outcome = 'retry' and (u.retry_at is null or u.retry_at <= now())) as due;
    end if;

    return query
    with done as (
        update jobs j
        set status           = case when u.outcome = 'retry' then 'todo' else u.outcome end,
            scheduled_at     = case when u.outcome = 'retry' then coalesce(u.retry_at, now()) else j.scheduled_at end,
            worker_id        = case when u.outcome = 'retry' then null else j.worker_id end,
            finished_at      = case when u.outcome = 'retry' then null else now() end,
            last_error       = coalesce(u.error, j.last_error),
            last_error_trace = case when u.error is null then j.last_error_trace else u.trace end
        from unnest(p_ids, p_outcomes, p_retry_at, p_errors, p_traces) as u(id, outcome, retry_at, error, trace)
        where j.id = u.id and j.status = 'doing' and j.worker_id = p_worker_id
        returning j.id, j.status, j.lock),
    -- A finished job frees its lock: announce the queues of the jobs waiting for it, so whichever
    -- worker serves them starts the next one now rather than at its next poll.
    lock_freed as (
        select pg_notify(jobs_channel_v1(), waiting.queue)
        from (select distinct t.queue
              from jobs t
              where t.status = 'todo' and t.scheduled_at <= now()
                and t.lock in (select d.lock from done d where d.lock is not null)) as waiting)
    select done.id, done.status
    from done
    where (select count(*) from lock_freed) >= 0;
end;
$$;

-- Cancels a waiting job. Returns the job's status afterwards ('cancelled' when it was waiting),
-- or null when there is no such job. Running jobs are not touched in 1.0.0.
create function cancel_job_v1(p_id bigint) returns text
language plpgsql
set search_path from current
as $$
declare
    v_status text;
begin
    update jobs set status = 'cancelled', finished_at = now()
    where jobs.id = p_id and jobs.status = 'todo';
    select jobs.status into v_status from jobs where jobs.id = p_id;
    return v_status;
end;
$$;

-- Puts a failed or cancelled job back to todo (at p_at, default now), allowing one more attempt.
-- Returns the job's status afterwards, or null when there is no such job.
create function retry_job_v1(p_id bigint, p_at timestamptz) returns text
language plpgsql
set search_path from current
as $$
declare
    v_status text;
    v_queue  text;
begin
    update jobs
    set status = 'todo', scheduled_at = coalesce(p_at, now()), finished_at = null, worker_id = null,
        max_attempts = greatest(jobs.max_attempts, jobs.attempts + 1)
    where jobs.id = p_id and jobs.status in ('failed', 'cancelled')
    returning jobs.queue into v_queue;
    if v_queue is not null and coalesce(p_at, now()) <= now() then
        perform pg_notify(jobs_channel_v1(), v_queue);
    end if;
    select jobs.status into v_status from jobs where jobs.id = p_id;
    return v_status;
end;
$$;

-- Registers a worker process; returns its id.
create function register_worker_v1(
    p_name text, p_host text, p_pid bigint, p_release text, p_queues text[], p_concurrency integer)
returns bigint
language sql
set search_path from current
as $$
    insert into workers (name, host, pid, release, queues, concurrency)
    values (p_name, p_host, p_pid, p_release, p_queues, p_concurrency)
    returning id
$$;

-- Records a heartbeat. False when the worker is no longer registered (it was declared dead and its
-- jobs were rescued): the caller must register again.
create function heartbeat_worker_v1(p_worker_id bigint) returns boolean
language plpgsql
set search_path from current
as $$
begin
    update workers set last_heartbeat = now() where workers.id = p_worker_id;
    return found;
end;
$$;

-- Unregisters a worker: its jobs still doing go back to todo at once (the attempt is not counted,
-- the job was interrupted by shutdown, not by its own failure). Returns how many jobs were released.
create function unregister_worker_v1(p_worker_id bigint) returns integer
language plpgsql
set search_path from current
as $$
declare
    v_released integer;
begin
    perform pg_notify(jobs_channel_v1(), held.queue)
    from (select distinct j.queue from jobs j where j.status = 'doing' and j.worker_id = p_worker_id) as held;
    update jobs
    set status = 'todo', worker_id = null, attempts = greatest(jobs.attempts - 1, 0), scheduled_at = now()
    where jobs.status = 'doing' and jobs.worker_id = p_worker_id;
    get diagnostics v_released = row_count;
    delete from workers where workers.id = p_worker_id;
    return v_released;
end;
$$;

-- Deletes workers whose heartbeat is older than p_stalled_after and rescues the jobs they (or any
-- worker no longer registered) held: back to todo with the attempt counted, or failed when out of
-- attempts. Safe to run from every worker at once. Returns the rescued jobs.
create function rescue_stalled_jobs_v1(p_stalled_after interval)
returns table (id bigint, status text, worker_id bigint)
language plpgsql
set search_path from current
as $$
begin
    return query
    with dead as (
        delete from workers w where w.last_heartbeat < now() - p_stalled_after returning w.id),
    stalled as (
        select j.id, j.worker_id as old_worker_id
        from jobs j
        where j.status = 'doing'
          and (j.worker_id in (select dead.id from dead)
               or not exists (select 1 from workers w where w.id = j.worker_id))
        for update of j skip locked)
    update jobs j
    set status           = case when j.attempts >= j.max_attempts then 'failed' else 'todo' end,
        finished_at      = case when j.attempts >= j.max_attempts then now() end,
        scheduled_at     = case when j.attempts >= j.max_attempts then j.scheduled_at else now() end,
        worker_id        = null,
        last_error       = format('worker %s stopped heartbeating (stalled for more than %s)',
                                  stalled.old_worker_id, p_stalled_after),
        last_error_trace = null
    from stalled
    where j.id = stalled.id
    returning j.id, j.status, stalled.old_worker_id;
end;
$$;

-- Defers the job of one periodic tick, once across all workers: only the caller that advances
-- periodic_runs.last_tick to p_tick defers. Returns the job id, or null when the tick was already
-- deferred (or when the job's queueing lock is taken; the tick still counts as handled).
create function defer_periodic_job_v1(
    p_task text, p_key text, p_tick timestamptz, p_queue text, p_args jsonb, p_priority integer,
    p_lock text, p_queueing_lock text, p_max_attempts integer)
returns bigint
language plpgsql
set search_path from current
as $$
declare
    v_job_id bigint;
begin
    insert into periodic_runs as r (task, key, last_tick)
    values (p_task, coalesce(p_key, ''), p_tick)
    on conflict (task, key) do update set last_tick = excluded.last_tick
        where r.last_tick < excluded.last_tick;
    if not found then
        return null;
    end if;

    insert into jobs (queue, task, args, priority, scheduled_at, lock, queueing_lock, max_attempts)
    values (p_queue, p_task, coalesce(p_args, '{}'::jsonb), coalesce(p_priority, 0), now(), p_lock,
            p_queueing_lock, coalesce(p_max_attempts, 1))
    on conflict (queueing_lock) where status = 'todo' and queueing_lock is not null do nothing
    returning jobs.id into v_job_id;

    if v_job_id is not null then
        update periodic_runs set job_id = v_job_id where task = p_task and key = coalesce(p_key, '');
        perform pg_notify(jobs_channel_v1(), p_queue);
    end if;
    return v_job_id;
end;
$$;

-- The last deferred tick of every periodic task, for catch-up decisions after downtime.
create function periodic_last_ticks_v1()
returns table (task text, key text, last_tick timestamptz)
language sql stable
set search_path from current
as $$ select r.task, r.key, r.last_tick from periodic_runs r order by r.task, r.key $$;

-- Deletes up to p_batch_size finished jobs (p_statuses: any of succeeded, failed, cancelled) that
-- finished more than p_older_than ago. Small batches keep locks short; call until it returns 0.
create function delete_finished_jobs_v1(p_older_than interval, p_statuses text[], p_batch_size integer)
returns integer
language plpgsql
set search_path from current
as $$
declare
    v_deleted integer;
begin
    if p_statuses is null or cardinality(p_statuses) = 0
       or exists (select 1 from unnest(p_statuses) s(status)
                  where s.status is null or s.status not in ('succeeded', 'failed', 'cancelled')) then
        raise exception 'delete_finished_jobs_v1: statuses must be among succeeded, failed, cancelled'
            using errcode = '22023';
    end if;
    with doomed as (
        select j.id from jobs j
        where j.status = any (p_statuses)
          and j.status in ('succeeded', 'failed', 'cancelled')
          and j.finished_at < now() - p_older_than
        order by j.finished_at
        limit p_batch_size
        for update skip locked)
    delete from jobs j using doomed where j.id = doomed.id;
    get diagnostics v_deleted = row_count;
    return v_deleted;
end;
$$;

-- One job by id (no row when there is none).
create function get_job_v1(p_id bigint)
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
    from jobs j where j.id = p_id
$$;

-- Jobs matching every non-null filter, newest first; page with p_before_id (the last id seen).
create function list_jobs_v1(
    p_queue text, p_task text, p_status text, p_lock text,
    p_created_from timestamptz, p_created_to timestamptz, p_before_id bigint, p_limit integer)
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
    from jobs j
    where (p_queue is null or j.queue = p_queue)
      and (p_task is null or j.task = p_task)
      and (p_status is null or j.status = p_status)
      and (p_lock is null or j.lock = p_lock)
      and (p_created_from is null or j.created_at >= p_created_from)
      and (p_created_to is null or j.created_at < p_created_to)
      and (p_before_id is null or j.id < p_before_id)
    order by j.id desc
    limit coalesce(p_limit, 100)
$$;

-- Job counts per queue and status (p_statuses null = all statuses). Counting only 'todo' uses the
-- partial fetch index, which keeps queue-depth sampling cheap.
create function queue_counts_v1(p_statuses text[])
returns table (queue text, status text, jobs bigint)
language sql stable
set search_path from current
as $$
    select j.queue, j.status, count(*)
    from jobs j
    where p_statuses is null or j.status = any (p_statuses)
    group by j.queue, j.status
    order by j.queue, j.status
$$;

-- Registered workers, most recent first.
create function list_workers_v1()
returns table (
    id bigint, name text, host text, pid bigint, release text, queues text[], concurrency integer,
    started_at timestamptz, last_heartbeat timestamptz)
language sql stable
set search_path from current
as $$
    select w.id, w.name, w.host, w.pid, w.release, w.queues, w.concurrency, w.started_at, w.last_heartbeat
    from workers w
    order by w.id desc
$$;
