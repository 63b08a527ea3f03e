-- postpone:phase pre
-- Reads of the dashboard (and of anything else that must stay fast on a table of millions of jobs):
-- each one's cost is bounded by a window or a cap the caller passes, never by the table's size. None
-- counts finished jobs exactly: estimated_jobs_v1 says "about", job_activity_v1 samples. JIT is off for
-- each: their plans' cost estimates (a LIMIT the planner cannot see through) would start JIT compilation,
-- which took longer than the query itself (2 s instead of 50 ms at 10 million rows).

-- The interval of job ids [first_id, last_id] that can hold jobs created in [p_filter "created_from",
-- "created_to") (both optional, ISO timestamps): ids are given out in creation order, so the bounds are
-- found by bisection on the primary key (about 2 x 24 probes at 10 million rows), not by a scan.
-- created_at is the defer transaction's start, so bounds are widened by five minutes: a job whose
-- transaction ran longer than that can be missed at the very edge of a range. Null ids: no jobs.
create function job_id_range_v1(p_filter jsonb)
returns table (first_id bigint, last_id bigint)
language plpgsql stable
set search_path from current
set jit to off
as $$
declare
    v_margin constant interval := interval '5 minutes';
    v_from timestamptz := (p_filter ->> 'created_from')::timestamptz;
    v_to   timestamptz := (p_filter ->> 'created_to')::timestamptz;
    v_min  bigint;
    v_max  bigint;
    v_lo   bigint;
    v_hi   bigint;
    v_mid  bigint;
    v_id   bigint;
    v_at   timestamptz;
    v_bound timestamptz;
begin
    select j.id into v_min from jobs j order by j.id limit 1;
    select j.id into v_max from jobs j order by j.id desc limit 1;
    if v_min is null then
        return query select null::bigint, null::bigint;
        return;
    end if;
    first_id := v_min;
    last_id := v_max;
    -- Two bisections for "the first id created at or after the bound".
    foreach v_bound in array array[v_from - v_margin, v_to + v_margin] loop
        continue when v_bound is null;
        v_lo := v_min;
        v_hi := v_max + 1;
        while v_lo < v_hi loop
            v_mid := v_lo + (v_hi - v_lo) / 2;
            select j.id, j.created_at into v_id, v_at from jobs j where j.id >= v_mid order by j.id limit 1;
            if v_id is null or v_at >= v_bound then
                v_hi := v_mid;
            else
                v_lo := v_id + 1;
            end if;
        end loop;
        if v_bound = v_from - v_margin then
            first_id := v_lo;
        else
            last_id := v_lo - 1;
        end if;
    end loop;
    return query select first_id, last_id;
end;
$$;

-- The filters' "text" rule, shared by list_jobs_v2 and the bulk changes (matching_jobs_v1): the
-- arguments' JSON text contains p_text (given in lower case), case-insensitive, outside the values of the
-- object fields whose names match p_secret_fields (a PostgreSQL regular expression, case-insensitive), at
-- any depth: in the text a dashboard shows, where those values read "[secret]". So neither a list nor a
-- bulk count can be used to guess a secret. Flat arguments (no nested object or array, not even a brace or
-- bracket in a string: the usual case) are masked by one jsonb concatenation; otherwise each secret
-- entry's text is replaced where it stands (jsonb prints a value inside its parent as it prints it alone),
-- outer entries first (the path lists them so), so a secret inside a secret goes with its parent.
-- No SET clause, and nothing but built-ins: it runs once per candidate row, and a SET (search_path
-- included) costs a configuration save and restore per call, which made a bulk count 20 times slower.
create function job_args_contain_v1(p_args jsonb, p_text text, p_secret_fields text) returns boolean
language plpgsql immutable
as $$
declare
    v_text  text := p_args::text;
    v_entry jsonb;
begin
    if strpos(lower(v_text), p_text) = 0 then
        return false;
    end if;
    if p_secret_fields is null then
        return true;
    end if;
    if jsonb_typeof(p_args) = 'object' and strpos(substr(v_text, 2), '{') = 0 and strpos(v_text, '[') = 0 then
        v_text := (p_args || coalesce((select jsonb_object_agg(k, '[secret]'::text) from jsonb_object_keys(p_args) k
                                       where k ~* p_secret_fields), '{}'::jsonb))::text;
    else
        for v_entry in select e from jsonb_path_query(p_args, 'strict $.** ? (@.type() == "object").keyvalue()') e
                       where e ->> 'key' ~* p_secret_fields loop
            v_text := replace(v_text, to_jsonb(v_entry ->> 'key')::text || ': ' || (v_entry -> 'value')::text,
                              to_jsonb(v_entry ->> 'key')::text || ': "[secret]"');
        end loop;
    end if;
    return strpos(lower(v_text), p_text) > 0;
end;
$$;

