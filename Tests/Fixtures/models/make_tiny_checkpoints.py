#!/usr/bin/env python3
"""Writes tiny random GPT-NeoX, Llama and Qwen2 checkpoints for fslm's loading tests.

Each folder gets what transformers' save_pretrained writes: config.json,
generation_config.json and model.safetensors (float32, a few tens of KB), or shards and
model.safetensors.index.json for tiny-llama-sharded. Every parameter is redrawn from a
seeded normal distribution (not transformers' init, which zeroes biases and sets norm
weights to one), so a forward pass over these weights exercises every tensor.

Usage (from the repository root, with torch, transformers and safetensors installed):
    python Tests/Fixtures/models/make_tiny_checkpoints.py
Output does not depend on the machine for a given torch and transformers version.
"""

import os
import shutil

import torch
from transformers import (
    GPTNeoXConfig,
    GPTNeoXForCausalLM,
    LlamaConfig,
    LlamaForCausalLM,
    Qwen2Config,
    Qwen2ForCausalLM,
)

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 1234


def models():
    """(folder name, model, save options) for each checkpoint."""
    gpt_neox = GPTNeoXForCausalLM(GPTNeoXConfig(
        vocab_size=64, hidden_size=16, num_hidden_layers=2, num_attention_heads=2, intermediate_size=32,
        max_position_embeddings=64, rotary_pct=0.5, rotary_emb_base=10000, use_parallel_residual=True,
        hidden_act="gelu", bos_token_id=0, eos_token_id=1, tie_word_embeddings=False))
    llama_config = dict(
        vocab_size=64, hidden_size=16, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
        intermediate_size=32, max_position_embeddings=64, rms_norm_eps=1e-5, rope_theta=10000.0,
        bos_token_id=1, eos_token_id=2, tie_word_embeddings=True)
    llama = LlamaForCausalLM(LlamaConfig(**llama_config))
    llama_sharded = LlamaForCausalLM(LlamaConfig(**{**llama_config, "tie_word_embeddings": False}))
    qwen2 = Qwen2ForCausalLM(Qwen2Config(
        vocab_size=64, hidden_size=16, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
        intermediate_size=32, max_position_embeddings=64, rms_norm_eps=1e-6, rope_theta=1000000.0,
        bos_token_id=None, eos_token_id=[3, 4], tie_word_embeddings=False))
    return [
        ("tiny-gpt-neox", gpt_neox, {}),
        ("tiny-llama", llama, {}),
        ("tiny-qwen2", qwen2, {}),
        ("tiny-llama-sharded", llama_sharded, {"max_shard_size": "8KB"}),
    ]


def randomize(model, generator):
    """Redraws every parameter: weights and biases ~ N(0, 0.2), norm weights ~ 1 + N(0, 0.1)."""
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            noise = torch.randn(parameter.shape, generator=generator, dtype=torch.float32)
            is_norm = "norm" in name and name.endswith(".weight")
            parameter.copy_(1 + 0.1 * noise if is_norm else 0.2 * noise)


def main():
    generator = torch.Generator().manual_seed(SEED)
    for name, model, options in models():
        model = model.to(torch.float32)
        randomize(model, generator)
        folder = os.path.join(HERE, name)
        shutil.rmtree(folder, ignore_errors=True)
        model.save_pretrained(folder, safe_serialization=True, **options)
        size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
        print(f"{name}: {sorted(os.listdir(folder))}, {size} bytes")


if __name__ == "__main__":
    main()
