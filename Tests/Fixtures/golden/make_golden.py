#!/usr/bin/env python3
"""Golden data for fslm's native forward passes, written by Hugging Face transformers + peft.

    /work/main/.venv/bin/python Tests/Fixtures/golden/make_golden.py            # the committed fixtures
    /work/main/.venv/bin/python Tests/Fixtures/golden/make_golden.py --full-size DIR
                                   # a random model of Pythia-160M's shape (not committed)

For each tiny random model (one folder per model next to this script):

    config.json, model.safetensors         the model in f32 (save_pretrained)
    f16/, bf16/                            the same weights rounded to f16 / bf16 (save_pretrained)
    adapter/                               a PEFT LoRA adapter (r=4, alpha=8) with non-zero B
    adapter_rslora/                        (llama only) a second adapter: r=2, alpha=8, use_rslora
    golden.json                            normalized config, prompts, reference logits, greedy runs

golden.json:
    config        the normalized ModelConfig fields (Swift names), so tests need no config decoder
    prompts       token-id sequences (lengths 1, 7, 20)
    cases         one entry per (weights, adapter) variant:
        weights   "f32" | "f16" | "bf16"    (f16/bf16: computed in f32 from the rounded weights)
        adapter   null | "adapter" | "adapter_rslora"
        logits    per prompt: [positions][vocab] logits at every position (full forward)
        greedy    per prompt: 8 new token ids from generate(do_sample=False, use_cache=True)
                  (f32 only)
    min_greedy_gap  smallest top-1 minus top-2 logit margin seen while decoding greedily,
                    so a reader can judge how robust the argmax comparison is

Everything is deterministic: seeds are fixed, and inference runs in f32 on the CPU.
"""

import argparse
import json
import math
import os
import shutil
import sys

import torch
from peft import LoraConfig, PeftModel, get_peft_model
from transformers import (
    AutoModelForCausalLM,
    GPTNeoXConfig,
    GPTNeoXForCausalLM,
    LlamaConfig,
    LlamaForCausalLM,
    Qwen2Config,
    Qwen2ForCausalLM,
)

HERE = os.path.dirname(os.path.abspath(__file__))
PROMPT_LENGTHS = [1, 7, 20]
NEW_TOKENS = 8
NEOX_TARGETS = ["query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"]
LLAMA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def model_specs():
    """(folder, architecture, transformers class, config, lora targets) for each tiny model."""
    common = dict(max_position_embeddings=64, bos_token_id=1, eos_token_id=2, pad_token_id=None)
    return [
        (
            "gpt-neox-parallel",
            "GPTNeoXForCausalLM",
            GPTNeoXForCausalLM,
            GPTNeoXConfig(
                vocab_size=80, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                intermediate_size=64, hidden_act="gelu", rotary_pct=0.5, rotary_emb_base=10000,
                layer_norm_eps=1e-5, use_parallel_residual=True, tie_word_embeddings=False,
                attention_bias=True, **common,
            ),
            NEOX_TARGETS,
        ),
        (
            "gpt-neox-sequential",
            "GPTNeoXForCausalLM",
            GPTNeoXForCausalLM,
            GPTNeoXConfig(
                vocab_size=72, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                intermediate_size=48, hidden_act="gelu_new", rotary_pct=0.25, rotary_emb_base=10000,
                layer_norm_eps=1e-5, use_parallel_residual=False, tie_word_embeddings=False,
                attention_bias=True, **common,
            ),
            NEOX_TARGETS,
        ),
        (
            "llama",
            "LlamaForCausalLM",
            LlamaForCausalLM,
            LlamaConfig(
                vocab_size=96, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                num_key_value_heads=2, head_dim=16, intermediate_size=64, hidden_act="silu",
                rms_norm_eps=1e-5, rope_theta=500000.0, tie_word_embeddings=True,
                attention_bias=False, mlp_bias=False, **common,
            ),
            LLAMA_TARGETS,
        ),
        (
            "qwen2",
            "Qwen2ForCausalLM",
            Qwen2ForCausalLM,
            Qwen2Config(
                vocab_size=80, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                num_key_value_heads=1, intermediate_size=48, hidden_act="silu", rms_norm_eps=1e-6,
                rope_parameters={"rope_type": "linear", "factor": 2.0, "rope_theta": 10000.0},
                tie_word_embeddings=False, use_sliding_window=False, **common,
            ),
            LLAMA_TARGETS,
        ),
    ]


