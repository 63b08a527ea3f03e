-- postpone:phase pre
-- Deletes one batch of finished jobs past their retention, oldest first within each status, and
-- returns how many. Each status is a range scan of jobs_finished_v2 (status, finished_at), so the
-- cost of a batch does not grow with the finished jobs the retention keeps. Rows another session
-- holds are skipped, so several workers' cleaners share the work without waiting on one another.
--
-- p_params: {"older_than_ms", "statuses": ["succeeded", "failed", "cancelled" (any of)],
-- "batch_size"}; unknown keys are ignored. p_now: the time retention is counted from (null = now()).
create function delete_finished_jobs_v2(p_params jsonb, p_now timestamptz)
returns integer
language plpgsql
set search_path from current
as $$
declare
    v_before  timestamptz := coalesce(p_now, now())
                             - make_interval(secs => (p_params ->> 'older_than_ms')::numeric / 1000);
    v_left    integer     := (p_params ->> 'batch_size')::integer;
    v_status  text;
    v_deleted integer;
    v_total   integer     := 0;
begin
    if jsonb_typeof(p_params -> 'statuses') is distinct from 'array'
       or jsonb_array_length(p_params -> 'statuses') = 0
       or exists (select 1 from jsonb_array_elements_text(p_params -> 'statuses') s(status)
                  where s.status not in ('succeeded', 'failed', 'cancelled')) then
        raise exception 'delete_finished_jobs_v2: statuses must be among succeeded, failed, cancelled'
            using errcode = '22023';
    end if;
    if v_before is null or v_left is null or v_left < 1 then
        raise exception 'delete_finished_jobs_v2: older_than_ms and a positive batch_size are required'
            using errcode = '22023';
    end if;
    for v_status in select distinct s.status from jsonb_array_elements_text(p_params -> 'statuses') s(status) loop
        exit when v_left <= 0;
        -- The repeated status list lets a generic plan prove jobs_finished_v2's predicate.
        with doomed as (
            select j.id from jobs j
            where j.status = v_status
              and j.status in ('succeeded', 'failed', 'cancelled')
              and j.finished_at < v_before
            order by j.finished_at
            limit v_left
            for update skip locked)
        delete from jobs j using doomed where j.id = doomed.id;
        get diagnostics v_deleted = row_count;
        v_total := v_total + v_deleted;
        v_left := v_left - v_deleted;
    end loop;
    return v_total;
end;
$$;
