#!/usr/bin/env bash
# The shared store at catalogue scale (README, "Past one machine"): COUNT vectors of 1,280-d (default
# 1,000,000) written by 2 workers, the HNSW index built, 1,000 top-10 queries timed, recall@10
# against an exact scan. Prints what it measured and the CPU.
#
#   swift build -c release --product coverlens-store-bench && Benchmarks/store.sh [COUNT [coverlens-store-bench options]]
#
# With COVERLENS_STORE set it uses that database (it adds a collection bench-COUNT and a model
# fingerprint bench:…; nothing else is touched). Without, it starts a throwaway PostgreSQL 16 +
# pgvector from scripts/setup.sh's install in a temporary folder (as the unprivileged user setup.sh
# made, when run as root), on a free port, and deletes it afterwards. Keep DATA_DIR on a disk with
# room: a million 1,280-d vectors take about 5 GiB before the index.
set -euo pipefail
COUNT=${1:-1000000}
BIN=${BENCH:-.build/release/coverlens-store-bench}
PG_HOME=${COVERLENS_PG_HOME:-/opt/coverlens-postgres}
PG_USER=${COVERLENS_PG_USER:-coverlens-pg}

if [ -z "${COVERLENS_STORE:-}" ]; then
  [ -x "$PG_HOME/bin/postgres" ] || { echo "no PostgreSQL in $PG_HOME: run scripts/setup.sh" >&2; exit 1; }
  DATA_DIR=${DATA_DIR:-$(mktemp -d /tmp/coverlens-store-bench.XXXXXX)}
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$PG_USER" -- env LD_LIBRARY_PATH="$PG_HOME/lib" "$@"; else LD_LIBRARY_PATH="$PG_HOME/lib" "$@"; fi; }
  [ "$(id -u)" -ne 0 ] || chown "$PG_USER" "$DATA_DIR"
  trap 'as_pg "$PG_HOME/bin/pg_ctl" -D "$DATA_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$DATA_DIR"' EXIT INT TERM
  as_pg "$PG_HOME/bin/initdb" -D "$DATA_DIR/data" -U coverlens --auth=trust -E UTF8 --no-locale >/dev/null
  # Settings for a 24 GiB machine: room for the table's hot pages and for building the graph in memory.
  as_pg "$PG_HOME/bin/pg_ctl" -D "$DATA_DIR/data" -l "$DATA_DIR/server.log" -w -t 120 \
    -o "-p $PORT -k $DATA_DIR -c listen_addresses=127.0.0.1 -c shared_buffers=2GB -c max_wal_size=8GB -c synchronous_commit=off" start >/dev/null
  as_pg "$PG_HOME/bin/psql" -X -q -h "$DATA_DIR" -p "$PORT" -U coverlens -d postgres -c "CREATE DATABASE bench"
  export COVERLENS_STORE="postgresql://coverlens@127.0.0.1:$PORT/bench?sslmode=disable"
  echo "throwaway PostgreSQL 16 + pgvector in $DATA_DIR (shared_buffers 2GB, synchronous_commit off)"
fi
uptime
"$BIN" --count "$COUNT" --workers 2 "${@:2}"
uptime
