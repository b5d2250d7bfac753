"""Tokenized training examples: prompt and completion tokenized apart, as fslm does at run time
(it encodes the rendered prompt, then generates), the loss taken on the completion and the
end-of-text token only."""

import random

import torch

import taskgen

EOS = "<|endoftext|>"


class Encoder:
    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.eos = tokenizer.token_to_id(EOS)
        self.cache: dict[str, list[int]] = {}

    def ids(self, text: str) -> list[int]:
        if text not in self.cache:
            if len(self.cache) > 200_000:
                self.cache.clear()
            self.cache[text] = self.tokenizer.encode(text).ids
        return self.cache[text]

    def example(self, prompt: str, completion: str) -> tuple[list[int], list[int]]:
        p, c = self.ids(prompt), self.ids(completion) + [self.eos]
        return p + c, [-100] * len(p) + c


def extra_compute(rng: random.Random) -> tuple[str, str, str]:
    """A compute example straight from an operation, without a question: the stage that
    learns slowest (carries) gets more of them."""
    op = rng.choice("+-*/")
    a, b, c = taskgen.operands(op, rng)
    plan = taskgen.PLANS[op].format(a=a, b=b)
    return "compute", taskgen.compute_prompt(plan), f" {a} {op} {b} = {c}"


def stream(stages: set[str], seed: int):
    """Endless (stage, prompt, completion) triples for the given stages, from the training split."""
    for q, rng in taskgen.training_stream(seed):
        for item in taskgen.examples(q, rng):
            if item[0] in stages and not (item[0] == "route" and rng.random() < 0.5):
                yield item
        if "compute" in stages:
            yield extra_compute(rng)


def batch(encoder: Encoder, items: list[tuple[str, str, str]]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Right-padded input ids, labels (-100 outside completions) and attention mask."""
    pairs = [encoder.example(p, c) for _, p, c in items]
    width = max(len(ids) for ids, _ in pairs)
    ids = torch.full((len(pairs), width), encoder.eos, dtype=torch.long)
    labels = torch.full((len(pairs), width), -100, dtype=torch.long)
    mask = torch.zeros((len(pairs), width), dtype=torch.long)
    for row, (i, l) in enumerate(pairs):
        ids[row, :len(i)] = torch.tensor(i)
        labels[row, :len(l)] = torch.tensor(l)
        mask[row, :len(i)] = 1
    return ids, labels, mask


def validation_items(stages: set[str]) -> list[tuple[str, str, str]]:
    """The stage examples of every third question of the validation split (no feedback lines),
    for the loss curve."""
    rng = random.Random(0)
    return [item for q in taskgen.validation_split()[::3]
            for item in taskgen.examples(q, rng, feedback_rate=0.0) if item[0] in stages]
