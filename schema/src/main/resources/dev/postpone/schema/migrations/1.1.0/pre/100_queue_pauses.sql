-- postpone:phase pre
-- Paused queues, fleet-wide: fetch_jobs_v2 skips a queue that has a row here (one probe per fetch,
-- never a scan of its backlog). 1.0.0 workers (fetch_jobs_v1) do not read this table.

create table queue_pauses (
    queue     text        primary key,
    paused_at timestamptz not null,
    paused_by text
);

comment on table queue_pauses is 'Queues no 1.1.0+ worker fetches from until resumed.';

-- Pauses a queue. p_pause: {"queue", "by"} (by: who asked, free text, may be absent); unknown keys are
-- ignored. Pausing a paused queue keeps its first pause. Returns the pause in force.
create function pause_queue_v1(p_pause jsonb, p_now timestamptz)
returns table (queue text, paused_at timestamptz, paused_by text)
language sql
set search_path from current
as $$
    insert into queue_pauses as p (queue, paused_at, paused_by)
    values (p_pause ->> 'queue', p_now, p_pause ->> 'by')
    on conflict on constraint queue_pauses_pkey do update set queue = p.queue
    returning p.queue, p.paused_at, p.paused_by
$$;

-- Resumes a queue and wakes the workers that serve it. p_resume: {"queue"}. True when it was paused.
create function resume_queue_v1(p_resume jsonb, p_now timestamptz)
returns boolean
language plpgsql
set search_path from current
as $$
declare
    v_queue text := p_resume ->> 'queue';
begin
    delete from queue_pauses p where p.queue = v_queue;
    if not found then
        return false;
    end if;
    perform pg_notify(jobs_channel_v1(), v_queue);
    return true;
end;
$$;

-- The paused queues, by name.
create function queue_pauses_v1()
returns table (queue text, paused_at timestamptz, paused_by text)
language sql stable
set search_path from current
as $$ select p.queue, p.paused_at, p.paused_by from queue_pauses p order by p.queue $$;
