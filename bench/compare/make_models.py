#!/usr/bin/env python3
"""Random-weight models of real models' exact shapes, for bench/compare.sh.

    python make_models.py OUT SHAPE --tokenizers DIR

SHAPE is `pythia` (Pythia-160M: GPT-NeoX) or `smollm` (SmolLM2-135M: Llama). Writes

    OUT/f32/, OUT/f16/, OUT/bf16/   config.json, model.safetensors (in that dtype), tokenizer.json,
                                    tokenizer_config.json: one model, rounded to each dtype
    OUT/adapter/                    a PEFT LoRA adapter (r=8, alpha=16, every linear layer, B != 0)
    OUT/done                        written last: the folder is complete

Weights come from transformers' own initialisation (normal, std 0.02, fixed seed), so
activations stay in a sane range. DIR holds the tokenizers fslm's fixtures use (gpt-neox-20b/,
gpt2/). The SmolLM shape has 49,152 ids, fewer than GPT-2's 50,257, so it gets GPT-2's
tokenizer cut to its first 49,151 tokens plus <|endoftext|> as id 49,151; that cut encodes
llama.cpp's pre-tokenizer check text exactly as GPT-2 does, so llama.cpp's converter recognises
it as `gpt-2`.
"""

import argparse
import copy
import json
import os
import shutil
import sys

import torch
from peft import LoraConfig, get_peft_model
from transformers import GPTNeoXConfig, GPTNeoXForCausalLM, LlamaConfig, LlamaForCausalLM

SEED = 20260
LORA_RANK, LORA_ALPHA = 8, 16
SMOLLM_VOCAB = 49152


def pythia_160m():
    """(model class, config, tokenizer name, LoRA targets) of Pythia-160M."""
    config = GPTNeoXConfig(
        vocab_size=50304, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
        intermediate_size=3072, hidden_act="gelu", rotary_pct=0.25, rotary_emb_base=10000,
        max_position_embeddings=2048, layer_norm_eps=1e-5, use_parallel_residual=True,
        tie_word_embeddings=False, attention_bias=True, initializer_range=0.02,
        bos_token_id=0, eos_token_id=0,
    )
    return GPTNeoXForCausalLM, config, "gpt-neox-20b", ["query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"]


def smollm2_135m():
    """(model class, config, tokenizer name, LoRA targets) of SmolLM2-135M."""
    eot = SMOLLM_VOCAB - 1
    config = LlamaConfig(
        vocab_size=SMOLLM_VOCAB, hidden_size=576, num_hidden_layers=30, num_attention_heads=9,
        num_key_value_heads=3, intermediate_size=1536, hidden_act="silu", rms_norm_eps=1e-5,
        rope_theta=100000.0, max_position_embeddings=8192, tie_word_embeddings=True,
        attention_bias=False, mlp_bias=False, initializer_range=0.02,
        bos_token_id=eot, eos_token_id=eot,
    )
    targets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    return LlamaForCausalLM, config, "gpt2", targets


SHAPES = {"pythia": pythia_160m, "smollm": smollm2_135m}


def cut_bpe_tokenizer(tokenizer, size):
    """A byte-level BPE tokenizer.json cut to `size` ids: the first size-1 tokens, the merges
    that stay inside them, and the end-of-text token moved to id size-1."""
    model = tokenizer["model"]
    specials = {t["content"] for t in tokenizer["added_tokens"]}
    vocab = {tok: i for tok, i in model["vocab"].items() if i < size - 1 and tok not in specials}
    merges = []
    for merge in model["merges"]:
        left, right = merge.split(" ", 1) if isinstance(merge, str) else merge
        if left in vocab and right in vocab and left + right in vocab:
            merges.append(merge)
    eot = "<|endoftext|>"
    vocab[eot] = size - 1
    model["vocab"], model["merges"] = vocab, merges
    model.setdefault("type", "BPE")  # GPT-2's file omits it; llama.cpp's converter reads it
    tokenizer["added_tokens"] = [
        {"id": size - 1, "content": eot, "single_word": False, "lstrip": False, "rstrip": False,
         "normalized": False, "special": True}
    ]
    return tokenizer


def write_tokenizer(folder, name, tokenizers_dir, vocab_size, eos_id):
    """tokenizer.json (cut to the model's vocabulary when it is larger) and a tokenizer_config.json."""
    source = os.path.join(tokenizers_dir, name, "tokenizer.json")
    with open(source, encoding="utf-8") as f:
        tokenizer = json.load(f)
    largest = max(max(tokenizer["model"]["vocab"].values()), max(t["id"] for t in tokenizer["added_tokens"]))
    if largest >= vocab_size:
        tokenizer = cut_bpe_tokenizer(tokenizer, vocab_size)
        with open(os.path.join(folder, "tokenizer.json"), "w", encoding="utf-8") as f:
            json.dump(tokenizer, f, ensure_ascii=False)
    else:
        shutil.copyfile(source, os.path.join(folder, "tokenizer.json"))
    eos = next(t["content"] for t in tokenizer["added_tokens"] if t["id"] == eos_id)
    config = {
        "tokenizer_class": "PreTrainedTokenizerFast", "bos_token": eos, "eos_token": eos,
        "unk_token": eos, "add_prefix_space": False, "model_max_length": 1_000_000,
    }
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")


def write_adapter(model, targets, folder, generator):
    """A PEFT LoRA adapter on every linear layer, B drawn non-zero (PEFT starts it at zero)."""
    config = LoraConfig(
        r=LORA_RANK, lora_alpha=LORA_ALPHA, target_modules=targets, lora_dropout=0.0, bias="none",
        task_type="CAUSAL_LM",
    )
    peft_model = get_peft_model(model, config)
    with torch.no_grad():
        for name, p in peft_model.named_parameters():
            if "lora_B" in name:
                p.copy_(0.02 * torch.randn(p.shape, generator=generator))
    peft_model.save_pretrained(folder, safe_serialization=True)
    readme = os.path.join(folder, "README.md")
    if os.path.exists(readme):
        os.remove(readme)
    path = os.path.join(folder, "adapter_config.json")
    with open(path) as f:
        adapter_config = json.load(f)
    adapter_config["base_model_name_or_path"] = "../f32"
    with open(path, "w") as f:
        json.dump(adapter_config, f, indent=2, sort_keys=True)
        f.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", help="output folder (replaced)")
    parser.add_argument("shape", choices=sorted(SHAPES))
    parser.add_argument("--tokenizers", required=True, help="folder with gpt-neox-20b/ and gpt2/ tokenizer.json")
    args = parser.parse_args()

    cls, config, tokenizer_name, targets = SHAPES[args.shape]()
    shutil.rmtree(args.out, ignore_errors=True)
    os.makedirs(args.out)
    torch.manual_seed(SEED)
    model = cls(config).float().eval()
    model.generation_config.eos_token_id = None  # benchmarks generate a fixed number of tokens
    for dtype_name, dtype in [("f32", torch.float32), ("f16", torch.float16), ("bf16", torch.bfloat16)]:
        folder = os.path.join(args.out, dtype_name)
        copy.deepcopy(model).to(dtype).save_pretrained(folder, safe_serialization=True)
        write_tokenizer(folder, tokenizer_name, args.tokenizers, config.vocab_size, config.eos_token_id)
        print(f"wrote {folder}", file=sys.stderr)
    write_adapter(model, targets, os.path.join(args.out, "adapter"), torch.Generator().manual_seed(SEED + 1))
    with open(os.path.join(args.out, "done"), "w") as f:
        f.write(f"{args.shape} seed {SEED}\n")


if __name__ == "__main__":
    main()