-- Jobs with ids in [p_filter "id_from", "id_to") matching every other key present, newest first, at most
-- "limit" (default 100, at most 1000). Keys: "queue", "task", "statuses": [..], "created_from",
-- "created_to", "text" (a substring of the arguments' JSON text, case-insensitive, outside the values of
-- the fields "secret_fields" names: job_args_contain_v1). The same keys select the jobs of a bulk change
-- (matching_jobs_v1), so what a list shows can be acted on. The id window bounds
-- the work whatever the filter: a caller pages by moving the window down (see JobAdmin.search). The
-- error trace is left out (get_job_v1 has it); the abort request is in (a list shows "stop requested"
-- on a running job whose current attempt someone asked to stop, abort_applies_v1); unknown keys are ignored.
create function list_jobs_v2(p_filter jsonb)
returns table (
    id bigint, queue text, task text, args jsonb, status text, priority integer, scheduled_at timestamptz,
    lock text, queueing_lock text, attempts integer, max_attempts integer, worker_id bigint,
    created_at timestamptz, started_at timestamptz, finished_at timestamptz, last_error text, abort_request jsonb)
language plpgsql stable
set search_path from current
set jit to off
set plan_cache_mode to force_custom_plan
as $$
declare
    v_from     bigint      := (p_filter ->> 'id_from')::bigint;
    v_to       bigint      := (p_filter ->> 'id_to')::bigint;
    v_queue    text        := p_filter ->> 'queue';
    v_task     text        := p_filter ->> 'task';
    v_statuses text[]      := case when jsonb_typeof(p_filter -> 'statuses') = 'array'
                                   then array(select jsonb_array_elements_text(p_filter -> 'statuses')) end;
    v_cfrom    timestamptz := (p_filter ->> 'created_from')::timestamptz;
    v_cto      timestamptz := (p_filter ->> 'created_to')::timestamptz;
    v_text     text        := lower(nullif(p_filter ->> 'text', ''));
    v_secret   text        := nullif(p_filter ->> 'secret_fields', '');
    v_limit    integer     := least(greatest(coalesce((p_filter ->> 'limit')::integer, 100), 1), 1000);
begin
    if v_from is null or v_to is null then
        raise exception 'list_jobs_v2: id_from and id_to are required (job_id_range_v1 gives the bounds)'
            using errcode = '22023';
    end if;
    return query
    select j.id, j.queue, j.task, j.args, j.status, j.priority, j.scheduled_at, j.lock, j.queueing_lock,
           j.attempts, j.max_attempts, j.worker_id, j.created_at, j.started_at, j.finished_at, j.last_error,
           j.abort_request
    from jobs j
    where j.id >= v_from and j.id < v_to
      and (v_statuses is null or j.status = any (v_statuses))
      and (v_queue is null or j.queue = v_queue)
      and (v_task is null or j.task = v_task)
      and (v_cfrom is null or j.created_at >= v_cfrom)
      and (v_cto is null or j.created_at < v_cto)
      and (v_text is null or (strpos(lower(j.args::text), v_text) > 0 and job_args_contain_v1(j.args, v_text, v_secret)))
    order by j.id desc
    limit v_limit;
end;
$$;

-- The running jobs, longest running first, at most p_params "limit" (default 500). Their number is
-- bounded by the workers' concurrency; jobs_worker_v1 holds exactly them.
create function running_jobs_v1(p_params jsonb)
returns table (
    id bigint, queue text, task text, args jsonb, status text, priority integer, scheduled_at timestamptz,
    lock text, queueing_lock text, attempts integer, max_attempts integer, worker_id bigint,
    created_at timestamptz, started_at timestamptz, finished_at timestamptz, last_error text, abort_request jsonb)
language sql stable
set search_path from current
set jit to off
as $$
    select j.id, j.queue, j.task, j.args, j.status, j.priority, j.scheduled_at, j.lock, j.queueing_lock,
           j.attempts, j.max_attempts, j.worker_id, j.created_at, j.started_at, j.finished_at, j.last_error,
           j.abort_request
    from jobs j
    where j.status = 'doing'
    order by j.started_at, j.id
    limit least(greatest(coalesce((p_params ->> 'limit')::integer, 500), 1), 10000)
$$;

-- Per queue: waiting jobs due at p_now, scheduled (due later), running, and the due time of the oldest
-- waiting job. Waiting and scheduled are counted up to p_params "cap" (default 10000): a count above
-- the cap means "more than cap". Queues are those with waiting or running jobs plus p_params "queues"
-- (e.g. the ones workers serve or that finished jobs lately), so an idle queue can be listed too.
create function queue_overview_v1(p_params jsonb, p_now timestamptz)
returns table (queue text, waiting bigint, scheduled bigint, running bigint, oldest_due_at timestamptz)
language plpgsql stable
set search_path from current
set jit to off
as $$
declare
    v_cap bigint := least(greatest(coalesce((p_params ->> 'cap')::bigint, 10000), 1), 1000000);
