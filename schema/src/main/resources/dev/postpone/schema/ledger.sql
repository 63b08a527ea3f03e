-- The migrator's own ledger: one row per applied (or running / failed) migration step.
-- Created by the migrator before the first step; its shape never changes incompatibly.
create table if not exists schema_migrations (
    release          text        not null,
    phase            text        not null check (phase in ('pre', 'post')),
    seq              integer     not null,
    name             text        not null,
    checksum         text        not null,
    state            text        not null check (state in ('running', 'applied', 'failed')),
    transactional    boolean     not null,
    started_at       timestamptz not null default clock_timestamp(),
    finished_at      timestamptz,
    duration_ms      bigint,
    applied_by       text        not null default current_user,
    migrator_release text        not null,
    client_info      text,
    error            text,
    primary key (release, phase, seq)
);
