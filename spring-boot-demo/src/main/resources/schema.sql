create table if not exists orders (
    id           bigint generated always as identity primary key,
    email        text   not null,
    amount_cents bigint not null,
    created_at   timestamptz not null default now()
);
