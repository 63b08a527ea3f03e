-- postpone:phase pre
-- postpone:transactional false
-- fetch_jobs_v2's path to jobs without a lock: per queue and priority, due jobs first by due time, so
-- a range scan "scheduled_at <= now" stops at the first job scheduled for later however many follow.
-- Jobs with a lock are not in it: they are reached through their lock's head (jobs_lock_todo_v1).
create index concurrently jobs_fetch_v2 on jobs (queue, priority desc, scheduled_at, id)
    where status = 'todo' and lock is null;
