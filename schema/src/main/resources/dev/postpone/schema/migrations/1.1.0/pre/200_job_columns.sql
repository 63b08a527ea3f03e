-- postpone:phase pre
-- The columns of release 1.1.0's abort requests (210_abort_requests.sql) and attempt history and
-- results (220_attempt_history.sql), added in one statement so the jobs table is locked once: nullable,
-- without defaults, so adding them changes the catalog only (no rewrite, milliseconds under the lock).
-- 1.0.0's functions neither read nor write them.

alter table jobs
    add column abort_request jsonb,
    add column attempts_log  jsonb,
    add column result        jsonb;

comment on column jobs.abort_request is
    'Who asked to stop the job while it ran, and when: {"at", "by", "attempt"}; applies while attempts = attempt.';
comment on column jobs.attempts_log is
    'Attempts, oldest first: [{"attempt", "worker_id", "worker", "started_at", "finished_at", "outcome", "error", "trace", "note"}];'
    ' the newest 100 are kept, stack traces for the newest 20.';
comment on column jobs.result is 'What the handler returned (JSON), for succeeded jobs; at most 64 KiB, written by the worker.';
