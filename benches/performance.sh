#!/usr/bin/env bash
# Reproduces the figures of docs/performance.md with the project's own commands: builds in
# release, starts `continuum echo` and `continuum serve` on loopback, and runs `continuum load`
# for each figure, each calibrated against echo in the same run. A benchmark, not a test.
#
#   benches/performance.sh                 the table, on SQLite (a fresh file in a temp dir)
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/perf benches/performance.sh
#                                          the table on PostgreSQL (the database must exist and
#                                          be empty; see docs/performance.md)
#   benches/performance.sh soak            the mix for SOAK (default 600 s) at RATE (default
#                                          2000/s), sampling the server's RSS every 10 s
#   benches/performance.sh scale           ListCases latency at 10,000 cases, then at SCALE
#                                          (default 1,000,000) cases
#   benches/performance.sh ops OP...       the given operations alone (closed loop), e.g.
#                                          `ops create-referral list-cases`
#   benches/performance.sh deadlines       ListDeadlines and GetComplianceSummary after seeding
#                                          CASES (default 100,000) open, allocated cases
#                                          spread over eight months, closed loop at the load
#                                          tool's default concurrency (32)
#
# Knobs: DURATION (10s), CONCURRENCY (64), SEED (20000), OUT (target/performance).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-table}
DURATION=${DURATION:-10s}
CONCURRENCY=${CONCURRENCY:-64}
SEED=${SEED:-20000}
OUT=${OUT:-target/performance}
SERVE_ADDR=127.0.0.1:50061
ECHO_ADDR=127.0.0.1:50062

cargo build --release --workspace --quiet
bin=./target/release/continuum
work=$(mktemp -d)
export CONTINUUM_JWT_SECRET="performance-$(date +%s%N)-0123456789abcdef"
export DATABASE_URL=${DATABASE_URL:-sqlite://$work/continuum.db}
mkdir -p "$OUT"

RUST_LOG=${RUST_LOG:-info} "$bin" serve --listen "$SERVE_ADDR" >"$OUT/serve.log" 2>&1 &
serve_pid=$!
"$bin" echo --listen "$ECHO_ADDR" >"$OUT/echo.log" 2>&1 &
echo_pid=$!
trap 'kill $serve_pid $echo_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  grep -q "listening" "$OUT/serve.log" 2>/dev/null && grep -q "listening" "$OUT/echo.log" 2>/dev/null && break
  sleep 0.2
done
for server in serve echo; do
  if ! grep -q "listening" "$OUT/$server.log"; then
    echo "continuum $server did not start:" >&2
    cat "$OUT/$server.log" >&2
    exit 1
  fi
done

# load NAME ARGS...: one run of the load tool, its report in $OUT/NAME.
load() {
  local name=$1
  shift
  echo "== $name: continuum load $*"
  "$bin" load --addr "$SERVE_ADDR" --echo "$ECHO_ADDR" --no-progress --out "$OUT/$name" "$@" \
    2>&1 | tee "$OUT/$name.txt" | grep -E "^seeded|calls/s|held|^  [a-z-]+ +[0-9]+ +[0-9]+ |checks|Error" || true
}

# headline NAME ROW [part]: from run NAME's table, ROW's calls/s (unless ROW is only part of
# the run's calls) as a share of echo's, and its p50 and p99 beside echo's.
headline() {
  awk -v row="$2" -v part="${3:-}" '
    /^echo —/ { phase = "echo" } /^service —/ { phase = "service" }
    phase == "echo" && $1 == "echo" { echo_rate = $4; echo_p50 = $5; echo_p99 = $7 }
    phase == "service" && $1 == row { rate = $4; p50 = $5; p99 = $7; x50 = $10; x99 = $11 }
    END {
      if (part) throughput = sprintf("%-37s", "  (part of the run)")
      else throughput = sprintf("%7.0f calls/s = %4.1f%% of echo %6.0f/s", rate, 100 * rate / echo_rate, echo_rate)
      printf "%-20s %s  p50 %6.2f ms (%4s× echo %.2f)  p99 %6.2f ms (%4s× echo %.2f)\n",
        row, throughput, p50, x50, echo_p50, p99, x99, echo_p99
    }' "$OUT/$1.txt"
}

# sql QUERY...: each query on the server's database with its own client, when it is installed.
sql() {
  local q
  for q in "$@"; do
    case "$DATABASE_URL" in
    sqlite://*) command -v sqlite3 >/dev/null && sqlite3 "${DATABASE_URL#sqlite://}" "$q" ;;
    postgres*) command -v psql >/dev/null && psql -X "$DATABASE_URL" -Atc "$q" ;;
    esac
  done || true
}

rss_mib() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$serve_pid/status"; }

