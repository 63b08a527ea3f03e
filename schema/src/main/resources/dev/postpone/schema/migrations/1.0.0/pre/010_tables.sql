-- postpone:phase pre
-- Tables of release 1.0.0. Job status is text + CHECK rather than an enum so later releases can add
-- states without ALTER TYPE ... ADD VALUE (which cannot be used in the transaction that adds it).

create table jobs (
    id               bigint      generated always as identity primary key,
    queue            text        not null,
    task             text        not null,
    args             jsonb       not null default '{}'::jsonb,
    status           text        not null default 'todo',
    priority         integer     not null default 0,
    scheduled_at     timestamptz not null default now(),
    lock             text,
    queueing_lock    text,
    attempts         integer     not null default 0,
    max_attempts     integer     not null default 1,
    worker_id        bigint,
    created_at       timestamptz not null default now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    last_error       text,
    last_error_trace text,
    constraint jobs_status_check check (status in ('todo', 'doing', 'succeeded', 'failed', 'cancelled')),
    constraint jobs_queue_check check (length(queue) between 1 and 128),
    constraint jobs_task_check check (length(task) between 1 and 256),
    constraint jobs_attempts_check check (attempts >= 0 and max_attempts >= 1)
) with (fillfactor = 85);

comment on table jobs is 'Postpone jobs. Read and write through the _vN functions only.';

create table workers (
    id             bigint      generated always as identity primary key,
    name           text        not null,
    host           text        not null,
    pid            bigint,
    release        text        not null,
    queues         text[],
    concurrency    integer,
    started_at     timestamptz not null default now(),
    last_heartbeat timestamptz not null default now()
) with (fillfactor = 50);

comment on table workers is 'Live Postpone worker processes and the library release each runs.';

-- One row per periodic task (and key): the last cron tick deferred. A tick is deferred by whichever
-- worker advances last_tick first, so it is deferred once across any number of workers.
create table periodic_runs (
    task      text        not null,
    key       text        not null default '',
    last_tick timestamptz not null,
    job_id    bigint,
    primary key (task, key)
);
