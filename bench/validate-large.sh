#!/usr/bin/env bash
# Benchmark: `fslm validate` on a generated workflow of about 100,000 lines (5,000
# stages), release build. Prints lines, median/min/max wall time of 5 runs, and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
fslm=${FSLM:-.build/release/fslm}
[[ -x $fslm ]] || swift build -c release --product fslm
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bench/make-large-workflow.sh > "$out/large.yaml"
lines=$(wc -l < "$out/large.yaml")
times=()
for _ in 1 2 3 4 5; do
  start=$EPOCHREALTIME
  "$fslm" validate "$out/large.yaml" > /dev/null
  end=$EPOCHREALTIME
  times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')")
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
[[ -x /usr/bin/time ]] || apt-get install -y -qq time >/dev/null
rss=$( { /usr/bin/time -f '%M' "$fslm" validate "$out/large.yaml" > /dev/null; } 2>&1 | tail -1 )
printf 'validate, %s lines (5,000 stages): median %ss, min %ss, max %ss, peak RSS %s MB (target: under 2 s)\n' \
  "$lines" "$(echo "$sorted" | sed -n 3p)" "$(echo "$sorted" | head -1)" "$(echo "$sorted" | tail -1)" "$((rss / 1024))"
