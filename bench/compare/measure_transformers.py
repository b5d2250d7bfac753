#!/usr/bin/env python3
"""Prefill and decode speed of a Hugging Face transformers model on the CPU, for bench/compare.sh.

    python measure_transformers.py --model DIR --dtype f32|bf16 [--threads 2]
        [--prompt-tokens 512] [--gen-tokens 128] [--repetitions 3]

Eager attention, `torch.set_num_threads(THREADS)`, no gradients. Each repetition feeds a
synthetic prompt in one forward pass (prefill, computing the last position's logits only, as
`generate()` does), takes the greedy token, then runs one forward
pass per new token with the KV cache (`use_cache=True`) until `--gen-tokens` tokens exist: the
same steps and the same counting as `fslm bench` (decode tok/s = (gen - 1) / decode time).
One warm-up, then the repetitions. Prints one JSON object shaped like `fslm bench --json`:
prefillTokensPerSecond / decodeTokensPerSecond {median, min, max}, peakResidentMegabytes.
"""

import argparse
import json
import resource
import statistics
import time

import torch
from transformers import AutoModelForCausalLM

DTYPES = {"f32": torch.float32, "bf16": torch.bfloat16, "f16": torch.float16}


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def one_run(model, ids, generated):
    """(prefill seconds, decode seconds) of one greedy generation."""
    with torch.inference_mode():
        start = time.perf_counter()
        out = model(input_ids=ids, use_cache=True, logits_to_keep=1)  # as generate() does
        token = out.logits[:, -1].argmax(dim=-1, keepdim=True)
        prefilled = time.perf_counter()
        cache = out.past_key_values
        for _ in range(generated - 1):
            out = model(input_ids=token, past_key_values=cache, use_cache=True)
            cache = out.past_key_values
            token = out.logits[:, -1].argmax(dim=-1, keepdim=True)
        end = time.perf_counter()
    return prefilled - start, end - prefilled


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="a Hugging Face model folder")
    parser.add_argument("--dtype", choices=sorted(DTYPES), default="f32")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--prompt-tokens", type=int, default=512)
    parser.add_argument("--gen-tokens", type=int, default=128)
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    if args.prompt_tokens < 1 or args.gen_tokens < 2 or args.repetitions < 1:
        parser.error("--prompt-tokens >= 1, --gen-tokens >= 2 and --repetitions >= 1 are required")

    torch.set_num_threads(args.threads)
    model = AutoModelForCausalLM.from_pretrained(
        args.model, dtype=DTYPES[args.dtype], attn_implementation="eager"
    ).eval()
    vocab = model.config.vocab_size
    # Synthetic ids spread over the vocabulary, as fslm bench makes them.
    ids = torch.tensor([[(i * 7919 + 13) % vocab for i in range(args.prompt_tokens)]])
    prefill, decode = [], []
    for round in range(args.repetitions + 1):
        p, d = one_run(model, ids, args.gen_tokens)
        if round == 0:
            continue  # warm-up
        prefill.append(args.prompt_tokens / p)
        decode.append((args.gen_tokens - 1) / d)
    result = {
        "engine": "transformers",
        "torch": torch.__version__,
        "threads": args.threads,
        "dtype": args.dtype,
        "promptTokens": args.prompt_tokens,
        "generatedTokens": args.gen_tokens,
        "repetitions": args.repetitions,
        "prefillTokensPerSecond": summary(prefill),
        "decodeTokensPerSecond": summary(decode),
        "peakResidentMegabytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(result, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
