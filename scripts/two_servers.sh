#!/usr/bin/env bash
# Two application servers on this machine, as README "Two app servers" deploys
# them: PgBouncer in transaction mode in front of PostgreSQL, two gunicorn
# servers and one worker through it, the uploaded files in one shared folder.
# It writes a document through the first server and reads it through the
# second (scripts/two_servers_check.py), then stops everything it started.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/rammeaftale_two scripts/two_servers.sh
#
# DATABASE_URL names PostgreSQL directly (the migrations run there); the
# servers and the worker reach it through PgBouncer on BOUNCER_PORT.
# KEEP=1 leaves everything running until Ctrl+C (for `make bench` by hand).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database (postgres://user@host:port/name)}"
PY=${PY:-.venv/bin/python}
PGBOUNCER=${PGBOUNCER:-/usr/sbin/pgbouncer}
BOUNCER_PORT=${BOUNCER_PORT:-6439}
PORT_A=${PORT_A:-8201}
PORT_B=${PORT_B:-8202}

[ -x "$PGBOUNCER" ] || { echo "PgBouncer is missing: 'make check-pgbouncer' installs Debian's pgbouncer." >&2; exit 1; }

# postgres://user[:password]@host:port/name
read -r db_user db_host db_port db_name < <("$PY" - <<'PY'
import os
from urllib.parse import urlsplit
url = urlsplit(os.environ["DATABASE_URL"])
print(url.username or "postgres", url.hostname or "127.0.0.1", url.port or 5432, url.path.lstrip("/"))
PY
)

work=$(mktemp -d)
chmod 755 "$work"
mkdir -m 700 "$work/media"
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 1' INT TERM

cat >"$work/pgbouncer.ini" <<INI
[databases]
$db_name = host=$db_host port=$db_port dbname=$db_name
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $work/userlist.txt
pool_mode = transaction
max_client_conn = 400
default_pool_size = 40
ignore_startup_parameters = extra_float_digits,options
logfile = $work/pgbouncer.log
INI
echo "\"$db_user\" \"\"" >"$work/userlist.txt"
chmod 644 "$work/pgbouncer.ini" "$work/userlist.txt"
touch "$work/pgbouncer.log" && chmod 666 "$work/pgbouncer.log"

echo "== migrations (directly on PostgreSQL) and the static files"
"$PY" manage.py migrate --noinput >/dev/null
"$PY" manage.py collectstatic --noinput >/dev/null

echo "== PgBouncer (transaction mode) on 127.0.0.1:$BOUNCER_PORT"
as_user=()
[ "$(id -u)" = 0 ] && as_user=(-u postgres)  # PgBouncer refuses to run as root
"$PGBOUNCER" -q "${as_user[@]}" "$work/pgbouncer.ini" &
pids+=($!)

pooled="postgres://$db_user@127.0.0.1:$BOUNCER_PORT/$db_name"
export MEDIA_ROOT="$work/media" DISABLE_SERVER_SIDE_CURSORS=1 LOG_LEVEL=${LOG_LEVEL:-WARNING}
for port in "$PORT_A" "$PORT_B"; do
  echo "== gunicorn on 127.0.0.1:$port"
  DATABASE_URL=$pooled GUNICORN_BIND=127.0.0.1:$port GUNICORN_WORKERS=${GUNICORN_WORKERS:-3} \
    .venv/bin/gunicorn rammeaftale.wsgi >"$work/gunicorn-$port.log" 2>&1 &
  pids+=($!)
done
echo "== the worker"
DATABASE_URL=$pooled "$PY" manage.py worker >"$work/worker.log" 2>&1 &
pids+=($!)

# Both servers healthy: database (through PgBouncer), storage, worker heartbeat.
for port in "$PORT_A" "$PORT_B"; do
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/sundhed/" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:$port/sundhed/" || {
    echo "server $port is not healthy" >&2
    tail -n 20 "$work"/*.log >&2
    exit 1
  }
  echo
done

echo "== a document written through :$PORT_A, read through :$PORT_B"
"$PY" scripts/two_servers_check.py "http://127.0.0.1:$PORT_A" "http://127.0.0.1:$PORT_B"

if [ "${KEEP:-0}" = 1 ]; then
  echo "Running (PgBouncer :$BOUNCER_PORT, servers :$PORT_A and :$PORT_B); Ctrl+C stops all."
  wait
fi
echo "== stopping what was started"
