-- postpone:phase pre
-- Claims up to "limit" due jobs for a worker at a cost that does not grow with the jobs it skips
-- (scheduled for later, waiting behind a lock, finished, in other or paused queues).
--
-- p_fetch: {"worker_id", "queues" (array; absent, null or empty = all queues), "limit"}; unknown keys
-- are ignored, so a later release can send more. p_now: the time due jobs are compared with
-- (null = the database's now(), what workers pass; tests pass a time).
--
-- Order: highest priority first, then the job due longest, then id. A job with a lock is eligible
-- only when it is the lock's head (its first waiting job by priority, then id, whatever its queue or
-- schedule) and no job of the lock is doing: the same rule as fetch_jobs_v1, which 1.0.0 workers
-- keep calling on the same rows (jobs_lock_doing_v1 settles races between the two: a lost race is
-- caught here, and the loser claims its jobs without a lock only; see the end).
--
-- How the cost stays bounded:
-- * Jobs without a lock: the queues are visited one by one (paused ones skipped), and within a queue
--   each priority present, through jobs_fetch_v2 (queue, priority desc, scheduled_at, id): a range
--   scan up to p_now reads only due jobs. Cost: one probe per queue and priority level, plus the
--   jobs returned.
-- * Jobs with a lock: the head of each lock is one probe of jobs_lock_todo_v1 (lock, priority desc,
--   id), so a chain of 100 000 jobs costs one probe, busy or free. With more distinct waiting locks
--   than max_lock_probes, the heads are found instead in priority order through jobs_lock_fetch_v2.
-- * Candidates are chosen first without row locks, then claimed per source with FOR UPDATE SKIP
--   LOCKED, so concurrent fetchers skip one another's rows instead of colliding on the same ten.
-- A claim is not a start: the job becomes doing for the worker with attempts unchanged and
-- started_at null; start_jobs_v1 (or the outcome, through complete_jobs_v2) counts the attempt when
-- the handler really starts, so a job that a dead worker claimed but never started goes back without
-- spending one (600_job_starts.sql). The result's
-- "attempts" is the attempts made so far (the claimed attempt, once started, is attempts + 1), and
-- "started_at" the time of the claim on the database's clock (what the worker measures waits from).
-- The claim commits without waiting for the WAL flush, as fetch_jobs_v1's does (see there why).
-- Call it in its own transaction.
create function fetch_jobs_v2(p_fetch jsonb, p_now timestamptz)
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
declare
    -- Distinct waiting locks visited one by one before switching to the priority-order path.
    max_lock_probes  constant integer := 32;
    -- Rows read in priority order looking for heads of free locks before visiting every lock.
    lock_scan_budget constant integer := 100;
    v_worker   bigint      := (p_fetch ->> 'worker_id')::bigint;
    v_limit    integer     := (p_fetch ->> 'limit')::integer;
    v_now      timestamptz := coalesce(p_now, now());
    v_all      boolean     := jsonb_typeof(p_fetch -> 'queues') is distinct from 'array'
                              or jsonb_array_length(p_fetch -> 'queues') = 0;
    v_paused   text[]      := array(select p.queue from queue_pauses p);
    v_queues   text[];
    v_queue    text;
    v_src_q    text[]      := '{}';
    v_src_p    integer[]   := '{}';
    v_src_k    integer[];
    v_levels   integer[];
    v_heads    bigint[]    := '{}';
    v_head_p   integer[]   := '{}';
    v_head_s   timestamptz[] := '{}';
    v_locks    bigint;
    v_cap      integer;
    v_busy     text[];
    v_ids      bigint[];
    v_constraint text;
