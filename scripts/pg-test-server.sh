#!/usr/bin/env bash
# A throw-away PostgreSQL for the tests and CI (issue 19: "CI uses a real server"), on a free
# loopback port, its data in a fresh /tmp/pgtest.XXXXXX, thrown away by `stop`.
#
#   env=$(bash scripts/pg-test-server.sh start) && eval "$env"
#       exports PGTEST_DIR, PGTEST_PORT, PGTEST_SOCK (Unix socket dir, trust for its owner),
#       PGTEST_URL (role and database `salesops`, a random password, over TCP),
#       PGTEST_ADMIN_URL (the superuser `postgres`, another random password, over TCP)
#       (not `eval "$(… start)"`: eval of an empty string succeeds, a failed start would pass)
#   bash scripts/pg-test-server.sh stop "$PGTEST_DIR"
#   bash scripts/pg-test-server.sh serve
#       start, print the exports and close stdout, then stop once stdin reaches its end: the
#       test runner (test/pgServer.ts) holds the pipe, so even a killed runner stops it
#
# Exit codes: 0 done; 2 usage; 3 no PostgreSQL on this machine (no initdb); 1 anything else.
# A failure or interruption while starting leaves nothing: no process, no directory.
#
# The server refuses to run as root: as root, initdb/pg_ctl/psql run as the `postgres` OS user
# (created if absent) through su, from `cd /` (su keeps root's working directory, which
# postgres may not be able to read); as anyone else, directly as that user.
set -euo pipefail

# the newest Debian/Ubuntu packaged server, else whatever initdb is on PATH (other systems)
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ ! -x "${PGBIN:-}/initdb" ]; then
  initdb_path=$(command -v initdb 2>/dev/null || true)
  PGBIN=${initdb_path:+$(dirname "$(readlink -f "$initdb_path")")}
fi
PSQL="$PGBIN/psql"
[ -x "$PSQL" ] || PSQL=$(command -v psql 2>/dev/null || echo "$PGBIN/psql")

if [ "$(id -u)" = 0 ]; then
  RUNAS=${PGTEST_USER:-postgres}
  as_pg() { (cd / && su "$RUNAS" -s /bin/sh -c "$1"); }
else
  RUNAS=$(id -un)
  as_pg() { (cd / && sh -c "$1"); }
fi

no_postgres() {
  echo "pg-test-server: PostgreSQL is not installed: no initdb under /usr/lib/postgresql/*/bin nor on PATH (Debian/Ubuntu: apt-get install postgresql)" >&2
  exit 3
}

# the kernel's choice of a free port; the server may still lose it to a race: start retries
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

random_password() { echo "test-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"; }

start() {
  [ -n "${PGBIN:-}" ] && [ -x "$PGBIN/initdb" ] || no_postgres
  if [ "$(id -u)" = 0 ]; then
    id "$RUNAS" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$RUNAS"
  fi
  base=$(mktemp -d /tmp/pgtest.XXXXXX)
  # a failure or interruption anywhere below stops whatever was started and removes the dir
  trap 'rc=$?; stop "$base" >/dev/null 2>&1; exit $((rc ? rc : 1))' ERR INT TERM HUP PIPE
  # mktemp -d gives 0700 (root's): the server's user must reach the dirs inside
  chmod 0755 "$base"
  local data="$base/data" sock="$base/sock" log="$base/log"
  mkdir -p "$data" "$sock" "$log"
  # the log too must be in a dir the server's user owns ("could not open log file" otherwise);
  # the socket dir 0700: trust on the socket is for the server's user (and root) alone
  chown "$RUNAS": "$data" "$sock" "$log"
  chmod 0700 "$data" "$sock"
  local admin_pw clerk_pw
  admin_pw=$(random_password)
  clerk_pw=$(random_password)
  printf '%s\n' "$admin_pw" > "$base/pwfile"
  chown "$RUNAS": "$base/pwfile"
  chmod 0600 "$base/pwfile"
  # C.UTF-8: text sorts by code point, as SQLite's BINARY collation does; --no-sync and the
  # fsync=off below: the data is thrown away
  as_pg "'$PGBIN/initdb' -D '$data' -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --pwfile='$base/pwfile' -E UTF8 --locale=C.UTF-8 --no-sync" > "$base/initdb.log" 2>&1 \
    || { cat "$base/initdb.log" >&2; false; }
  rm -f "$base/pwfile"
  local port tries=0
  while :; do
    port=$(free_port)
    if as_pg "'$PGBIN/pg_ctl' -D '$data' -l '$log/server.log' -w -t 30 \
          -o \"-p $port -k $sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start" >/dev/null; then
      break
    fi
    tries=$((tries+1))
    [ $tries -lt 3 ] || { cat "$log/server.log" >&2 || true; false; }
  done
  # the test role and its database, over the socket (trust) as the superuser
  as_pg "'$PSQL' -h '$sock' -p $port -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
        -c \"CREATE ROLE salesops LOGIN PASSWORD '$clerk_pw'\" -c 'CREATE DATABASE salesops OWNER salesops'" >&2
  echo "export PGTEST_DIR='$base'"
  echo "export PGTEST_PORT=$port"
  echo "export PGTEST_SOCK='$sock'"
  echo "export PGTEST_URL='postgres://salesops:$clerk_pw@127.0.0.1:$port/salesops'"
  echo "export PGTEST_ADMIN_URL='postgres://postgres:$admin_pw@127.0.0.1:$port/postgres'"
  trap - ERR INT TERM HUP PIPE
}

stop() {
  local base=${1:?usage: stop DIR}
  # only ever a dir this script made
  case "$base" in /tmp/pgtest.*) ;; *) echo "pg-test-server: refusing to remove $base" >&2; exit 2;; esac
  if [ -f "$base/data/postmaster.pid" ]; then
    as_pg "'$PGBIN/pg_ctl' -D '$base/data' -m immediate -w -t 30 stop" >/dev/null 2>&1 || {
      # last resort: the postmaster's pid, by id (never by name); its backends follow it
      local pid
      pid=$(head -1 "$base/data/postmaster.pid" 2>/dev/null || true)
      [ -z "$pid" ] || kill -9 "$pid" 2>/dev/null || true
    }
  fi
  rm -rf "$base"
}

serve() {
  start
  # whatever ends this process from here on, the server goes with it
  trap 'stop "$base"; exit 1' INT TERM HUP
  # stdout closed: the reader has the exports; stderr gone too: the reader may be gone
  exec 1>&- 2>/dev/null
  # a builtin read, not cat: a signal's trap runs at once, not after a child exits
  while read -r _; do :; done
  stop "$base"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-${PGTEST_DIR:-}}" ;;
  serve) serve ;;
  *) echo "usage: $0 start | stop DIR | serve" >&2; exit 2 ;;
esac
