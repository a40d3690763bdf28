#!/usr/bin/env bash
# The search page over HTTP on loopback: the 10k-article corpus imported into a fresh data
# folder, `nashir serve` (release) with the rate limit off, and wrk asking varied queries
# drawn from the corpus's titles — with the page cache and without it. The reference in the
# same run is /healthz (one tiny database query), so the figures survive a noisy machine.
#   bench/search-http.sh [SECONDS]     (default 10 per run)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/nashir/target}"
secs="${1:-10}"
corpus="../shared/data/arabic-news/ant_v1.1_jawharafm.jsonl"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
cargo build --release -p nashir --quiet
bin="$CARGO_TARGET_DIR/release/nashir"
echo "== importing the corpus"
"$bin" import jsonl "$corpus" --data-dir "$work/data" --timezone Africa/Tunis | head -2
# 3,000 queries: one or two words of random titles (bench/search_queries.py).
python3 bench/search_queries.py "$corpus" > "$work/queries.lua"
run() { # name, extra serve flags
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  NASHIR_LOG=warn "$bin" serve --data-dir "$work/data" --listen "127.0.0.1:$port" --search-rate-limit 0 "${@:2}" > "$work/serve.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do grep -q "Nashir is serving" "$work/serve.log" && break; sleep 0.2; done
  local ref search
  ref=$(wrk -t2 -c32 -d"${secs}s" "http://127.0.0.1:$port/healthz" | awk '/Requests\/sec/ {print $2}')
  search=$(wrk -t2 -c32 -d"${secs}s" -s "$work/queries.lua" "http://127.0.0.1:$port" | tee "$work/wrk.txt" | awk '/Requests\/sec/ {print $2}')
  grep -E "Latency|Non-2xx" "$work/wrk.txt" || true
  awk -v n="$1" -v s="$search" -v r="$ref" 'BEGIN { printf "%-22s search %8.0f req/s   /healthz %8.0f req/s   ratio %.2f   (target: >= 3000 req/s)\n", n, s, r, s/r }'
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
}
run "with page cache"
run "without page cache" --no-page-cache