begin
    perform set_config('synchronous_commit', 'off', true);
    if v_limit is null or v_limit < 1 then
        return;
    end if;

    -- The queues served and not paused (all: the queues that have waiting jobs without a lock).
    if v_all then
        with recursive qs(queue) as (
            (select j.queue from jobs j where j.status = 'todo' and j.lock is null order by j.queue limit 1)
            union all
            select (select j.queue from jobs j
                    where j.status = 'todo' and j.lock is null and j.queue > qs.queue order by j.queue limit 1)
            from qs where qs.queue is not null)
        select coalesce(array_agg(qs.queue), '{}') into v_queues
        from qs where qs.queue is not null and qs.queue <> all (v_paused);
    else
        select coalesce(array_agg(distinct q.queue), '{}') into v_queues
        from jsonb_array_elements_text(p_fetch -> 'queues') as q(queue)
        where q.queue <> all (v_paused);
        if cardinality(v_queues) = 0 then
            return;
        end if;
    end if;

    -- Sources of jobs without a lock: each (queue, priority level) present.
    foreach v_queue in array v_queues loop
        with recursive lv(priority) as (
            (select j.priority from jobs j
             where j.status = 'todo' and j.lock is null and j.queue = v_queue
             order by j.priority desc limit 1)
            union all
            select (select j.priority from jobs j
                    where j.status = 'todo' and j.lock is null and j.queue = v_queue and j.priority < lv.priority
                    order by j.priority desc limit 1)
            from lv where lv.priority is not null)
        select coalesce(array_agg(lv.priority), '{}') into v_levels
        from lv where lv.priority is not null;
        v_src_q := v_src_q || array_fill(v_queue, array[cardinality(v_levels)]);
        v_src_p := v_src_p || v_levels;
    end loop;

    -- Eligible lock heads. Locks that are busy (a job doing) are few, at most the jobs running.
    v_busy := array(select j.lock from jobs j where j.status = 'doing' and j.lock is not null);
    -- 1. Few distinct waiting locks: visit each lock's head, one probe per lock however long its chain.
    v_cap := max_lock_probes;
    loop
        with recursive heads as (
            (select 1 as n, j.lock, j.id, j.priority, j.scheduled_at, j.queue from jobs j
             where j.status = 'todo' and j.lock is not null
             order by j.lock, j.priority desc, j.id limit 1)
            union all
            select h.n + 1, nx.lock, nx.id, nx.priority, nx.scheduled_at, nx.queue
            from heads h, lateral (
                select j.lock, j.id, j.priority, j.scheduled_at, j.queue from jobs j
                where j.status = 'todo' and j.lock is not null and j.lock > h.lock
                order by j.lock, j.priority desc, j.id limit 1) nx
            where h.n <= v_cap),
        eligible as (
            select h.id, h.priority, h.scheduled_at from heads h
            where h.n <= v_cap
              and h.scheduled_at <= v_now
              and h.lock <> all (v_busy)
              and (case when v_all then h.queue <> all (v_paused) else h.queue = any (v_queues) end)
            order by h.priority desc, h.id
            limit v_limit)
        select (select max(h.n) from heads h),
               coalesce(array_agg(e.id), '{}'), coalesce(array_agg(e.priority), '{}'),
               coalesce(array_agg(e.scheduled_at), '{}')
        into v_locks, v_heads, v_head_p, v_head_s
        from eligible e;
        exit when v_locks is null or v_locks <= v_cap or v_cap > max_lock_probes;

        -- 2. Many locks: the first jobs in priority order that head a free lock (cheap when chains
        --    are short), within a budget of rows read.
        with scan as (
            select c.id, c.lock, c.priority, c.scheduled_at, c.queue from jobs c
            where c.status = 'todo' and c.lock is not null
            order by c.priority desc, c.id
            limit lock_scan_budget + v_limit),
        eligible as (
            select c.id, c.priority, c.scheduled_at from scan c
            where c.scheduled_at <= v_now
              and c.lock <> all (v_busy)
              and (case when v_all then c.queue <> all (v_paused) else c.queue = any (v_queues) end)
              and c.id = (select e.id from jobs e where e.lock = c.lock and e.status = 'todo'
                          order by e.priority desc, e.id limit 1)
            order by c.priority desc, c.id
            limit v_limit)
        select (select count(*) from scan),
               coalesce(array_agg(e.id), '{}'), coalesce(array_agg(e.priority), '{}'),
               coalesce(array_agg(e.scheduled_at), '{}')
        into v_locks, v_heads, v_head_p, v_head_s
        from eligible e;
        exit when v_locks < lock_scan_budget + v_limit or cardinality(v_heads) = v_limit;

        -- 3. Many locks and long chains: visit every lock (cost grows with locks, never with jobs).
        v_cap := 2147483646;
    end loop;

    if cardinality(v_src_q) = 0 and cardinality(v_heads) = 0 then
        return;
    end if;

    -- How many to take from each source: the best v_limit candidates of all, read without locking.
    if cardinality(v_src_q) = 1 and cardinality(v_heads) = 0 then
        v_src_k := array[v_limit];
    else
        with src as (
            select s.queue, s.priority, s.n from unnest(v_src_q, v_src_p) with ordinality as s(queue, priority, n)),
        cand as (
            select s.n, c.priority, c.scheduled_at, c.id from src s
            cross join lateral (
                select j.priority, j.scheduled_at, j.id from jobs j
                where j.status = 'todo' and j.lock is null and j.queue = s.queue and j.priority = s.priority
                  and j.scheduled_at <= v_now
                order by j.scheduled_at, j.id limit v_limit) c
            union all
            select 0, h.priority, h.scheduled_at, h.id from unnest(v_heads, v_head_p, v_head_s) as h(id, priority, scheduled_at)),
        best as (
            select cand.n, cand.id from cand order by cand.priority desc, cand.scheduled_at, cand.id limit v_limit)
        select array(select count(b.n) filter (where b.n = s.n) from src s left join best b on b.n = s.n
                     group by s.n order by s.n),
               array(select b.id from best b where b.n = 0)
        into v_src_k, v_heads
        from (select 1) as one;
    end if;

    -- Lock the chosen rows (skipping ones another fetch holds), then claim them by id.
    with src as (
        select s.queue, s.priority, s.k from unnest(v_src_q, v_src_p, v_src_k) as s(queue, priority, k) where s.k > 0)
    select array(
        select c.id from src s
        cross join lateral (
            select j.id from jobs j
            where j.status = 'todo' and j.lock is null and j.queue = s.queue and j.priority = s.priority
              and j.scheduled_at <= v_now
            order by j.scheduled_at, j.id limit s.k
            for update skip locked) c
        union all
        select h.id from (
            select j.id from jobs j where j.id = any (v_heads) and j.status = 'todo' and j.lock is not null
            for update skip locked) h)
    into v_ids;

    if cardinality(v_heads) = 0 then
        return query
        update jobs j
        set status = 'doing', worker_id = v_worker, started_at = null
        where j.id = any (v_ids)
        returning j.id, j.queue, j.task, j.args, j.priority, j.lock, j.queueing_lock,
                  j.attempts, j.max_attempts, j.scheduled_at, j.created_at, now();
        return;
    end if;
    -- Lock heads: a concurrent fetch (fetch_jobs_v1, or one that saw another head) may have claimed
    -- another job of the same lock, and jobs_lock_doing_v1 refuses this claim with a unique violation.
    -- Caught by its constraint (one subtransaction, only when heads are claimed): the jobs without a
    -- lock are claimed alone, the heads wait for the next fetch. The ids are collected first and the
    -- rows returned after, so a claim undone by the catch is never half returned.
    begin
        with claimed as (
            update jobs j
            set status = 'doing', worker_id = v_worker, started_at = null
            where j.id = any (v_ids)
            returning j.id)
        select coalesce(array_agg(c.id), '{}') into v_ids from claimed c;
    exception when unique_violation then
        get stacked diagnostics v_constraint = constraint_name;
        if v_constraint is distinct from 'jobs_lock_doing_v1' then
            raise;
        end if;
        with claimed as (
            update jobs j
            set status = 'doing', worker_id = v_worker, started_at = null
            where j.id = any (v_ids) and j.lock is null
            returning j.id)
        select coalesce(array_agg(c.id), '{}') into v_ids from claimed c;
    end;
    return query
    select j.id, j.queue, j.task, j.args, j.priority, j.lock, j.queueing_lock,
           j.attempts, j.max_attempts, j.scheduled_at, j.created_at, now()
    from jobs j where j.id = any (v_ids);
end;
$$;
