-- postpone:phase pre
-- Applications that defer jobs register too (release 1.1.0 on), so `migrate --phase post` can refuse
-- while an application of an older release still calls functions a post step drops. One row per
-- Postpone client instance, refreshed rarely (not per defer) and removed when the client closes.

create table clients (
    id            uuid        primary key,
    name          text        not null,
    host          text        not null,
    pid           bigint,
    version       text        not null,
    -- The client counts as alive while last_seen is within this window (it refreshes well inside it).
    alive_window  interval    not null,
    started_at    timestamptz not null,
    last_seen     timestamptz not null
) with (fillfactor = 50);

comment on table clients is 'Live Postpone client instances (applications that defer) and the library version each runs.';

-- Records a client, or refreshes its last_seen. p_client: {"id", "name", "host", "pid", "version",
-- "alive_window_ms"}; unknown keys are ignored, so a later release can send more.
create function record_client_v1(p_client jsonb, p_now timestamptz) returns void
language sql
set search_path from current
as $$
    insert into clients as c (id, name, host, pid, version, alive_window, started_at, last_seen)
    values ((p_client ->> 'id')::uuid, p_client ->> 'name', p_client ->> 'host', (p_client ->> 'pid')::bigint,
            p_client ->> 'version', make_interval(secs => (p_client ->> 'alive_window_ms')::numeric / 1000),
            p_now, p_now)
    on conflict (id) do update set last_seen = excluded.last_seen, alive_window = excluded.alive_window
$$;

-- Removes a client that closes; also drops rows of clients gone silent for a day, so the table stays small.
create function unregister_client_v1(p_id uuid, p_now timestamptz) returns void
language sql
set search_path from current
as $$
    delete from clients c where c.id = p_id or c.last_seen < p_now - interval '1 day'
$$;