def normalized_config(arch, config):
    """The Swift ModelConfig fields, derived the way transformers itself reads the config."""
    rope = config.rope_parameters
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    rotary = int(head_dim * rope.get("partial_rotary_factor", 1.0))
    activation = {"gelu": "gelu", "gelu_new": "geluTanh", "gelu_pytorch_tanh": "geluTanh", "silu": "silu"}[
        config.hidden_act
    ]
    neox = arch == "GPTNeoXForCausalLM"
    return {
        "architecture": arch,
        "vocabularySize": config.vocab_size,
        "hiddenSize": config.hidden_size,
        "intermediateSize": config.intermediate_size,
        "layerCount": config.num_hidden_layers,
        "headCount": config.num_attention_heads,
        "keyValueHeadCount": getattr(config, "num_key_value_heads", None) or config.num_attention_heads,
        "headDimension": head_dim,
        "rotaryDimension": rotary,
        "ropeTheta": rope["rope_theta"],
        "ropeScalingFactor": rope.get("factor", 1.0) if rope.get("rope_type") == "linear" else 1.0,
        "maxPositions": config.max_position_embeddings,
        "normEpsilon": config.layer_norm_eps if neox else config.rms_norm_eps,
        "activation": activation,
        "tiedEmbeddings": bool(config.tie_word_embeddings),
        "parallelResidual": bool(config.use_parallel_residual) if neox else False,
        "attentionBias": True if arch == "Qwen2ForCausalLM" else bool(config.attention_bias),
        "mlpBias": True if neox else bool(getattr(config, "mlp_bias", False)),
        "bosTokenID": config.bos_token_id,
        "eosTokenIDs": [config.eos_token_id],
    }