case "$mode" in
table)
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); database: ${DATABASE_URL%%://*}"
  # The full mix first: it seeds the children every later run reads and changes.
  load mix --op mix --concurrency "$CONCURRENCY" --duration "$DURATION" --seed "$SEED"
  load idle-get-case --op get-case --concurrency 1 --duration 5s --seed 100
  for op in get-case list-cases list-cases-deep route-contact assess-threshold \
    create-referral decide allocate record-meeting transition; do
    load "$op" --op "$op" --concurrency "$CONCURRENCY" --duration "$DURATION" --seed 500
  done
  load step-create-referral --op create-referral --step-from 1000 --step-by 1000 \
    --p99-ms 10 --step-duration 5s --max-steps 12 --seed 100
  load step-mix --op mix --step-from 1000 --step-by 1000 --p99-ms 10 --step-duration 5s \
    --max-steps 12 --seed 100
  echo "server RSS after the table: $(rss_mib) MiB"
  ;;
soak)
  SOAK=${SOAK:-600s}
  RATE=${RATE:-2000}
  "$bin" load --addr "$SERVE_ADDR" --no-progress --out "$OUT/soak" --op mix --rate "$RATE" \
    --duration "$SOAK" --seed "$SEED" >"$OUT/soak.txt" 2>&1 &
  load_pid=$!
  echo "seconds rss_mib" | tee "$OUT/soak-rss.txt"
  start=$(date +%s)
  while kill -0 $load_pid 2>/dev/null; do
    echo "$(($(date +%s) - start)) $(rss_mib)" | tee -a "$OUT/soak-rss.txt"
    sleep 10
  done
  wait $load_pid
  grep -E "calls/s|checks|^  all" "$OUT/soak.txt"
  ;;
scale)
  SCALE=${SCALE:-1000000}
  load scale-10k --op list-cases --concurrency 8 --duration "$DURATION" --seed 10000
  load scale-10k-deep --op list-cases-deep --concurrency 8 --duration "$DURATION" --seed 200
  load scale-seed --op get-case --concurrency 1 --duration 1s --seed "$((SCALE - 10000))" \
    --seed-concurrency 64 --seed-time-limit 30m
  load scale-1m --op list-cases --concurrency 8 --duration "$DURATION" --seed 200
  load scale-1m-deep --op list-cases-deep --concurrency 8 --duration "$DURATION" --seed 200
  ;;
deadlines)
  CASES=${CASES:-100000}
  echo "machine: $(nproc) cores; database: ${DATABASE_URL%%://*}; $CASES cases"
  # One child is four to six writes here (referral, screening, decision, allocation, contacts).
  load deadlines-seed --op list-deadlines --concurrency 1 --duration 1s --seed "$CASES" \
    --seed-concurrency 64 --seed-time-limit 60m
  case "$DATABASE_URL" in
  sqlite://*)
    db=${DATABASE_URL#sqlite://}
    echo "database size: $(du -b "$db" | awk '{ printf "%.0f MiB", $1 / 1048576 }') (WAL $(du -cb "$db"-wal 2>/dev/null | awk 'END { printf "%.0f MiB", $1 / 1048576 }'))"
    now_ms="CAST(strftime('%s', 'now') AS INTEGER) * 1000"
    ;;
  postgres*)
    # Planner statistics, as autovacuum would gather after a bulk load (if it is on).
    sql "ANALYZE"
    sql "SELECT 'database size: ' || pg_size_pretty(pg_database_size(current_database()))"
    now_ms="(extract(epoch FROM now()) * 1000)::bigint"
    ;;
  esac
  sql "SELECT 'cases: ' || COUNT(*) || ' (' || SUM(CASE WHEN status = 'OPEN' THEN 1 ELSE 0 END) || ' open)' FROM cases" \
    "SELECT 'deadlines: ' || COUNT(*) || ' (' || SUM(CASE WHEN state = 'PENDING' AND late_at < $now_ms THEN 1 ELSE 0 END) || ' overdue, ' || SUM(CASE WHEN state = 'PENDING' AND late_at >= $now_ms THEN 1 ELSE 0 END) || ' pending, ' || SUM(CASE WHEN state = 'MET' THEN 1 ELSE 0 END) || ' met)' FROM deadlines"
  load list-deadlines --op list-deadlines --duration "$DURATION" --seed 0
  load compliance-summary --op compliance-summary --duration "$DURATION" --seed 0
  # One caller: what each query costs, without waiting behind the others.
  load list-deadlines-idle --op list-deadlines --concurrency 1 --duration 5s --seed 0
  load compliance-summary-idle --op compliance-summary --concurrency 1 --duration 5s --seed 0
  rows="deadlines-overdue deadlines-due-week deadlines-worker deadlines-code deadlines-next-page"
  for run in "" -idle; do
    echo "== at $CASES cases, closed loop, $([ -z "$run" ] && echo "32 callers" || echo "1 caller"):"
    headline "list-deadlines$run" all
    for row in $rows; do
      headline "list-deadlines$run" "$row" part
    done
    headline "compliance-summary$run" compliance-summary
  done
  ;;
ops)
  shift
  for op in "$@"; do
    load "$op" --op "$op" --concurrency "$CONCURRENCY" --duration "$DURATION" --seed 2000
  done
  ;;
*)
  echo "usage: $0 [table|soak|scale|deadlines|ops OP...]" >&2
  exit 2
  ;;
esac
