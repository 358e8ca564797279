#!/usr/bin/env bash
# Runs "$@" with a throw-away PostgreSQL cluster on loopback, then stops and removes it.
# Exports WATCHFLOOR_TEST_POSTGRES_URL for the tests marked `postgres`.
set -euo pipefail

bindir=""
for candidate in /usr/lib/postgresql/*/bin; do
  [ -x "$candidate/initdb" ] && bindir="$candidate"
done
if [ -z "$bindir" ]; then
  initdb_path=$(command -v initdb || true)
  [ -n "$initdb_path" ] && bindir=$(dirname "$initdb_path")
fi
if [ -z "$bindir" ]; then
  echo "PostgreSQL is not installed: run 'bash .ci/system-deps.sh' (make test does)" >&2
  exit 1
fi

workdir=$(mktemp -d /tmp/watchfloor-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root: run it as the postgres user Debian's package creates.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$workdir"
  as_pg=(runuser -u postgres --)
fi

cleanup() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT

"${as_pg[@]}" "$bindir/initdb" -D "$workdir/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -k $workdir -c fsync=off -c full_page_writes=off" start >/dev/null
"${as_pg[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres watchfloor_test

export WATCHFLOOR_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$port/watchfloor_test"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throw-away)"
set +e
"$@"
status=$?
set -e
exit $status
