#!/usr/bin/env bash
# Load benchmark: patchbay against a bare actix-web handler on the same box.
#
#   bash bench/run.sh
#
# Environment:
#   BENCH_DURATION     measured duration per row, wrk syntax (default 10s)
#   BENCH_WARMUP       warm-up before each row, discarded (default 1s)
#   BENCH_CONNECTIONS  open connections (default 32)
#   BENCH_THREADS      wrk threads (default 2)
#   BENCH_SCALE_RECORDS  records added to a second patchbay's database for the
#                      "data grows" row (default 1000000; 0 leaves the row out)
#
# See bench/README.md for how to read the output.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DURATION="${BENCH_DURATION:-10s}"
WARMUP="${BENCH_WARMUP:-1s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
SCALE_RECORDS="${BENCH_SCALE_RECORDS:-1000000}"
SCRIPT="$ROOT/bench/request.lua"

PATCHBAY_BIN="$ROOT/target/release/patchbay"
BARE_BIN="$ROOT/target/release/patchbay-bench-bare"

# ---------------------------------------------------------------------------
# Rows. One line per row:
#
#   name | server | method | path | body | headers
#
# server:  "bare" (the baseline handler), "patchbay" (default settings: the
#          request journal on), "patchbay-nojournal" (the journal off), or
#          "patchbay-scale" (a patchbay whose database also holds
#          BENCH_SCALE_RECORDS other records).
# headers: "Name: value" pairs separated by ";;".
# Each non-bare row is compared with the bare row of the same method.
# To benchmark another vendor, add its lines here.
# ---------------------------------------------------------------------------
JSON="Content-Type: application/json"
NANGO_AUTH="Authorization: Bearer 6f1c9d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f"
PATCH_BODY='{"display_name":"bench"}'
NYLAS_AUTH="Authorization: Bearer nyk_v0_Zq8Tn3RkWv5Yb2Hc7Jm4Lp9Xd6Fs1Ga0Ue3Oi8Kt2Nw5Qy7"
NYLAS_PATCH_BODY='{"name":"bench","credential_data":{"client_id":"bench","client_secret":"bench"}}'
COMPOSIO_AUTH="x-api-key: ak_demo0Project0FullKey01"
COMPOSIO_PATCH_BODY='{"type":"custom","name":"bench"}'
LANGDOCK_AUTH="Authorization: Bearer sk-acme0integration0api0full0001"
LANGDOCK_BODY='{"name":"bench"}'
PURETALK_AUTH="X-API-KEY: pt-acme-demo-key-000000000000000000001"
PURETALK_BODY='{"data":{"api_key":"bench"}}'

ROWS=(
  "bare PATCH  | bare     | PATCH | /integrations/github | $PATCH_BODY | $JSON;;$NANGO_AUTH"
  "bare GET    | bare     | GET   | /integrations/github |             | $NANGO_AUTH"
  "nango PATCH | patchbay | PATCH | /integrations/github | $PATCH_BODY | $JSON;;$NANGO_AUTH"
  "nango PATCH, journal off | patchbay-nojournal | PATCH | /integrations/github | $PATCH_BODY | $JSON;;$NANGO_AUTH"
  "nango GET   | patchbay | GET   | /integrations/github |             | $NANGO_AUTH"
  "nylas PATCH | patchbay | PATCH | /v3/connectors/google/creds/a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601 | $NYLAS_PATCH_BODY | $JSON;;$NYLAS_AUTH"
  "composio PATCH | patchbay | PATCH | /api/v3.1/auth_configs/ac_gHc7Qm2xLp9T | $COMPOSIO_PATCH_BODY | $JSON;;$COMPOSIO_AUTH"
  "langdock PATCH | patchbay | PATCH | /integrations/v1/550e8400-e29b-41d4-a716-446655440000 | $LANGDOCK_BODY | $JSON;;$LANGDOCK_AUTH"
  "puretalk PATCH | patchbay | PATCH | /api/ruth-connect/integrations/123e4567-e89b-12d3-a456-426614174000 | $PURETALK_BODY | $JSON;;$PURETALK_AUTH"
  "nango PATCH, +$SCALE_RECORDS records | patchbay-scale | PATCH | /integrations/github | $PATCH_BODY | $JSON;;$NANGO_AUTH"
)

# Targets (see bench/README.md).
TARGET_PATCH_PCT=50
TARGET_GET_PCT=70
TARGET_P99_MS=5
TARGET_STARTUP_MS=100
TARGET_RSS_MB=30
# The "data grows" PATCH row keeps at least this share of the plain PATCH row.
TARGET_SCALE_PCT=80
# A row with the journal on keeps at least this share of the same row with it off.
TARGET_JOURNAL_PCT=90

