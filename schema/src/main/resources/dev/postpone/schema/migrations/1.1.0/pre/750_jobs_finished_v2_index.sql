-- postpone:phase pre
-- postpone:transactional false
-- delete_finished_jobs_v2's path: finished jobs by status, oldest first. jobs_finished_v1 (finished_at
-- alone) puts the jobs a retention keeps (failed ones by default, forever) at the front of every
-- scan, so each cleaner batch read past all of them; here each status is its own range.
create index concurrently jobs_finished_v2 on jobs (status, finished_at)
    where status in ('succeeded', 'failed', 'cancelled');
