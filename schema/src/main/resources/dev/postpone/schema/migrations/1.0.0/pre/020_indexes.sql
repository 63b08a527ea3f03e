-- postpone:phase pre
-- Partial indexes only: each serves the fetch path, a lock rule, or retention.
-- (Plain CREATE INDEX is fine here: the tables were created empty in the previous step.)

-- Fetch across all queues, in priority-then-id order.
create index jobs_fetch_v1 on jobs (priority desc, id) where status = 'todo';
-- Fetch for a queue filter; without it a worker of one queue would scan other queues' backlogs.
create index jobs_queue_fetch_v1 on jobs (queue, priority desc, id) where status = 'todo';
-- Lock rule: at most one doing job per lock (also the lookup "is this lock busy?").
create unique index jobs_lock_doing_v1 on jobs (lock) where status = 'doing' and lock is not null;
-- Lock rule: "is there an earlier waiting job with this lock?".
create index jobs_lock_todo_v1 on jobs (lock, priority desc, id) where status = 'todo' and lock is not null;
-- Queueing lock: at most one waiting job per value.
create unique index jobs_queueing_lock_v1 on jobs (queueing_lock) where status = 'todo' and queueing_lock is not null;
-- Rescue and shutdown: the running jobs of a worker.
create index jobs_worker_v1 on jobs (worker_id) where status = 'doing';
-- Retention: finished jobs by age, so the cleaner deletes in small batches without scanning the table.
create index jobs_finished_v1 on jobs (finished_at) where status in ('succeeded', 'failed', 'cancelled');
