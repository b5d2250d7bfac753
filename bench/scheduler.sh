#!/usr/bin/env bash
# Benchmark the scheduler on the scripted backend (release build):
#  1. a 1,000-stage chain with zero delay: scheduler overhead per stage;
#  2. a fan-out of 200 stages with 50 ms delays at --max-concurrency 50: wall time
#     against the ideal of 4 x 50 ms.
# Times come from the run's own trace (elapsed_ms of run_finished), so process start and
# workflow loading are not counted; the wall time of the whole command is printed too.
set -euo pipefail
cd "$(dirname "$0")/.."
fslm=${FSLM:-.build/release/fslm}
[[ -x $fslm ]] || swift build -c release --product fslm
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

awk 'BEGIN {
  print "version: 1\nname: chain\nmodels:\n  m: { backend: scripted, rules: [{ replies: [ok] }] }\nstages:"
  for (i = 0; i < 1000; i++) {
    printf "  s%d:\n", i
    if (i > 0) printf "    needs: [s%d]\n", i - 1
    if (i > 0) printf "    prompt: \"step %d after {{stages.s%d.output}}\"\n", i, i - 1
    else print "    prompt: \"step 0\""
    print "    validate: [not_empty]"
  }
}' > "$out/chain.yaml"

awk 'BEGIN {
  print "version: 1\nname: fanout\nmodels:\n  m: { backend: scripted, delay: 50ms, rules: [{ replies: [ok] }] }\nstages:"
  for (i = 0; i < 200; i++) printf "  s%d: { prompt: \"item %d\" }\n", i, i
}' > "$out/fanout.yaml"

finished_ms() { grep '"type":"run_finished"' "$1" | sed 's/.*"elapsed_ms":\([0-9.]*\).*/\1/'; }
wall() { local s=$EPOCHREALTIME; "$@" > /dev/null; awk -v a="$s" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }

for n in 1 2 3; do
  w=$(wall "$fslm" run "$out/chain.yaml" --quiet --trace "$out/chain.jsonl")
  ms=$(finished_ms "$out/chain.jsonl")
  awk -v ms="$ms" -v w="$w" -v n="$n" 'BEGIN { printf "chain of 1,000 stages, run %d: %.1f ms in the scheduler = %.3f ms per stage (target < 1 ms); whole command %d ms\n", n, ms, ms / 1000, w }'
done
for n in 1 2 3; do
  w=$(wall "$fslm" run "$out/fanout.yaml" --quiet --max-concurrency 50 --trace "$out/fanout.jsonl")
  ms=$(finished_ms "$out/fanout.jsonl")
  awk -v ms="$ms" -v w="$w" -v n="$n" 'BEGIN { printf "fan-out of 200 x 50 ms at concurrency 50, run %d: %.1f ms = %.2f x the ideal 200 ms (serial would be 10,000 ms); whole command %d ms\n", n, ms, ms / 200, w }'
done
