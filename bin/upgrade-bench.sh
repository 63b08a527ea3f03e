#!/usr/bin/env bash
# Upgrade bench (issue #10): applies pre(1.1.0) and post(1.1.0) to a table of N jobs while 1.0.0 and
# then 1.1.0 workers run, and reports per step its duration, the strongest lock its SQL takes and the
# longest lock wait of any worker or client backend seen meanwhile, and per phase the longest pause
# between two job completions.
#
#   bin/upgrade-bench.sh [--jobs N] [--db NAME] [--keep] [--old-jar PATH] [--steady SECONDS]
#
# --jobs N      jobs in the fixture (default 5000000): 97% succeeded, finished over the last 6.5 days
#               (inside the 7-day retention), 2% todo scheduled 1-7 days ahead, 1% cancelled, 0.1%
#               todo and due (a backlog the workers drain first).
# --db NAME     database to create on PGHOST:PGPORT as PGUSER (default upbench; dropped and re-created).
# --keep        keep the database afterwards (default: drop it).
# --old-jar     the 1.0.0 CLI (default: the one PreviousRelease builds under ~/.cache/postpone/releases).
# --steady S    seconds of load before pre, between the two worker fleets, and after post (default 15).
#
# Needs psql/createdb/dropdb, PostgreSQL reachable without a password prompt, and this checkout's
# queue-cli/target/postpone.jar (built if missing: ./mvnw -q -pl queue-cli -am package -DskipTests).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
JOBS=5000000
DB=upbench
KEEP=0
STEADY=15
OLD_SHA="$(awk '$1 == "1.0.0" {print $2}' "$root/releases.txt")"
OLD_JAR="$HOME/.cache/postpone/releases/$OLD_SHA/src/queue-cli/target/postpone.jar"
NEW_JAR="$root/queue-cli/target/postpone.jar"
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) JOBS="$2"; shift 2 ;;
    --db) DB="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --old-jar) OLD_JAR="$2"; shift 2 ;;
    --steady) STEADY="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "upgrade-bench: unknown argument $1" >&2; exit 2 ;;
  esac
done

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
. "$root/bin/find-jdk.sh"
postpone_find_jdk >/dev/null 2>&1 || postpone_find_jdk
JAVA="$JAVA_HOME/bin/java"
[ -f "$OLD_JAR" ] || { echo "upgrade-bench: no 1.0.0 CLI at $OLD_JAR (run RollingUpgradeEndToEndTest once, or pass --old-jar)" >&2; exit 2; }
if [ ! -f "$NEW_JAR" ]; then (cd "$root" && ./mvnw -q -B -pl queue-cli -am package -DskipTests); fi

work="$(mktemp -d /tmp/upgrade-bench.XXXXXX)"
base="jdbc:postgresql://$PGHOST:$PGPORT/$DB?user=$PGUSER"
OLD_URL="$base&prepareThreshold=1"
NEW_URL="$base"
MIGRATOR_URL="$base&ApplicationName=upbench-migrator"
JOPTS=(-Xmx256m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED)
CLIENT_SRC="$root/queue-cli/src/test/resources/upgrade/DeferringClient.java"
old_workers=() new_workers=() others=()

