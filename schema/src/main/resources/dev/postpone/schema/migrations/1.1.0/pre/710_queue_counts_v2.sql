-- postpone:phase pre
-- Job counts per queue and status at a cost that does not grow with the finished jobs the table keeps
-- (queue_counts_v1 reads every row: 130 ms at 1 million, and workers sample it every 10 s).
--
-- p_params: {"statuses": [..] (absent, null or empty = all), "exact_pages", "sample_pages"}; unknown
-- keys are ignored. p_now: not read by this version (the one-object-plus-time shape of 1.1.0's
-- functions); waiting counts include jobs scheduled for later, as queue_counts_v1's did.
--
-- * todo and doing: always exact, each read through its partial index (jobs_dashboard_todo_v1 or
--   jobs_queue_fetch_v1, an index-only scan; jobs_worker_v1), so the cost grows with the waiting and
--   running jobs only.
-- * succeeded, failed, cancelled: exact while the table has at most "exact_pages" pages (default
--   1280, 10 MB: a scan of a few milliseconds); above that, estimated from a block sample of about
--   "sample_pages" pages (default 1000: TABLESAMPLE SYSTEM), scaled up, and flagged estimated. The
--   sample is REPEATABLE: the same pages each time (while the table keeps its size), so they stay in
--   the cache and successive calls agree instead of jittering by the sampling error. A queue
--   with few finished jobs among millions may be missing from the estimate or far off: the numbers are
--   for orders of magnitude, not for accounting.
-- Rows are ordered by queue, then status.
create function queue_counts_v2(p_params jsonb, p_now timestamptz)
returns table (queue text, status text, jobs bigint, estimated boolean)
language plpgsql stable
set search_path from current
set jit to off
as $$
declare
    v_statuses text[] := case when jsonb_typeof(p_params -> 'statuses') = 'array'
                                   and jsonb_array_length(p_params -> 'statuses') > 0
                              then array(select jsonb_array_elements_text(p_params -> 'statuses')) end;
    v_todo     boolean := v_statuses is null or 'todo' = any (v_statuses);
    v_doing    boolean := v_statuses is null or 'doing' = any (v_statuses);
    v_finished text[]  := array(select s from unnest(array['succeeded', 'failed', 'cancelled']) s
                                where v_statuses is null or s = any (v_statuses));
    v_exact_pages  bigint := greatest(coalesce((p_params ->> 'exact_pages')::bigint, 1280), 0);
    v_sample_pages bigint := greatest(coalesce((p_params ->> 'sample_pages')::bigint, 1000), 1);
    v_pages    bigint := 0;
    v_sample   boolean := false;
    v_percent  double precision := 100;
begin
    if cardinality(v_finished) > 0 then
        v_pages := pg_relation_size('jobs') / current_setting('block_size')::bigint;
        v_sample := v_pages > v_exact_pages;
        if v_sample then
            v_percent := least(100.0, 100.0 * v_sample_pages / v_pages);
        end if;
    end if;

    return query
    select c.queue, c.status, c.jobs, c.estimated
    from (
        select j.queue, 'todo'::text as status, count(*) as jobs, false as estimated
        from jobs j where v_todo and j.status = 'todo' group by j.queue
        union all
        select j.queue, 'doing'::text, count(*), false
        from jobs j where v_doing and j.status = 'doing' group by j.queue
        union all
        select j.queue, j.status, count(*), false
        from jobs j where not v_sample and j.status = any (v_finished) group by j.queue, j.status
        union all
        select j.queue, j.status, round(count(*) * 100.0 / v_percent)::bigint, true
        from jobs j tablesample system (v_percent) repeatable (0)
        where v_sample and j.status = any (v_finished) group by j.queue, j.status) c
    order by c.queue, c.status;
end;
$$;
