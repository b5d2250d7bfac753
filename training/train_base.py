"""Train the base GPT-NeoX model on every stage format at once (each prompt names its stage).

    python3 train_base.py OUT STEPS

Writes OUT/config.json, OUT/model.safetensors and OUT/base-log.json (the loss curve).
"""

import itertools
import json
import math
import sys
import time

import torch
from tokenizers import Tokenizer
from transformers import GPTNeoXConfig, GPTNeoXForCausalLM

import examples

BATCH, LR, WARMUP, SEED = 64, 1.5e-3, 150, 1234
ALL_STAGES = {"route", "plan", "compute", "convert", "answer", "direct"}


def config(vocab_size: int) -> GPTNeoXConfig:
    return GPTNeoXConfig(
        vocab_size=vocab_size, hidden_size=256, num_hidden_layers=4, num_attention_heads=8,
        intermediate_size=1024, hidden_act="gelu", rotary_pct=0.5, rotary_emb_base=10000,
        max_position_embeddings=256, layer_norm_eps=1e-5, use_parallel_residual=True,
        tie_word_embeddings=False, bos_token_id=0, eos_token_id=0)


def learning_rate(step: int, steps: int, peak: float, warmup: int) -> float:
    """Linear warm-up, then cosine down to a tenth of the peak."""
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, steps - warmup)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


@torch.no_grad()
def validation_loss(model, encoder, items) -> float:
    model.eval()
    total, count = 0.0, 0
    for start in range(0, len(items), 128):
        ids, labels, mask = examples.batch(encoder, items[start:start + 128])
        logits = model(input_ids=ids, attention_mask=mask).logits[:, :-1]
        target = labels[:, 1:]
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1),
                                                 ignore_index=-100, reduction="sum")
        total += loss.item()
        count += (target != -100).sum().item()
    model.train()
    return total / count


def train(model, encoder, stages: set[str], steps: int, lr: float, warmup: int, seed: int, log_every: int):
    """The shared loop of the base and adapter runs; returns the loss log."""
    torch.manual_seed(seed)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.01, betas=(0.9, 0.98))
    data = examples.stream(stages, seed)
    held = examples.validation_items(stages)
    log, start, tokens, running = [], time.time(), 0, []
    model.train()
    for step in range(steps):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, steps, lr, warmup)
        ids, labels, mask = examples.batch(encoder, list(itertools.islice(data, BATCH)))
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        tokens += ids.numel()
        running.append(loss.item())
        if (step + 1) % log_every == 0 or step + 1 == steps:
            entry = {"step": step + 1, "minutes": round((time.time() - start) / 60, 2),
                     "train_loss": round(sum(running) / len(running), 4),
                     "validation_loss": round(validation_loss(model, encoder, held), 4),
                     "tokens_per_second": round(tokens / (time.time() - start))}
            running = []
            log.append(entry)
            print(json.dumps(entry), flush=True)
    return log


def main(out: str, steps: int) -> None:
    torch.set_num_threads(2)
    torch.manual_seed(SEED)
    tokenizer = Tokenizer.from_file(f"{out}/tokenizer.json")
    encoder = examples.Encoder(tokenizer)
    model = GPTNeoXForCausalLM(config(tokenizer.get_vocab_size()))
    print(f"parameters: {sum(p.numel() for p in model.parameters()):,}", flush=True)
    log = train(model, encoder, ALL_STAGES, steps, LR, WARMUP, SEED, log_every=max(1, steps // 25))
    model.save_pretrained(out, safe_serialization=True)
    with open(f"{out}/base-log.json", "w") as f:
        json.dump(log, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
