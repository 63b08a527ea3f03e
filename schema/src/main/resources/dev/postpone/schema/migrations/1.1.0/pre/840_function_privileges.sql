-- postpone:phase pre
-- The privilege model of 1.1.0: applications and workers may run as a role that holds no privilege on
-- the tables, only EXECUTE on the contract's functions (postpone schema grant gives exactly that). So
-- every function from 1.1.0 on runs as its owner (security definer) with a fixed search_path: the
-- schema, then pg_temp last, so a caller's temporary objects can never stand in for ours. And none is
-- callable by PUBLIC: a role gets EXECUTE by grant only.
-- 1.0.0's functions stay as they are (released objects never change): 1.0.0 workers run as the owner,
-- and 1.1.0 no longer calls any of them directly (800_owner_entry_points.sql).
-- This is the last pre step of 1.1.0 and sweeps every function it finds, so functions added by earlier
-- steps need no clause of their own; FunctionPrivilegesTest names any function a later step adds
-- without these settings. ALTER and REVOKE only update pg_proc rows: no lock a running worker waits on.
do $$
declare
    v_schema   text := current_schema();
    v_function regprocedure;
begin
    for v_function in
        select p.oid::regprocedure
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = v_schema and p.prokind in ('f', 'p')
          and p.proname <> all (array[
              -- Every function 1.0.0 created (1.0.0/pre/030_functions.sql), frozen with that release.
              'jobs_channel_v1', 'defer_jobs_v1', 'fetch_jobs_v1', 'complete_jobs_v1', 'cancel_job_v1',
              'retry_job_v1', 'register_worker_v1', 'heartbeat_worker_v1', 'unregister_worker_v1',
              'rescue_stalled_jobs_v1', 'defer_periodic_job_v1', 'periodic_last_ticks_v1',
              'delete_finished_jobs_v1', 'get_job_v1', 'list_jobs_v1', 'queue_counts_v1', 'list_workers_v1'])
        order by p.oid
    loop
        execute format('alter routine %s security definer set search_path = %I, pg_temp', v_function, v_schema);
        execute format('revoke execute on routine %s from public', v_function);
    end loop;
end;
$$;
