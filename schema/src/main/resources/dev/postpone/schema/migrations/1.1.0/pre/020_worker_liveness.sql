-- postpone:phase pre
-- Liveness of 1.1.0 workers: each holds a session advisory lock (taken by heartbeat_worker_v2 on the
-- worker's long-lived housekeeping connection). PostgreSQL releases it the moment that session ends
-- (kill -9, crash, lost connection), so other workers rescue its jobs within seconds instead of after
-- the stalled threshold; the heartbeat threshold stays the fallback for a session left half-open, and
-- the only rule for 1.0.0 workers, which hold no lock (their rows have lock_class null).

alter table workers
    add column lock_class    integer,
    add column stalled_after interval;

comment on column workers.lock_class is 'Advisory lock (lock_class, id) the worker holds while alive; null for 1.0.0 workers.';

-- The first key of the workers' advisory locks: one per schema, so two installations in one database
-- never mistake each other's workers, and apart from the migrator's lock. (No "<schema>." in the text: verify
-- compares bodies with the schema name replaced, which would then differ from a scratch install.)
-- (The text avoids "<schema>.": verify compares bodies with that spelling replaced by a placeholder.)
create function worker_lock_class_v1() returns integer
language sql immutable
set search_path from current
as $$ select (abs(hashtext('postpone-worker-lock:' || current_schema())::bigint) % 2147483647)::integer $$;

-- The second key: the worker id, folded into the int4 range the two-key advisory lock takes.
create function worker_lock_key_v1(p_worker_id bigint) returns integer
language sql immutable
set search_path from current
as $$ select (p_worker_id % 2147483647)::integer $$;

-- The one liveness rule, used by the rescuer (who is dead) and by the migrator's post guard (who is
-- alive). A worker is dead when its heartbeat is older than its stalled_after (p_params
-- "default_stalled_after_ms" for rows without one), or when it holds a lock class but its lock is free
-- and its heartbeat is older than "lock_grace_ms" (the grace lets a worker whose session was cut, e.g.
-- by a server restart, reconnect and take its lock again before anyone rescues its jobs).
create function worker_liveness_v1(p_params jsonb, p_now timestamptz)
returns table (id bigint, alive boolean, reason text)
language sql stable
set search_path from current
as $$
    select w.id,
           not (stale or lock_lost),
           case when stale then format('no heartbeat for more than %s', threshold)
                when lock_lost then 'its database session ended (liveness lock released)'
           end
    from workers w
    cross join lateral (select coalesce(w.stalled_after,
                                        make_interval(secs => (p_params ->> 'default_stalled_after_ms')::numeric / 1000)) as threshold) t
    cross join lateral (select w.last_heartbeat < p_now - t.threshold as stale) s
    cross join lateral (
        select w.lock_class is not null
           and w.last_heartbeat < p_now - make_interval(secs => coalesce((p_params ->> 'lock_grace_ms')::numeric, 1500) / 1000)
           and not exists (select 1 from pg_locks l
                           where l.locktype = 'advisory' and l.granted and l.objsubid = 2
                             and l.database = (select d.oid from pg_database d where d.datname = current_database())
                             and l.classid = w.lock_class::oid and l.objid = worker_lock_key_v1(w.id)::oid) as lock_lost) k
$$;

-- Registers a worker; returns its id. p_worker: {"name", "host", "pid", "version", "queues": [..] or
-- null, "concurrency", "stalled_after_ms", "liveness_lock": true|false}; unknown keys are ignored. With
-- "liveness_lock" the worker promises to hold its lock from its first heartbeat on (within the lock
-- grace of registering); without it (e.g. behind a transaction-pooling PgBouncer) only the heartbeat
-- threshold tells it is dead.
create function register_worker_v2(p_worker jsonb, p_now timestamptz) returns bigint
language sql
set search_path from current
as $$
    insert into workers (name, host, pid, release, queues, concurrency, started_at, last_heartbeat, lock_class, stalled_after)
    values (p_worker ->> 'name', p_worker ->> 'host', (p_worker ->> 'pid')::bigint, p_worker ->> 'version',
            case when jsonb_typeof(p_worker -> 'queues') = 'array'
                 then array(select jsonb_array_elements_text(p_worker -> 'queues')) end,
            (p_worker ->> 'concurrency')::integer, p_now, p_now,
            case when coalesce((p_worker ->> 'liveness_lock')::boolean, false) then worker_lock_class_v1() end,
            make_interval(secs => (p_worker ->> 'stalled_after_ms')::numeric / 1000))
    returning workers.id
$$;

