-- postpone:phase pre
-- A claim is not a start. fetch_jobs_v2 makes a job doing for the worker without counting an attempt
-- (started_at null); the worker records the starts of its handlers here, in batches on the
-- completer's connection, and a short job's start travels with its outcome instead (complete_jobs_v2
-- counts it in the row update that writes the outcome: one update per job). So the rescue and the hand-backs can tell a job that ran from one that only
-- waited in a worker's prefetch buffer: the latter goes back to todo with no attempt spent.
--
-- p_starts: [{"id", "worker_id", "started_at"}], unknown keys ignored. Counts the attempt (attempts + 1) and sets started_at, only for jobs still doing for the
-- given worker whose start is not recorded yet: sending a start twice, or after its outcome, changes
-- nothing. Entries without "started_at" are skipped (an attempt that never started). p_now is unused
-- (the worker's start time is what counts); it keeps the signature of the other 1.1.0 writes.
-- Returns the jobs whose start was recorded.
create function start_jobs_v1(p_starts jsonb, p_now timestamptz)
returns table (id bigint)
language sql
set search_path from current
as $$
    update jobs j
    set attempts = j.attempts + 1, started_at = s.started_at
    from jsonb_to_recordset(p_starts) as s(id bigint, worker_id bigint, started_at timestamptz)
    where j.id = s.id and s.started_at is not null
      and j.status = 'doing' and j.worker_id = s.worker_id and j.started_at is null
    returning j.id
$$;