# ---------------------------------------------------------------------------

log() { printf '%s\n' "$*" >&2; }
trim() {
  local s="$1"
  s="${s#"${s%%[![:space:]]*}"}"
  s="${s%"${s##*[![:space:]]}"}"
  printf '%s' "$s"
}
now_ns() { date +%s%N; }

# --- tools ------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk"
  if ! apt-get install -y wrk >&2; then
    apt-get update >&2
    apt-get install -y wrk >&2
  fi
fi
for tool in curl cargo; do
  command -v "$tool" >/dev/null 2>&1 || { log "error: $tool is required"; exit 1; }
done

log "building release binaries"
cargo build --release -p patchbay-server -p patchbay-bench-bare >&2

# --- processes --------------------------------------------------------------
TMPDIR_BENCH="$(mktemp -d -t patchbay-bench.XXXXXX)"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]+"${PIDS[@]}"}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]+"${PIDS[@]}"}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$TMPDIR_BENCH"
}
trap cleanup EXIT

# Waits for the "listening on http://..." line in $1 (stdout of $2) and prints
# the URL. Gives up after 30 s or when the process exits.
wait_for_url() {
  local out="$1" pid="$2" name="$3" url="" i
  for ((i = 0; i < 3000; i++)); do
    url="$(grep -m1 'listening on' "$out" 2>/dev/null | grep -o 'http://[^[:space:]]*' || true)"
    if [[ -n "$url" ]]; then
      printf '%s' "$url"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      log "error: $name exited before listening"
      return 1
    fi
    sleep 0.01
  done
  log "error: $name did not print its address within 30 s"
  return 1
}

http_status() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" || true
}

# Polls $1 until it answers 200. Gives up after 30 s or when $2 exits.
wait_for_200() {
  local url="$1" pid="$2" name="$3" i
  for ((i = 0; i < 3000; i++)); do
    [[ "$(http_status "$url")" == "200" ]] && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      log "error: $name exited before answering $url"
      return 1
    fi
    sleep 0.01
  done
  log "error: $name did not answer 200 on $url within 30 s"
  return 1
}

