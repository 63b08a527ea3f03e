-- postpone:phase post
-- 1.1.0 workers complete attempts with complete_jobs_v2 (attempt history, results, abort requests), and
-- 1.1.0 clients cancel with cancel_jobs_v2 (which also aborts running jobs) and list with list_jobs_v2.
-- Once no 1.0.0 worker or client is alive (the post guard checks), nothing calls these. Dropping
-- functions locks no table, so this step never waits on running workers.

drop function complete_jobs_v1(bigint, bigint[], text[], timestamptz[], text[], text[]);
drop function cancel_job_v1(bigint);
drop function list_jobs_v1(text, text, text, text, timestamptz, timestamptz, bigint, integer);
