#!/bin/sh
# Rebuilds models/fslm-tiny from seeds on the CPU: the tokenizer, the base model, one LoRA
# adapter per stage, the evaluation cases, the per-stage accuracy table and the model card. About 70 minutes
# on 2 cores. Usage: training/make.sh [OUT]   (default: models/fslm-tiny)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(mkdir -p "${1:-$here/../models/fslm-tiny}" && cd "${1:-$here/../models/fslm-tiny}" && pwd)
venv="$here/../.venv"
if ! "$venv/bin/python" -c "import torch, transformers, peft, tokenizers" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet -r "$here/requirements.txt"
fi
py="$venv/bin/python"
cd "$here"
python3 -m unittest discover -s "$here" -p 'test_*.py'

BASE_STEPS=${BASE_STEPS:-4000} ADAPTER_STEPS=${ADAPTER_STEPS:-200}  # smaller for a smoke test of the recipe
: > "$out/phases.txt"
phase() {  # phase NAME COMMAND...: runs it, logging its start and end to phases.txt
  name=$1; shift
  echo "== $name"
  echo "$name start $(date +%s)" >> "$out/phases.txt"
  "$@"
  echo "$name end $(date +%s)" >> "$out/phases.txt"
}
stage_accuracy() { "$py" stage_accuracy.py "$out" > "$out/stage-accuracy.json"; }
phase tokenizer "$py" train_tokenizer.py "$out/tokenizer.json"
phase base "$py" train_base.py "$out" $BASE_STEPS
phase adapters "$py" train_adapters.py "$out" $ADAPTER_STEPS
mkdir -p "$here/data"
python3 taskgen.py eval > "$here/data/eval.jsonl"
python3 taskgen.py validation > "$here/data/validation.jsonl"
phase stage-accuracy stage_accuracy
rm -f "$out/generation_config.json"
python3 model_card.py "$out"
echo "Done: $out. Evaluate with: make eval (then python3 training/model_card.py $out bench/out adds the results to the card)"