dump_logs() {
  local f
  for f in "$TMPDIR_BENCH"/*.out "$TMPDIR_BENCH"/*.err; do
    [[ -s "$f" ]] || continue
    log "--- $(basename "$f") (last 20 lines)"
    tail -n 20 "$f" >&2
  done
}

# patchbay first, on a quiet machine: startup time and idle RSS.
log "starting patchbay"
start_ns="$(now_ns)"
"$PATCHBAY_BIN" serve --bind 127.0.0.1:0 --db "$TMPDIR_BENCH/bench.db" --fixtures fixtures \
  >"$TMPDIR_BENCH/patchbay.out" 2>"$TMPDIR_BENCH/patchbay.err" &
PATCHBAY_PID=$!
PIDS+=("$PATCHBAY_PID")
PATCHBAY_URL="$(wait_for_url "$TMPDIR_BENCH/patchbay.out" "$PATCHBAY_PID" patchbay)" || { dump_logs; exit 1; }
wait_for_200 "$PATCHBAY_URL/_patchbay/health" "$PATCHBAY_PID" patchbay || { dump_logs; exit 1; }
ready_ns="$(now_ns)"
STARTUP_MS=$(( (ready_ns - start_ns) / 1000000 ))

sleep 1
IDLE_RSS_MB="$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$PATCHBAY_PID/status")"

log "starting bare handler"
"$BARE_BIN" 127.0.0.1:0 >"$TMPDIR_BENCH/bare.out" 2>"$TMPDIR_BENCH/bare.err" &
BARE_PID=$!
PIDS+=("$BARE_PID")
BARE_URL="$(wait_for_url "$TMPDIR_BENCH/bare.out" "$BARE_PID" bare)" || { dump_logs; exit 1; }
wait_for_200 "$BARE_URL/integrations/github" "$BARE_PID" bare || { dump_logs; exit 1; }

log "patchbay: $PATCHBAY_URL (pid $PATCHBAY_PID), bare: $BARE_URL (pid $BARE_PID)"

# The same patchbay with the request journal off, to price the journal.
PATCHBAY__CONTROL__JOURNAL_CAPACITY=0 "$PATCHBAY_BIN" serve --bind 127.0.0.1:0 \
  --db "$TMPDIR_BENCH/nojournal.db" --fixtures fixtures \
  >"$TMPDIR_BENCH/nojournal.out" 2>"$TMPDIR_BENCH/nojournal.err" &
NOJOURNAL_PID=$!
PIDS+=("$NOJOURNAL_PID")
PATCHBAY_NOJOURNAL_URL="$(wait_for_url "$TMPDIR_BENCH/nojournal.out" "$NOJOURNAL_PID" patchbay-nojournal)" || { dump_logs; exit 1; }
wait_for_200 "$PATCHBAY_NOJOURNAL_URL/_patchbay/health" "$NOJOURNAL_PID" patchbay-nojournal || { dump_logs; exit 1; }

# A second patchbay whose database holds the fixtures plus SCALE_RECORDS other
# records (one more tenant): PATCH cost must stay flat as data grows.
PATCHBAY_SCALE_URL=""
if (( SCALE_RECORDS > 0 )); then
  command -v python3 >/dev/null 2>&1 || { log "error: python3 is required to fill the scale database (or set BENCH_SCALE_RECORDS=0)"; exit 1; }
  scale_db="$TMPDIR_BENCH/scale.db"
  log "filling a database with $SCALE_RECORDS extra records"
  "$PATCHBAY_BIN" serve --bind 127.0.0.1:0 --db "$scale_db" --fixtures fixtures \
    >"$TMPDIR_BENCH/scale-seed.out" 2>"$TMPDIR_BENCH/scale-seed.err" &
  seed_pid=$!
  PIDS+=("$seed_pid")
  seed_url="$(wait_for_url "$TMPDIR_BENCH/scale-seed.out" "$seed_pid" patchbay-seed)" || { dump_logs; exit 1; }
  wait_for_200 "$seed_url/_patchbay/health" "$seed_pid" patchbay-seed || { dump_logs; exit 1; }
  kill -TERM "$seed_pid"
  wait "$seed_pid" 2>/dev/null || true
  python3 - "$scale_db" "$SCALE_RECORDS" <<'PY'
import sqlite3, sys
db, count = sys.argv[1], int(sys.argv[2])
connection = sqlite3.connect(db)
attributes = '{"display_name":null,"custom":{},"connection_count":0}'
credential = '{"kind":"OAUTH2","fields":{"client_id":"bulk","client_secret":"bulk","scopes":"repo"}}'
rows = (("nango", "bulk", f"bulk-{i:07d}", "github", attributes, credential, 1735689600000, 1735689600000) for i in range(count))
with connection:
    connection.executemany(
        "INSERT INTO integrations (vendor, tenant, id, kind, attributes, credential, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
        rows,
    )
connection.close()
PY
  "$PATCHBAY_BIN" serve --bind 127.0.0.1:0 --db "$scale_db" --fixtures fixtures \
    >"$TMPDIR_BENCH/scale.out" 2>"$TMPDIR_BENCH/scale.err" &
  scale_pid=$!
  PIDS+=("$scale_pid")
  PATCHBAY_SCALE_URL="$(wait_for_url "$TMPDIR_BENCH/scale.out" "$scale_pid" patchbay-scale)" || { dump_logs; exit 1; }
  wait_for_200 "$PATCHBAY_SCALE_URL/_patchbay/health" "$scale_pid" patchbay-scale || { dump_logs; exit 1; }
  log "patchbay-scale: $PATCHBAY_SCALE_URL (pid $scale_pid)"
fi

# --- load -------------------------------------------------------------------
# Value of key $2 in a BENCH_RESULT line $1 (see bench/request.lua); 0 if absent.
field() {
  local v
  v="$(sed -n "s/.* $2=\([0-9]*\).*/\1/p" <<<"$1")"
  printf '%s' "${v:-0}"
}

# Per-row results, indexed like ROWS.
R_NAME=() R_METHOD=() R_PATH=() R_SERVER=() R_RPS=() R_P99=() R_NON2XX=() R_SOCK=() R_SMOKE=()

