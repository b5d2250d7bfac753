"""Greedy accuracy of each stage on the validation split, given correct inputs: the base model
alone against the base with the stage's adapter.

    python3 stage_accuracy.py MODEL_DIR > stage-accuracy.json
"""

import json
import random
import sys

import torch
from peft import PeftModel
from tokenizers import Tokenizer
from transformers import GPTNeoXForCausalLM

import taskgen
from examples import Encoder


@torch.no_grad()
def greedy(model, encoder: Encoder, prompt: str, limit: int = 32) -> str:
    ids = encoder.ids(prompt)
    out: list[int] = []
    for _ in range(limit):
        logits = model(input_ids=torch.tensor([ids + out])).logits[0, -1]
        token = int(logits.argmax())
        if token == encoder.eos:
            break
        out.append(token)
    return encoder.tokenizer.decode(out)


def accuracy(model, encoder, items) -> float:
    model.eval()
    return sum(greedy(model, encoder, p).strip() == c.strip() for _, p, c in items) / len(items)


def main(folder: str) -> None:
    torch.set_num_threads(2)
    encoder = Encoder(Tokenizer.from_file(f"{folder}/tokenizer.json"))
    rng = random.Random(0)
    items = [item for q in taskgen.validation_split() for item in taskgen.examples(q, rng, feedback_rate=0.0)]
    report = {}
    for stage in taskgen.STAGES:
        chosen = [item for item in items if item[0] == stage][:100]
        base = GPTNeoXForCausalLM.from_pretrained(folder)
        before = accuracy(base, encoder, chosen)
        after = accuracy(PeftModel.from_pretrained(base, f"{folder}/adapters/{stage}"), encoder, chosen)
        report[stage] = {"examples": len(chosen), "base": round(before, 3), "adapter": round(after, 3)}
        print(stage, report[stage], file=sys.stderr, flush=True)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
