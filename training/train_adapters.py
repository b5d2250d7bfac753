"""Train one PEFT LoRA adapter per stage over the trained base (r = 8 on every linear layer).

    python3 train_adapters.py OUT STEPS [STAGE ...]

Reads OUT/config.json, OUT/model.safetensors and OUT/tokenizer.json; writes
OUT/adapters/<stage>/{adapter_config.json, adapter_model.safetensors} and
OUT/adapters/<stage>/log.json (the loss curve).
"""

import json
import os
import sys

import torch
from peft import LoraConfig, get_peft_model
from tokenizers import Tokenizer
from transformers import GPTNeoXForCausalLM

import examples
import taskgen
from train_base import train

RANK, ALPHA, LR, WARMUP = 8, 16, 1e-3, 20
TARGETS = ["query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"]


def main(out: str, steps: int, stages: list[str]) -> None:
    torch.set_num_threads(2)
    encoder = examples.Encoder(Tokenizer.from_file(f"{out}/tokenizer.json"))
    for index, stage in enumerate(stages):
        torch.manual_seed(100 + index)
        base = GPTNeoXForCausalLM.from_pretrained(out)
        config = LoraConfig(r=RANK, lora_alpha=ALPHA, target_modules=TARGETS, lora_dropout=0.0, bias="none",
                            task_type="CAUSAL_LM")
        model = get_peft_model(base, config)
        print(f"{stage}: {sum(p.numel() for p in model.parameters() if p.requires_grad):,} trainable parameters",
              flush=True)
        log = train(model, encoder, {stage}, steps, LR, WARMUP, 100 + index, log_every=max(1, steps // 5))
        folder = f"{out}/adapters/{stage}"
        model.save_pretrained(folder, safe_serialization=True)
        with open(f"{folder}/adapter_config.json") as f:
            adapter_config = json.load(f)
        adapter_config["target_modules"] = sorted(adapter_config["target_modules"])  # a set: hash order
        adapter_config["base_model_name_or_path"] = "fslm-tiny"  # not the folder it was trained in
        with open(f"{folder}/adapter_config.json", "w") as f:
            json.dump(adapter_config, f, indent=2, sort_keys=True)
        os.remove(f"{folder}/README.md")  # PEFT's empty card; models/fslm-tiny/README.md is the card
        with open(f"{folder}/log.json", "w") as f:
            json.dump(log, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3:] or taskgen.STAGES)
