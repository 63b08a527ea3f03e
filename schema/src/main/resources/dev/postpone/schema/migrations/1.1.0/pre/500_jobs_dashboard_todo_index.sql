-- postpone:phase pre
-- postpone:transactional false
-- The dashboard's path to waiting jobs per queue: the list of queues that have waiting jobs (a loose
-- index scan, one probe per queue), and per queue the due and the scheduled jobs as two ranges of
-- scheduled_at, counted up to a cap, and the oldest due job. The fetch indexes are ordered by priority
-- and exclude locked jobs (fetch_jobs_v2's), so neither answers "how many are due, since when" without
-- reading the whole backlog. Costs one index entry per defer and per fetch; finished jobs leave it.
create index concurrently jobs_dashboard_todo_v1 on jobs (queue, scheduled_at) where status = 'todo';