begin
    return query
    with recursive todo_queues(queue) as (
        (select j.queue from jobs j where j.status = 'todo' order by j.queue limit 1)
        union all
        select (select j.queue from jobs j where j.status = 'todo' and j.queue > t.queue order by j.queue limit 1)
        from todo_queues t where t.queue is not null),
    doing as (
        select j.queue, count(*) as running from jobs j where j.status = 'doing' group by j.queue),
    named as (
        select q.queue from todo_queues q where q.queue is not null
        union select d.queue from doing d
        union select e from jsonb_array_elements_text(coalesce(p_params -> 'queues', '[]'::jsonb)) e)
    select n.queue,
           (select count(*) from (select 1 from jobs j where j.status = 'todo' and j.queue = n.queue
                                    and j.scheduled_at <= p_now limit v_cap + 1) w),
           (select count(*) from (select 1 from jobs j where j.status = 'todo' and j.queue = n.queue
                                    and j.scheduled_at > p_now limit v_cap + 1) s),
           coalesce((select d.running from doing d where d.queue = n.queue), 0),
           (select j.scheduled_at from jobs j where j.status = 'todo' and j.queue = n.queue
              and j.scheduled_at <= p_now order by j.scheduled_at limit 1)
    from named n
    order by n.queue;
end;
$$;

-- Throughput and wait before start per minute and queue over the last p_params "minutes" (default 60,
-- at most 1440) before p_now: jobs that finished (succeeded, failed) in each minute, and the 50th and
-- 95th percentile of started_at - scheduled_at in milliseconds among them. Each minute reads at most
-- p_params "sample" (default 500) finished jobs through jobs_finished_v1, in finishing order; a minute
-- that has more is extrapolated from the time its sample spans, and says so (estimated). Aggregating
-- inside each minute keeps every sort at sample size. Minutes without finished jobs have no row.
create function job_activity_v1(p_params jsonb, p_now timestamptz)
returns table (minute timestamptz, queue text, succeeded bigint, failed bigint, estimated boolean,
               wait_p50_ms double precision, wait_p95_ms double precision)
language plpgsql stable
set search_path from current
set jit to off
as $$
declare
    v_minutes integer := least(greatest(coalesce((p_params ->> 'minutes')::integer, 60), 1), 1440);
    v_sample  integer := least(greatest(coalesce((p_params ->> 'sample')::integer, 500), 10), 100000);
begin
    return query
    with minutes as (
        select m as starts, least(m + interval '1 minute', p_now) as ends
        from generate_series(date_trunc('minute', p_now) - make_interval(mins => v_minutes - 1),
                             date_trunc('minute', p_now), interval '1 minute') m),
    per as (
        select mi.starts, mi.ends, g.queue, g.total, g.n, g.last_finished, g.succeeded, g.failed, g.p50, g.p95
        from minutes mi
        cross join lateral (
            select s.queue, grouping(s.queue) as total,
                   count(*) as n, max(s.finished_at) as last_finished,
                   count(*) filter (where s.status = 'succeeded') as succeeded,
                   count(*) filter (where s.status = 'failed') as failed,
                   percentile_cont(0.5) within group (order by s.wait) filter (where s.status <> 'cancelled') as p50,
                   percentile_cont(0.95) within group (order by s.wait) filter (where s.status <> 'cancelled') as p95
            from (select j.queue, j.status, j.finished_at,
                         extract(epoch from j.started_at - j.scheduled_at)::double precision * 1000 as wait
                  from jobs j
                  where j.status in ('succeeded', 'failed', 'cancelled')
                    and j.finished_at >= mi.starts and j.finished_at < mi.ends
                  order by j.finished_at
                  limit v_sample) s
            group by grouping sets ((s.queue), ())) g),
    scale as (
        select p.starts,
               case when p.n >= v_sample and p.last_finished > p.starts
                    then extract(epoch from p.ends - p.starts) / extract(epoch from p.last_finished - p.starts)
                    else 1.0 end as factor
        from per p where p.total = 1)
    select p.starts, p.queue, round(p.succeeded * s.factor)::bigint, round(p.failed * s.factor)::bigint,
           s.factor > 1.0, p.p50, p.p95
    from per p join scale s on s.starts = p.starts
    where p.total = 0 and p.succeeded + p.failed > 0
    order by p.starts, p.queue;
end;
$$;

-- About how many jobs the table holds, from the planner's statistics (pg_class.reltuples, kept by
-- autovacuum and analyze): what a dashboard shows instead of count(*) over millions of finished jobs.
-- Null before the table was first analysed.
create function estimated_jobs_v1()
returns bigint
language sql stable
set search_path from current
set jit to off
as $$
    select case when c.reltuples >= 0 then c.reltuples::bigint end
    from pg_class c where c.oid = 'jobs'::regclass
$$;