for row in "${ROWS[@]}"; do
  IFS='|' read -r f_name f_server f_method f_path f_body f_headers <<<"$row"
  name="$(trim "$f_name")"
  server="$(trim "$f_server")"
  method="$(trim "$f_method")"
  path="$(trim "$f_path")"
  body="$(trim "$f_body")"
  headers="$(trim "$f_headers")"

  case "$server" in
    bare) base="$BARE_URL" ;;
    patchbay) base="$PATCHBAY_URL" ;;
    patchbay-nojournal) base="$PATCHBAY_NOJOURNAL_URL" ;;
    patchbay-scale)
      [[ -n "$PATCHBAY_SCALE_URL" ]] || continue
      base="$PATCHBAY_SCALE_URL"
      ;;
    *) log "error: row '$name': unknown server '$server'"; exit 1 ;;
  esac

  # Headers: ";;"-separated in the row, one per line for the Lua script.
  header_lines="${headers//;;/$'\n'}"
  curl_args=(-X "$method")
  while IFS= read -r h; do
    h="$(trim "$h")"
    if [[ -n "$h" ]]; then curl_args+=(-H "$h"); fi
  done <<<"$header_lines"
  if [[ -n "$body" ]]; then curl_args+=(--data-raw "$body"); fi

  # One request first, so that a row that only produces errors says why.
  smoke="$(http_status "${curl_args[@]}" "$base$path")"
  if [[ "$smoke" != 2* ]]; then
    log "warning: row '$name': single request answered $smoke:"
    curl -s --max-time 2 "${curl_args[@]}" "$base$path" >&2 || true
    log ""
  fi

  export BENCH_METHOD="$method" BENCH_PATH="$path" BENCH_BODY="$body" BENCH_HEADERS="$header_lines"

  log "row '$name': warm-up $WARMUP"
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" -s "$SCRIPT" "$base" >/dev/null

  log "row '$name': measuring $DURATION"
  out="$(wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s "$SCRIPT" "$base")"
  printf '%s\n' "$out" | sed 's/^/    /' >&2

  result="$(grep '^BENCH_RESULT ' <<<"$out" || true)"
  if [[ -z "$result" ]]; then
    log "error: row '$name': no BENCH_RESULT line in wrk output"
    exit 1
  fi
  requests="$(field "$result" requests)"
  duration_us="$(field "$result" duration_us)"
  p99_us="$(field "$result" p99_us)"
  sock=$(( $(field "$result" connect) + $(field "$result" read) + $(field "$result" write) + $(field "$result" timeout) ))

  R_NAME+=("$name")
  R_METHOD+=("$method")
  R_PATH+=("$path")
  R_SERVER+=("$server")
  R_RPS+=("$(awk -v r="$requests" -v d="$duration_us" 'BEGIN { printf "%.0f", (d > 0 ? r * 1e6 / d : 0) }')")
  R_P99+=("$(awk -v p="$p99_us" 'BEGIN { printf "%.2f", p / 1000 }')")
  R_NON2XX+=("$(field "$result" non2xx)")
  R_SOCK+=("$sock")
  R_SMOKE+=("$smoke")
done

# --- report -----------------------------------------------------------------
# requests/s of the bare row with the given method (empty if none).
bare_rps() {
  local i
  for i in "${!R_NAME[@]}"; do
    if [[ "${R_SERVER[$i]}" == bare && "${R_METHOD[$i]}" == "$1" ]]; then
      printf '%s' "${R_RPS[$i]}"
      return
    fi
  done
}

pct_of_bare() {
  local base
  base="$(bare_rps "$2")"
  if [[ -z "$base" || "$base" == 0 ]]; then
    printf 'n/a'
  else
    awk -v r="$1" -v b="$base" 'BEGIN { printf "%.1f%%", r * 100 / b }'
  fi
}

git_rev="$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo 'no commit')"
cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"

echo
echo "## patchbay benchmark"
echo
echo "- date: $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
echo "- git rev: $git_rev"
echo "- machine: $(nproc) CPUs${cpu:+ ($cpu)}, $(uname -sr)"
echo "- load: wrk $THREADS threads, $CONNECTIONS connections, $DURATION per row after a $WARMUP warm-up, loopback"
echo "- patchbay startup (spawn to first 200 on /_patchbay/health): ${STARTUP_MS} ms"
echo "- patchbay idle RSS before load: ${IDLE_RSS_MB} MB"
echo
echo "| row | requests/s | p99 (ms) | vs bare | errors |"
echo "|---|---:|---:|---:|---:|"
for i in "${!R_NAME[@]}"; do
  errors="${R_NON2XX[$i]}"
  if (( R_SOCK[i] > 0 )); then errors="$errors (+${R_SOCK[$i]} socket)"; fi
  if [[ "${R_SMOKE[$i]}" != 2* ]]; then errors="$errors (single request: ${R_SMOKE[$i]})"; fi
  printf '| %s | %s | %s | %s | %s |\n' \
    "${R_NAME[$i]}" "${R_RPS[$i]}" "${R_P99[$i]}" \
    "$(pct_of_bare "${R_RPS[$i]}" "${R_METHOD[$i]}")" "$errors"
