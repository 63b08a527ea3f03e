-- postpone:phase post
-- 1.1.0 workers register, heartbeat and rescue through the _v2 functions (liveness lock); once no
-- 1.0.0 worker is alive (the post guard checks), nothing calls the _v1 ones. unregister_worker_v1
-- stays: a 1.0.0 worker still running when post is forced drains and unregisters with it, handing
-- its jobs back at once rather than after the stalled threshold. Dropping functions locks no table,
-- so this step never waits on running workers.

drop function register_worker_v1(text, text, bigint, text, text[], integer);
drop function heartbeat_worker_v1(bigint);
drop function rescue_stalled_jobs_v1(interval);
