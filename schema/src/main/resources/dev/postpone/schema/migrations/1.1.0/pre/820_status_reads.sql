-- postpone:phase pre
-- What schema status (and the dashboard's schema and workers pages) read about live processes, as
-- functions, so a role without privileges on the tables can read it (postpone schema grant gives them
-- to every granted role; they are the migrator's, not a contract's). The migrator uses them when present
-- and reads the tables as before on schemas older than this step.

-- Workers alive by the schema's one liveness rule (worker_liveness_v1, the rescuer's); p_params as
-- worker_liveness_v1 takes it ({"default_stalled_after_ms"} for workers that registered without one).
create function live_workers_v1(p_params jsonb, p_now timestamptz)
returns table (id bigint, name text, host text, pid bigint, release text, last_heartbeat timestamptz)
language sql stable
set search_path from current
as $$
    select w.id, w.name, w.host, w.pid, w.release, w.last_heartbeat
    from workers w join worker_liveness_v1(p_params, p_now) l on l.id = w.id
    where l.alive
    order by w.id
$$;

-- Clients seen within their own alive window.
create function live_clients_v1(p_now timestamptz)
returns table (id text, name text, host text, pid bigint, version text, last_seen timestamptz)
language sql stable
set search_path from current
as $$
    select c.id::text, c.name, c.host, c.pid, c.version, c.last_seen
    from clients c
    where c.last_seen > p_now - c.alive_window
    order by c.started_at, c.id
$$;