-- Records a heartbeat and, for a worker registered with a liveness lock, makes sure the calling session
-- holds it (taken at the first heartbeat, and again after a reconnect). Call it from the one session the
-- worker keeps for this. False when the worker is no longer registered (declared dead, its jobs
-- rescued): the caller must register again.
create function heartbeat_worker_v2(p_worker_id bigint, p_now timestamptz) returns boolean
language plpgsql
set search_path from current
as $$
declare
    v_lock_class integer;
begin
    update workers set last_heartbeat = p_now where workers.id = p_worker_id
    returning workers.lock_class into v_lock_class;
    if not found then
        return false;
    end if;
    if v_lock_class is not null and not exists (
            select 1 from pg_locks l
            where l.locktype = 'advisory' and l.granted and l.pid = pg_backend_pid() and l.objsubid = 2
              and l.classid = v_lock_class::oid and l.objid = worker_lock_key_v1(p_worker_id)::oid) then
        perform pg_try_advisory_lock(v_lock_class, worker_lock_key_v1(p_worker_id));
    end if;
    return true;
end;
$$;

-- Unregisters a worker: its jobs still doing go back to todo at once (attempt not counted: shutdown
-- interrupted them, not their own failure; a job claimed but never started counted none to take back), and the calling session releases the worker's liveness
-- lock (call it on the session that heartbeats). Returns how many jobs were released.
create function unregister_worker_v2(p_worker_id bigint, p_now timestamptz) returns integer
language plpgsql
set search_path from current
as $$
declare
    v_released integer;
begin
    perform pg_notify(jobs_channel_v1(), held.queue)
    from (select distinct j.queue from jobs j where j.status = 'doing' and j.worker_id = p_worker_id) as held;
    update jobs
    set status = 'todo', worker_id = null, scheduled_at = p_now,
        attempts = case when jobs.started_at is null then jobs.attempts else greatest(jobs.attempts - 1, 0) end
    where jobs.status = 'doing' and jobs.worker_id = p_worker_id;
    get diagnostics v_released = row_count;
    delete from workers where workers.id = p_worker_id;
    if exists (select 1 from pg_locks l
               where l.locktype = 'advisory' and l.granted and l.pid = pg_backend_pid() and l.objsubid = 2
                 and l.classid = worker_lock_class_v1()::oid and l.objid = worker_lock_key_v1(p_worker_id)::oid) then
        perform pg_advisory_unlock(worker_lock_class_v1(), worker_lock_key_v1(p_worker_id));
    end if;
    return v_released;
end;
$$;

-- Deletes the workers the liveness rule declares dead (never p_params "self", the caller) and rescues
-- the jobs they, or any worker no longer registered, held: back to todo with the attempt counted, or
-- failed when out of attempts. A job claimed but never started (a 1.1.0 claim whose start was not
-- recorded, started_at null: see 130_fetch_jobs_v2.sql) goes back to todo as it was: no attempt spent,
-- no error recorded, whatever its max_attempts; its reason says so. Returns what the log line and the metric need, from the same statement.
-- p_params: {"self", "default_stalled_after_ms", "lock_grace_ms"}.
create function rescue_stalled_jobs_v2(p_params jsonb, p_now timestamptz)
returns table (id bigint, task text, queue text, status text, attempts integer, max_attempts integer,
               worker_id bigint, reason text)
language plpgsql
set search_path from current
as $$
begin
    return query
    with dead as (
        delete from workers w
        using worker_liveness_v1(p_params, p_now) l
        where w.id = l.id and not l.alive and w.id is distinct from (p_params ->> 'self')::bigint
        returning w.id, l.reason),
    stalled as (
        select j.id, j.worker_id as old_worker_id, j.started_at is null as never_started,
               j.started_at is not null and j.attempts >= j.max_attempts as out_of_attempts,
               coalesce((select d.reason from dead d where d.id = j.worker_id), 'it is no longer registered') as reason
        from jobs j
        where j.status = 'doing'
          and (j.worker_id in (select dead.id from dead)
               or not exists (select 1 from workers w where w.id = j.worker_id))
        for update of j skip locked)
    update jobs j
    set status           = case when stalled.out_of_attempts then 'failed' else 'todo' end,
        finished_at      = case when stalled.out_of_attempts then p_now end,
        scheduled_at     = case when stalled.out_of_attempts then j.scheduled_at else p_now end,
        worker_id        = null,
        last_error       = case when stalled.never_started then j.last_error
                                else format('worker %s died: %s', stalled.old_worker_id, stalled.reason) end,
        last_error_trace = case when stalled.never_started then j.last_error_trace end
    from stalled
    where j.id = stalled.id
    returning j.id, j.task, j.queue, j.status, j.attempts, j.max_attempts, stalled.old_worker_id,
              case when stalled.never_started then stalled.reason || '; it had not started, so no attempt was counted'
                   else stalled.reason end;
end;
$$;
