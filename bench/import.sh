#!/usr/bin/env bash
# End-to-end import benchmark: generates a large WordPress export from the Arabic news corpus,
# then imports it with the release binary into a fresh data folder, reporting items per
# second and peak resident memory. The parser alone (no database) is measured in the same run
# as the reference, and the ratio printed, since these machines are shared and noisy.
#   bench/import.sh [MEGABYTES]      (default 200; 1000 for the 1 GB case)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/nashir/target}"
mb="${1:-200}"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release -p nashir --quiet
echo "== generating a ${mb} MB export"
NASHIR_WXR_BENCH_MB="$mb" NASHIR_WXR_BENCH_OUT="$work/large.wxr.xml" cargo bench -p nashir-import --bench wxr_memory --quiet 2>/dev/null | grep generated
echo "== reference: the streaming parser alone (validate + convert, no database)"
NASHIR_WXR_BENCH_MB="$mb" cargo bench -p nashir-import --bench wxr_memory --quiet 2>/dev/null | grep -E "validate|import" || true
echo "== nashir import wordpress (SQLite)"
/usr/bin/time -v "$CARGO_TARGET_DIR/release/nashir" import wordpress "$work/large.wxr.xml" --data-dir "$work/data" --timezone UTC \
  2> "$work/time.txt" | grep -E "Imported|created|skipped"
grep -E "Maximum resident set size|Elapsed" "$work/time.txt"
items=$(grep -c "<item>" "$work/large.wxr.xml")
secs=$(awk -F': ' '/Elapsed/ {split($2,t,":"); s=0; for(i=1;i<=length(t);i++) s=s*60+t[i]; print s}' "$work/time.txt")
rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$work/time.txt")
awk -v n="$items" -v s="$secs" -v r="$rss" 'BEGIN { printf "items: %d, %.0f items/s, peak RSS %.0f MB (target: under 300 MB)\n", n, n/s, r/1024 }'
