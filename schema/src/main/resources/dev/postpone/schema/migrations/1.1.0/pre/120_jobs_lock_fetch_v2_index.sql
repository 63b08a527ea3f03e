-- postpone:phase pre
-- postpone:transactional false
-- fetch_jobs_v2's path to the heads of many locks in priority order (used when there are too many
-- distinct locks waiting to visit each one).
create index concurrently jobs_lock_fetch_v2 on jobs (priority desc, id)
    where status = 'todo' and lock is not null;
