-- postpone:phase pre
-- Aborting a running job. Cancelling a doing job (cancel_jobs_v2) records an abort request on it and
-- announces it on the aborts channel; the worker holding the job interrupts its handler and reports
-- the attempt cancelled, unless the handler finished first (its real outcome then stands). Workers
-- also poll abort_requests_v1 while they run jobs, so a notification they missed delays an abort by
-- one poll at most.
--
-- The request belongs to the attempt it was made for ("attempt" = the job's attempts counter then, plus
-- one for a job claimed but not started yet: the attempt it will start as, 600_job_starts.sql): a
-- 1.0.0 worker knows nothing of it and may put the job back to todo (a retry), and the job's next
-- attempt must then run normally, not be stopped by a request made for the previous one. The column,
-- jobs.abort_request, comes from 200_job_columns.sql.

-- Whether an abort request applies to the attempt now running (or just ended): the one rule the
-- functions below and complete_jobs_v2 share.
create function abort_applies_v1(p_abort_request jsonb, p_attempts integer) returns boolean
language sql immutable
set search_path from current
as $$ select coalesce((p_abort_request ->> 'attempt')::integer = p_attempts, false) $$;

-- Channel on which abort requests are announced. Payload: {"worker_id": 5, "job_ids": [1, 2]}, at most
-- 200 ids per notification (the payload limit is 8000 bytes). One channel per schema, as jobs_channel_v1.
create function aborts_channel_v1() returns text
language sql stable
set search_path from current
as $$ select 'postpone_aborts_' || md5(current_schema()) $$;

-- The running jobs of the given workers whose current attempt someone asked to stop. p_params:
-- {"worker_ids": [5, 7]}; unknown keys are ignored. Cheap: jobs_worker_v1 holds only doing jobs.
create function abort_requests_v1(p_params jsonb)
returns table (id bigint, worker_id bigint, requested_at timestamptz, requested_by text)
language sql stable
set search_path from current
as $$
    select j.id, j.worker_id, (j.abort_request ->> 'at')::timestamptz, j.abort_request ->> 'by'
    from jobs j
    where j.status = 'doing'
      and j.worker_id = any (array(select w::bigint from jsonb_array_elements_text(p_params -> 'worker_ids') w))
      and j.abort_request is not null
      -- A claimed job not started yet (started_at null) will run as attempt attempts + 1.
      and abort_applies_v1(j.abort_request, j.attempts + (j.started_at is null)::integer)
    order by j.id
$$;
