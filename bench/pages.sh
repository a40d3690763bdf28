#!/usr/bin/env bash
# Uncached page throughput over HTTP on loopback: the 10k-article corpus imported into a
# fresh data folder, `nashir serve` (release) with `--no-page-cache`, and wrk asking for
# varied article, category, home, newsroom-list and search pages. The reference measured in
# the same run is /healthz, so the figures survive a noisy machine.
#   bench/pages.sh [SECONDS]            (default 10 per run)
#   NASHIR_BENCH_BIN=path bench/pages.sh   (measure another build, e.g. an older commit)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/nashir/target}"
secs="${1:-10}"
corpus="../shared/data/arabic-news/ant_v1.1_jawharafm.jsonl"
[ -f "$corpus" ] || { echo "the shared corpus is absent: $corpus" >&2; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
if [ -z "${NASHIR_BENCH_BIN:-}" ]; then
  cargo build --release -p nashir --quiet
  bin="$CARGO_TARGET_DIR/release/nashir"
else
  bin="$NASHIR_BENCH_BIN"
fi
echo "== importing the corpus"
"$bin" import jsonl "$corpus" --data-dir "$work/data" --timezone Africa/Tunis | head -2
printf '%s\n' 'bench passphrase 1234' | "$bin" user add --data-dir "$work/data" --email bench@example.com --name "محرر" --role editor >/dev/null
python3 bench/paths.py "$work/data/nashir.db" "$corpus" "$work"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
NASHIR_LOG=warn "$bin" serve --data-dir "$work/data" --listen "127.0.0.1:$port" --search-rate-limit 0 --no-page-cache > "$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do grep -q "Nashir is serving" "$work/serve.log" && break; sleep 0.2; done
cookie=$(python3 bench/login.py "$base" bench@example.com 'bench passphrase 1234')

measure() { # name, wrk args…
  local out; out=$(wrk -t2 -c64 -d"${secs}s" --latency "${@:2}")
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  printf '%-26s %9.0f req/s   p99 %8s   non-2xx %s\n' "$1" "$rps" "$p99" "${errors:-0}"
  echo "$rps" > "$work/last"
}
echo "== uncached pages, wrk -t2 -c64 -d${secs}s"
measure "/healthz (reference)" "$base/healthz"; ref=$(cat "$work/last")
for kind in article category; do
  measure "$kind" -s "$work/$kind.lua" "$base"
  awk -v r="$(cat "$work/last")" -v h="$ref" 'BEGIN { printf "%-26s %9.3f of /healthz\n", "", r/h }'
done
measure "home" "$base/"
awk -v r="$(cat "$work/last")" -v h="$ref" 'BEGIN { printf "%-26s %9.3f of /healthz\n", "", r/h }'
measure "search" -s "$work/search.lua" "$base"
awk -v r="$(cat "$work/last")" -v h="$ref" 'BEGIN { printf "%-26s %9.3f of /healthz\n", "", r/h }'
measure "newsroom article list" -H "Cookie: $cookie" -s "$work/newsroom.lua" "$base"
awk -v r="$(cat "$work/last")" -v h="$ref" 'BEGIN { printf "%-26s %9.3f of /healthz\n", "", r/h }'
