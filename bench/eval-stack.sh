#!/bin/sh
# The bundled stack against its single-model baseline on the evaluation cases
# (training/data/eval.jsonl, 300 questions never seen in training): the `direct` adapter
# alone, the stack with one greedy attempt per stage, and the stack with its validators and
# retries. Prints one Markdown table (accuracy per class, tokens per question, latency) and
# keeps each report's JSON in bench/out/. Needs the release build (make build) and python3.
set -eu
cd "$(dirname "$0")/.."
fslm=.build/release/fslm
data=${1:-training/data/eval.jsonl}
mkdir -p bench/out
$fslm eval workflows/fslm-direct.yaml --data "$data" --json --quiet > bench/out/eval-direct.json
$fslm eval workflows/fslm-stack.yaml --data "$data" --json --quiet --single-attempt > bench/out/eval-stack-single.json
$fslm eval workflows/fslm-stack.yaml --data "$data" --json --quiet > bench/out/eval-stack.json
python3 - bench/out/eval-direct.json bench/out/eval-stack-single.json bench/out/eval-stack.json <<'PY'
import json, sys
names = ["direct (one adapter)", "stack, one attempt per stage", "stack, validators + retries"]
reports = [json.load(open(path)) for path in sys.argv[1:]]
classes = ["arithmetic", "conversion", "other", "seen", "held-out"]
def cell(tag):
    return f"{100 * tag['accuracy']:.1f}% ({tag['passed']}/{tag['cases']})" if tag else "-"
print("| method | " + " | ".join(classes) + " | all | tokens per question | mean latency | p95 latency |")
print("|---|" + "---|" * (len(classes) + 4))
for name, r in zip(names, reports):
    tags = r.get("tags", {})
    print(f"| {name} | " + " | ".join(cell(tags.get(c)) for c in classes)
          + f" | **{100 * r['accuracy']:.1f}%** ({r['passed']}/{r['cases']}) | {r['tokens'] / r['cases']:.0f}"
          + f" | {r['latency_ms']['mean']:.0f} ms | {r['latency_ms']['p95']:.0f} ms |")
PY