def randomize(model, generator):
    """Weights large enough that logits are O(1) and greedy argmaxes are well separated."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight") or "layernorm" in name or "layer_norm" in name:
                if name.endswith("weight"):
                    p.copy_(1 + 0.2 * torch.randn(p.shape, generator=generator))
                else:
                    p.copy_(0.2 * torch.randn(p.shape, generator=generator))
            elif name.endswith("bias"):
                p.copy_(0.2 * torch.randn(p.shape, generator=generator))
            elif p.dim() == 2 and ("embed" in name and "embed_out" not in name):
                p.copy_(torch.randn(p.shape, generator=generator))
            else:
                p.copy_(torch.randn(p.shape, generator=generator) / math.sqrt(p.shape[1]))


def rounded(x):
    """A float32 logit as JSON: 8 significant digits round-trip f32 closely enough (< 1e-7 rel)."""
    return float(f"{x:.8g}")


def all_logits(model, prompts):
    out = []
    with torch.no_grad():
        for ids in prompts:
            logits = model(torch.tensor([ids]), use_cache=False).logits[0]
            out.append([[rounded(v) for v in row.tolist()] for row in logits.float()])
    return out


def greedy(model, prompts):
    runs, gaps = [], []
    with torch.no_grad():
        for ids in prompts:
            out = model.generate(
                input_ids=torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long),
                max_new_tokens=NEW_TOKENS, min_new_tokens=NEW_TOKENS, do_sample=False, use_cache=True,
                output_scores=True, return_dict_in_generate=True, pad_token_id=0,
            )
            new = out.sequences[0, len(ids):].tolist()
            assert len(new) == NEW_TOKENS, new
            runs.append(new)
            for scores in out.scores:
                top = torch.topk(scores[0].float(), 2).values
                gaps.append(float(top[0] - top[1]))
    return runs, min(gaps)


def add_adapter(model, targets, generator, r, alpha, rslora, folder):
    config = LoraConfig(
        r=r, lora_alpha=alpha, target_modules=targets, lora_dropout=0.0, bias="none",
        use_rslora=rslora, task_type="CAUSAL_LM",
    )
    peft_model = get_peft_model(model, config)
    with torch.no_grad():
        for name, p in peft_model.named_parameters():
            if "lora_A" in name:
                p.copy_(torch.randn(p.shape, generator=generator) / math.sqrt(p.shape[1]))
            elif "lora_B" in name:  # PEFT starts B at zero; a zero delta would test nothing
                p.copy_(0.5 * torch.randn(p.shape, generator=generator) / math.sqrt(p.shape[1]))
    peft_model.save_pretrained(folder, safe_serialization=True)
    os.remove(os.path.join(folder, "README.md"))  # PEFT's model card template: nothing to test
    # PEFT records the base model's absolute path; the base is the parent folder.
    config_path = os.path.join(folder, "adapter_config.json")
    with open(config_path) as f:
        adapter_config = json.load(f)
    adapter_config["base_model_name_or_path"] = ".."
    with open(config_path, "w") as f:
        json.dump(adapter_config, f, indent=2, sort_keys=True)
        f.write("\n")
    return peft_model


def write_model(folder, arch, cls, config, targets, seed):
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = cls(config).float().eval()
    randomize(model, generator)
    model.generation_config.eos_token_id = None  # never stop early: always NEW_TOKENS tokens
    model.save_pretrained(folder, safe_serialization=True)

    vocab = config.vocab_size
    prompts = [torch.randint(0, vocab, (n,), generator=generator).tolist() for n in PROMPT_LENGTHS]
    cases, min_gap = [], math.inf

    def case(weights, adapter, m, with_greedy):
        nonlocal min_gap
        entry = {"weights": weights, "adapter": adapter, "logits": all_logits(m, prompts)}
        if with_greedy:
            entry["greedy"], gap = greedy(m, prompts)
            min_gap = min(min_gap, gap)
        cases.append(entry)

    case("f32", None, model, True)

    # Rounded copies: saved in f16/bf16, reference computed in f32 from the rounded weights.
    for dtype, sub in [(torch.float16, "f16"), (torch.bfloat16, "bf16")]:
        low = cls.from_pretrained(folder, dtype=torch.float32).to(dtype)
        low.save_pretrained(os.path.join(folder, sub), safe_serialization=True)
        upcast = AutoModelForCausalLM.from_pretrained(os.path.join(folder, sub), dtype=torch.float32).eval()
        assert next(upcast.parameters()).dtype == torch.float32
        case(sub, None, upcast, False)

    adapters = [("adapter", 4, 8, False, targets)]
    if arch == "LlamaForCausalLM":
        adapters.append(("adapter_rslora", 2, 8, True, ["q_proj", "v_proj", "down_proj"]))
    for name, r, alpha, rslora, t in adapters:
        base = cls.from_pretrained(folder, dtype=torch.float32).eval()
        base.generation_config.eos_token_id = None
        peft_model = add_adapter(base, t, generator, r, alpha, rslora, os.path.join(folder, name)).eval()
        # Reload from disk so the reference is exactly what the folder holds.
        fresh = cls.from_pretrained(folder, dtype=torch.float32).eval()
        fresh.generation_config.eos_token_id = None
        loaded = PeftModel.from_pretrained(fresh, os.path.join(folder, name)).eval()
        del peft_model
        case("f32", name, loaded, True)

    golden = {
        "generator": "make_golden.py (transformers + peft, f32 CPU)",
        "config": normalized_config(arch, config),
        "prompts": prompts,
        "cases": cases,
        "min_greedy_gap": rounded(min_gap),
    }
    with open(os.path.join(folder, "golden.json"), "w") as f:
        json.dump(golden, f, separators=(",", ":"))
        f.write("\n")
    print(f"{os.path.basename(folder)}: min greedy gap {min_gap:.4f}", file=sys.stderr)


def write_full_size(folder):
    """A random model of Pythia-160M's shape, for memory and speed measurements (not committed)."""
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    torch.manual_seed(160)
    generator = torch.Generator().manual_seed(160)
    config = GPTNeoXConfig(
        vocab_size=50304, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
        intermediate_size=3072, hidden_act="gelu", rotary_pct=0.25, rotary_emb_base=10000,
        max_position_embeddings=2048, layer_norm_eps=1e-5, use_parallel_residual=True,
        tie_word_embeddings=False, bos_token_id=0, eos_token_id=0,
    )
    model = GPTNeoXForCausalLM(config).float().eval()
    randomize(model, generator)
    model.save_pretrained(folder, safe_serialization=True)
    prompt = torch.randint(0, config.vocab_size, (32,), generator=generator).tolist()
    with torch.no_grad():
        logits = model(torch.tensor([prompt]), use_cache=False).logits[0, -1]
    golden = {
        "config": normalized_config("GPTNeoXForCausalLM", config),
        "prompt": prompt,
        "last_logits": [rounded(v) for v in logits.tolist()],
    }
    with open(os.path.join(folder, "golden.json"), "w") as f:
        json.dump(golden, f, separators=(",", ":"))
    print(f"wrote {folder}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full-size", metavar="DIR", help="write a random Pythia-160M-shaped model to DIR instead")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    if args.full_size:
        write_full_size(args.full_size)
        return
    for seed, (folder, arch, cls, config, targets) in enumerate(model_specs(), start=1):
        write_model(os.path.join(HERE, folder), arch, cls, config, targets, seed)


if __name__ == "__main__":
    main()
