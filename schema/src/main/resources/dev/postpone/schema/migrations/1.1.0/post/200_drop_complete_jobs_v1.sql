-- postpone:phase post
-- 1.1.0 workers complete attempts with complete_jobs_v2 (attempt history, results, abort requests); once
-- no 1.0.0 worker is alive (the post guard checks), nothing calls complete_jobs_v1. Dropping a function
-- locks no table, so this step never waits on running workers. (cancel_job_v1 and list_jobs_v1, which
-- 1.1.0 no longer calls either, stay: 1.0.0 applications, which never register, may still call them.)

drop function complete_jobs_v1(bigint, bigint[], text[], timestamptz[], text[], text[]);
