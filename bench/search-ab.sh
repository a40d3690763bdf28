#!/usr/bin/env bash
# Uncached search page throughput of two nashir binaries, measured in turns on the same
# queries (the 10k corpus imported once per binary, each with its own migrations; which runs
# first alternates by round), so a
# change to the analyzer or the query path is judged against the version before it on the
# same noisy machine: B/A ratios per round, and their mean.
#   bench/search-ab.sh BIN_A BIN_B [SECONDS] [ROUNDS]     (default 10 s, 3 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
a="$1"; b="$2"; secs="${3:-10}"; rounds="${4:-3}"
corpus="../shared/data/arabic-news/ant_v1.1_jawharafm.jsonl"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for side in a b; do
  bin=${!side}
  "$bin" import jsonl "$corpus" --data-dir "$work/$side" --timezone Africa/Tunis > /dev/null
done
python3 bench/search_queries.py "$corpus" > "$work/queries.lua"
measure() { # side → req/s
  local side=$1 bin=${!1} port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  NASHIR_LOG=warn "$bin" serve --data-dir "$work/$side" --listen "127.0.0.1:$port" --search-rate-limit 0 --no-page-cache > "$work/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 150); do grep -q "Nashir is serving" "$work/serve.log" && break; sleep 0.2; done
  wrk -t2 -c32 -d2s -s "$work/queries.lua" "http://127.0.0.1:$port" > /dev/null # warm-up
  wrk -t2 -c32 -d"${secs}s" -s "$work/queries.lua" "http://127.0.0.1:$port" | awk '/Requests\/sec/ {print $2}'
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}
ratios=()
for r in $(seq 1 "$rounds"); do
  # Alternate which runs first: the second of a pair may meet a warmer or busier machine.
  if (( r % 2 )); then ra=$(measure a); rb=$(measure b); else rb=$(measure b); ra=$(measure a); fi
  ratio=$(awk -v x="$rb" -v y="$ra" 'BEGIN { printf "%.3f", x / y }')
  ratios+=("$ratio")
  printf "round %d: A %8.0f req/s   B %8.0f req/s   B/A %s\n" "$r" "$ra" "$rb" "$ratio"
done
printf "%s\n" "${ratios[@]}" | awk '{ s += $1; if (NR == 1 || $1 < m) m = $1 } END { printf "B/A mean %.3f, minimum %.3f over %d rounds (uncached search page, wrk -t2 -c32)\n", s / NR, m, NR }'