log() { printf '%s upgrade-bench: %s\n' "$(date +%T)" "$*" >&2; }
q() { psql -d "$DB" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
phase_start() { q -c "insert into upbench.phases (name, started_at) values ('$1', clock_timestamp())"; log "phase $1"; }
phase_end() { q -c "update upbench.phases set ended_at = clock_timestamp() where name = '$1'"; }

stop_pids() { # SIGTERM, then wait (up to 20 s) for each
  local p
  for p in "$@"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "$@"; do
    for _ in $(seq 200); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
}
cleanup() {
  set +e
  stop_pids "${new_workers[@]}" "${old_workers[@]}" "${others[@]}"
  if [ "$KEEP" = 0 ]; then dropdb --if-exists --force "$DB" 2>/dev/null; else log "kept database $DB"; fi
  log "logs in $work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

worker() { # release jar url name
  "$JAVA" "${JOPTS[@]}" -jar "$2" worker --name "$4" --app dev.postpone.demo.DemoTasks --queues emails,periodic \
    --concurrency 4 --shutdown-timeout 5s --log-format json --database-url "$3" >"$work/$4.out" 2>"$work/$4.err" &
}
migrate() { # jar args...
  local jar="$1"; shift
  "$JAVA" "${JOPTS[@]}" -jar "$jar" schema migrate --database-url "$MIGRATOR_URL" "$@" >>"$work/migrate.out" 2>>"$work/migrate.err" \
    || { echo "upgrade-bench: migrate $* failed:" >&2; tail -20 "$work/migrate.err" >&2; exit 1; }
}

# ---- 1. the database at 1.0.0, filled ---------------------------------------------------------
log "database $DB, $JOBS jobs; 1.0.0 CLI $OLD_JAR; 1.1.0 CLI $NEW_JAR; load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
dropdb --if-exists --force "$DB"
createdb "$DB"
migrate "$OLD_JAR" --phase all --to 1.0.0
t0=$(date +%s)
q <<SQL
insert into postpone.jobs (queue, task, args, status, priority, scheduled_at, attempts, max_attempts,
                           created_at, started_at, finished_at)
select case when k = 'due' or g % 3 = 0 then 'emails' when g % 3 = 1 then 'payments' else 'reports' end,
       case when k = 'due' or g % 3 = 0 then 'send-welcome-email' when g % 3 = 1 then 'charge-payment' else 'build-report' end,
       jsonb_build_object('to', 'fixture-' || g || '@example.com', 'name', 'fixture ' || g),
       case k when 'due' then 'todo' when 'later' then 'todo' when 'cancelled' then 'cancelled' else 'succeeded' end,
       0,
       case k when 'later' then now() + interval '1 day' + interval '6 days' * f
              when 'due' then now() - interval '10 minutes' * f
              else now() - interval '6.5 days' * f - interval '1 second' end,
       case when k in ('succeeded') then 1 else 0 end, 1,
       now() - interval '6.5 days' * f - interval '2 seconds',
       case when k = 'succeeded' then now() - interval '6.5 days' * f - interval '1 second' end,
       case when k in ('succeeded', 'cancelled') then now() - interval '6.5 days' * f end
from generate_series(1, $JOBS) g
cross join lateral (select ((g::bigint * 2654435761) % 1000003) / 1000003.0 as f,
                           case when g % 1000 = 0 then 'due' when g % 100 < 2 then 'later'
                                when g % 100 = 2 then 'cancelled' else 'succeeded' end as k) x;
SQL
t1=$(date +%s)
q -c "vacuum (analyze) postpone.jobs"
t2=$(date +%s)
log "filled in $((t1 - t0)) s, vacuum analyze $((t2 - t1)) s; $(q -c "select pg_size_pretty(pg_total_relation_size('postpone.jobs'))") with indexes"

# ---- 2. the sampler ---------------------------------------------------------------------------
q <<'SQL'
create schema upbench;
create table upbench.phases (name text primary key, started_at timestamptz, ended_at timestamptz);
create table upbench.ticks (at timestamptz);
create table upbench.lock_waits (
    at timestamptz, pid integer, application_name text, wait_event text, waited interval,
    query text, blockers text[]);
SQL
# Every 100 ms: each backend of this database waiting on a heavyweight lock (the migrator's too; the
# report tells them apart), other than this sampler, how long its statement has run (an upper bound of its wait), and who blocks it.
{
  echo "set application_name = 'upbench-sampler';"
  echo "with tick as (insert into upbench.ticks values (clock_timestamp()))
        insert into upbench.lock_waits
        select clock_timestamp(), a.pid, a.application_name, a.wait_event, clock_timestamp() - a.query_start,
               left(a.query, 120),
               array(select coalesce(nullif(b.application_name, ''), '?') || ':' || b.pid from pg_stat_activity b
                     where b.pid = any (pg_blocking_pids(a.pid)))
        from pg_stat_activity a
        where a.datname = current_database() and a.wait_event_type = 'Lock' and a.pid <> pg_backend_pid()
          and a.query_start is not null
        \\watch 0.1"
} | psql -d "$DB" -X -q -At >/dev/null 2>"$work/sampler.err" &
others+=($!)

# ---- 3. the upgrade under load -----------------------------------------------------------------
phase_start "1.0.0 fleet"
worker 1.0.0 "$OLD_JAR" "$OLD_URL" old-worker-1; old_workers+=($!)
worker 1.0.0 "$OLD_JAR" "$OLD_URL" old-worker-2; old_workers+=($!)
"$JAVA" "${JOPTS[@]}" -cp "$OLD_JAR:$(dirname "$OLD_JAR")/lib/*" "$CLIENT_SRC" "$OLD_URL" old-client 20 \
  >"$work/old-client.out" 2>"$work/old-client.err" &
others+=($!)
# The phase starts once both workers and the client run (JVM start-up is not a pause of the fleet).
for _ in $(seq 600); do
  [ "$(q -c "select count(*) from postpone.jobs where status = 'succeeded' and finished_at > now() - interval '1 second'")" -ge 5 ] \
    && grep -q '^[0-9]' "$work/old-client.out" && break
  sleep 0.1
done
q -c "update upbench.phases set started_at = clock_timestamp() where name = '1.0.0 fleet'"
sleep "$STEADY"
phase_end "1.0.0 fleet"

phase_start "pre(1.1.0)"
migrate "$NEW_JAR" --phase pre --to 1.1.0
phase_end "pre(1.1.0)"

phase_start "both fleets"
worker 1.1.0 "$NEW_JAR" "$NEW_URL" new-worker-1; new_workers+=($!)
worker 1.1.0 "$NEW_JAR" "$NEW_URL" new-worker-2; new_workers+=($!)
sleep "$STEADY"
log "stopping the 1.0.0 workers (SIGTERM)"
stop_pids "${old_workers[@]}"; old_workers=()
phase_end "both fleets"

phase_start "post(1.1.0)"
migrate "$NEW_JAR" --phase post --to 1.1.0
phase_end "post(1.1.0)"

phase_start "1.1.0 fleet"
sleep "$STEADY"
phase_end "1.1.0 fleet"
log "stopping"
stop_pids "${others[@]}"; others=()
stop_pids "${new_workers[@]}"; new_workers=()
for f in "$work"/*-worker-*.err; do
  if grep -q '"level":"ERROR"\|Exception' "$f"; then log "$(basename "$f") logged errors: $(grep -c '"level":"ERROR"\|Exception' "$f")"; fi
done

# ---- 4. the report -----------------------------------------------------------------------------
q -c "alter table upbench.lock_waits add column migrator boolean; update upbench.lock_waits set migrator = application_name like 'upbench-migrator%' or application_name like 'postpone-migrat%'"
# Strongest lock each step takes on a table workers use, from its SQL (the runbook's reading of it).
idx="$root/schema/src/main/resources/dev/postpone/schema/migrations/index.txt"
q -c "create table upbench.step_locks (release text, phase text, seq integer, lock text)"
grep '^1\.1\.0/' "$idx" | while read -r path; do
  sql="$(grep -v '^\s*--' "$root/schema/src/main/resources/dev/postpone/schema/migrations/$path" | tr 'A-Z' 'a-z')"
  lock=""
  case "$sql" in *"create index concurrently"*|*"create unique index concurrently"*) lock="ShareUpdateExclusive on jobs (waits for older transactions)" ;; esac
  case "$sql" in *"drop index concurrently"*) lock="ShareUpdateExclusive on jobs, then AccessExclusive on the index only" ;; esac
  case "$sql" in *"alter table"*) t="$(printf '%s' "$sql" | grep -o 'alter table [a-z_.]*' | head -1 | cut -d' ' -f3)"; lock="AccessExclusive on $t (catalog-only change, brief)" ;; esac
  # Autovacuum storage parameters take only SHARE UPDATE EXCLUSIVE (PostgreSQL's ALTER TABLE reference).
  case "$sql" in *"alter table"*"set ("*"autovacuum_"*) lock="ShareUpdateExclusive on $t (storage parameters, brief)" ;; esac
  case "$sql" in *update\ jobs*|*insert\ into\ jobs*|*delete\ from\ jobs*) case "$sql" in *"create function"*) ;; *) lock="${lock:+$lock; }RowExclusive on jobs (DML)";; esac ;; esac
  if [ -z "$lock" ]; then
    case "$sql" in *"create table"*) lock="none on existing tables (new table)" ;;
                   *"drop function"*) lock="none on tables (AccessExclusive on the function)" ;;
                   *) lock="none on tables (functions only)" ;; esac
  fi
  IFS=/ read -r rel ph file <<<"$path"
  q -c "insert into upbench.step_locks values ('$rel', '$ph', ${file%%_*}, \$\$$lock\$\$)"
done

echo
echo "Upgrade bench: $JOBS jobs ($(q -c "select pg_size_pretty(pg_total_relation_size('postpone.jobs'))") table+indexes), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Steps (duration from schema_migrations.duration_ms; lock waits: worker/client backends waiting on a lock while the step ran)"
psql -d "$DB" -X -q -P footer=off <<'SQL'
select m.phase || ' ' || m.seq || ' ' || m.name as step,
       m.duration_ms as ms,
       l.lock as strongest_lock,
       (select count(distinct (w.pid, w.query)) from upbench.lock_waits w where w.at between m.started_at and m.finished_at + interval '100 ms' and not w.migrator) as waits,
       (select coalesce(max(extract(epoch from w.waited) * 1000)::bigint, 0) from upbench.lock_waits w
         where w.at between m.started_at and m.finished_at + interval '100 ms' and not w.migrator) as max_wait_ms,
       (select coalesce(max(extract(epoch from w.waited) * 1000)::bigint, 0) from upbench.lock_waits w
         where w.at between m.started_at and m.finished_at + interval '100 ms' and not w.migrator
           and exists (select 1 from unnest(w.blockers) b where b like 'upbench-migrator%' or b like 'postpone-migrat%')) as max_wait_on_migrator_ms,
       (select coalesce(max(extract(epoch from w.waited) * 1000)::bigint, 0) from upbench.lock_waits w
         where w.at between m.started_at and m.finished_at + interval '100 ms' and w.migrator) as migrator_waited_ms
from postpone.schema_migrations m
left join upbench.step_locks l using (release, phase, seq)
where m.release = '1.1.0'
order by m.phase desc, m.seq;
SQL
echo "Phases (completions: succeeded jobs finished in the phase; gap: longest time without one, phase edges included)"
psql -d "$DB" -X -q -P footer=off <<'SQL'
select p.name as phase,
       round(extract(epoch from p.ended_at - p.started_at)::numeric, 1) as seconds,
       (select count(*) from postpone.jobs j where j.status = 'succeeded' and j.finished_at between p.started_at and p.ended_at) as completions,
       (select round(extract(epoch from max(t - prev))::numeric * 1000) from (
           select t, lag(t) over (order by t) as prev from (
               select j.finished_at as t from postpone.jobs j
               where j.status = 'succeeded' and j.finished_at between p.started_at and p.ended_at
               union all select p.started_at union all select p.ended_at) e) g) as longest_gap_ms,
       (select coalesce(max(extract(epoch from w.waited) * 1000)::bigint, 0) from upbench.lock_waits w
         where w.at between p.started_at and p.ended_at and not w.migrator) as max_lock_wait_ms
from upbench.phases p order by p.started_at;
SQL
echo "Sampler: $(q -c "select count(*) || ' samples, longest interval ' || coalesce(round(extract(epoch from max(d)) * 1000), 0) || ' ms' from (select at - lag(at) over (order by at) d from upbench.ticks) t")"
echo "Longest lock waits seen (any phase; migrator = the step's own connection waiting)"
psql -d "$DB" -X -q -P footer=off <<'SQL'
select * from (
    select distinct on (w.pid, w.query) w.application_name, w.migrator, w.wait_event,
           (extract(epoch from w.waited) * 1000)::bigint as waited_ms, w.blockers, w.query
    from upbench.lock_waits w order by w.pid, w.query, w.waited desc) x
order by waited_ms desc limit 15;
SQL