done

# Targets, for the patchbay rows.
echo
echo "Targets:"
check() { # description, pass (0/1)
  if [[ "$2" == 1 ]]; then echo "- ok:   $1"; else echo "- MISS: $1"; fi
}
for i in "${!R_NAME[@]}"; do
  if [[ "${R_SERVER[$i]}" == bare ]]; then continue; fi
  case "${R_METHOD[$i]}" in
    PATCH) want="$TARGET_PATCH_PCT" ;;
    GET) want="$TARGET_GET_PCT" ;;
    *) want="" ;;
  esac
  # The data-grows and journal-off rows have their own targets (below).
  if [[ "${R_SERVER[$i]}" == patchbay-scale || "${R_SERVER[$i]}" == patchbay-nojournal ]]; then want=""; fi
  base="$(bare_rps "${R_METHOD[$i]}")"
  if [[ -n "$want" && -n "$base" && "$base" != 0 ]]; then
    check "${R_NAME[$i]}: requests/s >= ${want}% of bare ($(pct_of_bare "${R_RPS[$i]}" "${R_METHOD[$i]}"))" \
      "$(awk -v r="${R_RPS[$i]}" -v b="$base" -v w="$want" 'BEGIN { print (r * 100 >= b * w) ? 1 : 0 }')"
  fi
  check "${R_NAME[$i]}: p99 < ${TARGET_P99_MS} ms (${R_P99[$i]} ms)" \
    "$(awk -v p="${R_P99[$i]}" -v t="$TARGET_P99_MS" 'BEGIN { print (p < t) ? 1 : 0 }')"
  check "${R_NAME[$i]}: no errors (${R_NON2XX[$i]} non-2xx, ${R_SOCK[$i]} socket)" \
    "$(( R_NON2XX[i] == 0 && R_SOCK[i] == 0 ? 1 : 0 ))"
done
# The data-grows row against the plain patchbay row of the same method and path.
for i in "${!R_NAME[@]}"; do
  [[ "${R_SERVER[$i]}" == patchbay-scale ]] || continue
  for j in "${!R_NAME[@]}"; do
    [[ "${R_SERVER[$j]}" == patchbay && "${R_METHOD[$j]}" == "${R_METHOD[$i]}" && "${R_PATH[$j]}" == "${R_PATH[$i]}" ]] || continue
    check "${R_NAME[$i]}: requests/s >= ${TARGET_SCALE_PCT}% of '${R_NAME[$j]}' ($(awk -v a="${R_RPS[$i]}" -v b="${R_RPS[$j]}" 'BEGIN { printf "%.1f%%", (b > 0 ? a * 100 / b : 0) }'))" \
      "$(awk -v a="${R_RPS[$i]}" -v b="${R_RPS[$j]}" -v w="$TARGET_SCALE_PCT" 'BEGIN { print (a * 100 >= b * w) ? 1 : 0 }')"
  done
done
# The journal's cost: each journal-off row against the journal-on row of the same method and path.
for i in "${!R_NAME[@]}"; do
  [[ "${R_SERVER[$i]}" == patchbay-nojournal ]] || continue
  for j in "${!R_NAME[@]}"; do
    [[ "${R_SERVER[$j]}" == patchbay && "${R_METHOD[$j]}" == "${R_METHOD[$i]}" && "${R_PATH[$j]}" == "${R_PATH[$i]}" ]] || continue
    check "'${R_NAME[$j]}' (journal on) >= ${TARGET_JOURNAL_PCT}% of '${R_NAME[$i]}' ($(awk -v a="${R_RPS[$j]}" -v b="${R_RPS[$i]}" 'BEGIN { printf "%.1f%%", (b > 0 ? a * 100 / b : 0) }'))" \
      "$(awk -v a="${R_RPS[$j]}" -v b="${R_RPS[$i]}" -v w="$TARGET_JOURNAL_PCT" 'BEGIN { print (a * 100 >= b * w) ? 1 : 0 }')"
    break
  done
done
check "startup < ${TARGET_STARTUP_MS} ms (${STARTUP_MS} ms)" "$(( STARTUP_MS < TARGET_STARTUP_MS ? 1 : 0 ))"
check "idle RSS < ${TARGET_RSS_MB} MB (${IDLE_RSS_MB} MB)" \
  "$(awk -v m="$IDLE_RSS_MB" -v t="$TARGET_RSS_MB" 'BEGIN { print (m < t) ? 1 : 0 }')"
