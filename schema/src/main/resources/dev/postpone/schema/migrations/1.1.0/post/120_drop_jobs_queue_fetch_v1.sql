-- postpone:phase post
-- postpone:transactional false
-- Only fetch_jobs_v1 read this index (fetch_jobs_v2 uses jobs_fetch_v2 and jobs_lock_fetch_v2).
drop index concurrently jobs_queue_fetch_v1;
