"""Write the model card (README.md) of a model folder from the logs the recipe left in it, and
from `fslm eval` reports when given (bench/eval-stack.sh writes them to bench/out/).

    python3 training/model_card.py models/fslm-tiny [bench/out]

Standard library only: every number in the card is read from a file, none is typed in.
"""

import json
import pathlib
import sys

import taskgen
import vocabulary as V

EVALS = [("eval-direct.json", "`direct` adapter alone (one step)"),
         ("eval-stack-single.json", "stack, one greedy attempt per stage"),
         ("eval-stack.json", "stack with validators and retries")]


def read(path: pathlib.Path):
    return json.loads(path.read_text()) if path.exists() else None


def phases(folder: pathlib.Path) -> list[tuple[str, float]]:
    """(phase, minutes) from phases.txt lines `NAME start|end EPOCH`."""
    marks = {}
    for line in (folder / "phases.txt").read_text().split("\n"):
        if line.strip():
            name, what, when = line.split()
            marks[(name, what)] = int(when)
    return [(name, (marks[(name, "end")] - marks[(name, "start")]) / 60)
            for name in ["tokenizer", "base", "adapters", "stage-accuracy"] if (name, "end") in marks]


def rotary_fraction(config: dict) -> float:
    """The rotary share of each head, in either transformers dialect of config.json."""
    for source in (config, config.get("rope_parameters") or {}):
        for key in ("rotary_pct", "partial_rotary_factor"):
            if key in source:
                return source[key]
    return 1.0


def curve(log: list[dict], points: int = 10) -> str:
    step = max(1, len(log) // points)
    chosen = log[step - 1::step]
    if chosen[-1] is not log[-1]:
        chosen.append(log[-1])
    rows = ["| step | minutes | training loss | validation loss |", "|---|---|---|---|"]
    rows += [f"| {e['step']} | {e['minutes']} | {e['train_loss']} | {e['validation_loss']} |" for e in chosen]
    return "\n".join(rows)


def main(folder: str, evals: str | None) -> None:
    out = pathlib.Path(folder)
    config = read(out / "config.json")
    base_log = read(out / "base-log.json")
    accuracy = read(out / "stage-accuracy.json")
    weights = (out / "model.safetensors").stat().st_size
    adapters = {stage: (out / "adapters" / stage / "adapter_model.safetensors").stat().st_size for stage in taskgen.STAGES}
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    parameters = round(weights / 4)  # f32
    lines = [
        "# fslm-tiny",
        "",
        "The bundled model of fslm: a GPT-NeoX base of "
        f"{parameters / 1e6:.2f}M parameters trained from scratch on a synthetic task set, with one "
        "LoRA adapter per stage of `workflows/fslm-stack.yaml` and one, `direct`, for the "
        "single-model baseline `workflows/fslm-direct.yaml`. Rebuilt from seeds by `training/make.sh`; "
        "this card is written by `training/model_card.py` from the logs in this folder.",
        "",
        "It knows three kinds of question and nothing else: arithmetic word problems with small "
        "numbers, unit conversions, and everything else (which the stack declines). It was "
        "trained on the phrasings in `training/taskgen.py`; other phrasings are outside what it "
        "has seen.",
        "",
        "## Data",
        "",
        f"- Arithmetic ({sum(len(v) for v in taskgen.ARITHMETIC.values())} phrasings): add and subtract "
        "within 2..99, multiply up to 12 x 12, exact division; conversions "
        f"({len(taskgen.CONVERSION)} phrasings, {len(V.CONVERSIONS)} unit pairs among m/km/cm, g/kg, "
        f"s/min/h, ml/l); declined questions ({len(V.OTHER_TEMPLATES) + len(taskgen.NUMBERED_OTHER)} kinds).",
        f"- Names: {len(V.NAMES_TRAIN)} for training, {len(V.NAMES_HELD_OUT)} held out; objects: "
        f"{len(V.OBJECTS_TRAIN)} for training, {len(V.OBJECTS_HELD_OUT)} held out; declined topics split alike.",
        "- Training questions are drawn from a stream seeded with 1; validation (seed 2) and "
        "evaluation (seed 3) hold 300 questions each (60% arithmetic, 25% conversion, 15% other), "
        "half of them with held-out names, objects and topics, and training skips any question of "
        "either. The evaluation cases are `training/data/eval.jsonl`.",
        "- Each question teaches every stage its own format (the prompts of `plugins/arith/templates`); "
        "15% of compute and convert examples carry a retry's feedback line with a wrong result.",
        "",
        "## Model",
        "",
        f"- GPT-NeoX: {config['num_hidden_layers']} layers, width {config['hidden_size']}, "
        f"{config['num_attention_heads']} heads, feed-forward {config['intermediate_size']}, rotary on "
        f"{int(rotary_fraction(config) * 100)}% of each head, untied embeddings, context {config['max_position_embeddings']}; "
        f"byte-level BPE tokenizer of {config['vocab_size']} tokens, digits one per token.",
        f"- Weights: {weights / 1e6:.1f} MB (f32). Adapters: LoRA r = 8, alpha 16, on every linear layer, "
        f"{min(adapters.values()) / 1e3:.0f} kB each. Whole folder: {total / 1e6:.1f} MB.",
        "",
        "## Training",
        "",
        "Base: AdamW (peak 1.5e-3, 150 warm-up steps, cosine to a tenth), batches of 64 examples, "
        f"{base_log[-1]['step']} steps, loss on completions only. Adapters: "
        f"{read(out / 'adapters' / 'route' / 'log.json')[-1]['step']} steps each at 1e-3 "
        "on their stage's examples only. torch on 2 CPU threads.",
        "",
        "| phase | minutes |",
        "|---|---|",
    ]
    lines += [f"| {name} | {minutes:.1f} |" for name, minutes in phases(out)]
    lines += ["", "Wall-clock minutes of the run that built this folder; its throughput (tokens/s, "
              "padding included) is logged in base-log.json and adapters/*/log.json."]
    lines += ["", "Base loss (validation: the stage examples of every third validation question):", "", curve(base_log), ""]
    lines += ["Adapters, last logged step:", "", "| adapter | training loss | validation loss |", "|---|---|---|"]
    for stage in taskgen.STAGES:
        last = read(out / "adapters" / stage / "log.json")[-1]
        lines.append(f"| {stage} | {last['train_loss']} | {last['validation_loss']} |")
    if accuracy:
        lines += ["", "## Each stage alone", "",
                  "Greedy exact match on the first validation examples of each stage, given correct "
                  "inputs (`stage_accuracy.py`, transformers):", "",
                  "| stage | examples | base alone | base + adapter |", "|---|---|---|---|"]
        lines += [f"| {s} | {a['examples']} | {100 * a['base']:.0f}% | {100 * a['adapter']:.0f}% |" for s, a in accuracy.items()]
    reports = [(name, read(pathlib.Path(evals) / file)) for file, name in EVALS] if evals else []
    if reports and all(r for _, r in reports):
        classes = ["arithmetic", "conversion", "other", "seen", "held-out"]
        lines += ["", "## Evaluation", "",
                  "`bench/eval-stack.sh`: `fslm eval` on the 300 evaluation cases (release build, native core; "
                  "`number` metric for arithmetic and conversions, the exact decline otherwise):", "",
                  "| method | " + " | ".join(classes) + " | all | tokens per question | mean latency |",
                  "|---|" + "---|" * (len(classes) + 3)]
        for name, r in reports:
            cells = [f"{100 * r['tags'][c]['accuracy']:.1f}%" for c in classes]
            lines.append(f"| {name} | " + " | ".join(cells) + f" | **{100 * r['accuracy']:.1f}%** | "
                         f"{r['tokens'] / r['cases']:.0f} | {r['latency_ms']['mean']:.0f} ms |")
    (out / "README.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
