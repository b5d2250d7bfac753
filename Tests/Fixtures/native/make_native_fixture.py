#!/usr/bin/env python3
"""End-to-end fixtures for fslm's native backend: whole Hugging Face model folders (tokenizer,
config, weights, LoRA adapters) and what transformers generates and scores with them.

    /work/main/.venv/bin/python Tests/Fixtures/native/make_native_fixture.py

Writes, next to this script:

    corpus.txt              the ASCII-only training text of the tokenizer
    gpt-neox/, llama/       one model folder each:
        config.json, generation_config.json, model.safetensors   (save_pretrained, f32)
        tokenizer.json                                            (the tokenizer below)
        adapter/            PEFT LoRA, r=4, alpha=8, every linear module, non-zero B
        adapter2/           PEFT LoRA, r=2, alpha=4, rsLoRA, attention modules only
    expected.json           per model: prompt ids, greedy continuations, scores (see below)
    ../workflows/native/stack.yaml   a two-stage workflow on gpt-neox (backend: native)

The tokenizer is a byte-level BPE trained with `tokenizers` on corpus.txt, vocabulary exactly
VOCAB_SIZE, with `<|endoftext|>` (id 0, the EOS of both models) and `<|startoftext|>` (id 1)
as special tokens. The trainer's alphabet is only the characters of the corpus (no
`initial_alphabet` of all 256 bytes), and the corpus is printable ASCII and newlines, so every
token is ASCII and any sequence of ids decodes to valid text. gpt-neox's tokenizer.json adds no
special tokens (ByteLevel post-processor, as Pythia's); llama's adds a BOS, `<|startoftext|>`,
with a TemplateProcessing post-processor.

The models are tiny (vocabulary VOCAB_SIZE, hidden 32, 2 layers) with random weights scaled so
that logits are O(1) and greedy continuations vary; the EOS row of the output projection is
scaled up so that some continuations end on EOS within NEW_TOKENS tokens.

expected.json, per model:
    prompts[]     prompt            the text
                  ids               tokenizer(prompt).input_ids (special tokens added)
                  greedy{base, adapter, adapter2}:
                      ids           the new ids of generate(do_sample=False, max_new_tokens=12),
                                    with the EOS when generation stopped on it (transformers
                                    stops on generation_config.eos_token_id and keeps that id)
                      text          decode(ids, skip_special_tokens=True)
                      finish        "eos" or "length"
                      min_gap       smallest top-1 minus top-2 logit margin over the steps
                  penalized         as greedy.base, with repetition_penalty=1.3 (the scores
                                    the margins are taken from are the penalized ones)
    scores[]      context, continuation, adapter (null or a folder name),
                  context_ids       tokenizer(context).input_ids
                  continuation_ids  tokenizer(continuation, add_special_tokens=False).input_ids
                  log_likelihood    sum over the continuation of log_softmax(logits) of its
                                    tokens, from one forward pass over context_ids +
                                    continuation_ids (computed in float64 from the f32 logits)
                  is_greedy         every continuation token was the argmax
    max_positions the context length

and "workflow": the native stack's stages, with each rendered prompt and the output fslm must
give (the greedy continuation, trimmed of whitespace as fslm trims stage outputs).

Deterministic: the corpus comes from fixed lists and a seeded generator, the seeds are fixed,
and inference runs in f32 on one CPU thread.
"""

import json
import math
import os
import random
import shutil
import sys

import torch
from peft import LoraConfig, PeftModel, get_peft_model
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import GPTNeoXConfig, GPTNeoXForCausalLM, LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

HERE = os.path.dirname(os.path.abspath(__file__))
WORKFLOW_DIR = os.path.join(HERE, "..", "workflows", "native")
VOCAB_SIZE = 256
EOS, BOS = "<|endoftext|>", "<|startoftext|>"
NEW_TOKENS = 12
MAX_POSITIONS = 128
EOS_SCALE = 1.6
REPETITION_PENALTY = 1.3

PROMPTS = [
    "The quick brown fox",
    "Once upon a time, there was",
    "def add(a, b):",
    "Hello, world! How are you",
    "Numbers: 1, 2, 3,",
    "The cat sat on the mat and",
]

SCORES = [
    ("The quick brown fox", " jumps over the lazy dog", None),
    ("Once upon a time", ", there was a king.", None),
    ("Hello", ", world!", "adapter"),
    ("def add(a, b):", "\n    return a + b", "adapter2"),
]

NEOX_TARGETS = ["query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"]
LLAMA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]

WORDS = """the a an and or but if then else when while of to in on at by for with from into over under
quick brown fox jumps lazy dog cat sat mat king queen time there was were is are be been once upon
hello world how you today fine thanks model token text small language stack plan answer question
intent explain step first second third number one two three four five six seven eight nine ten
red green blue yellow black white house tree river mountain city road car train ship plane apple
eat run walk read write think say tell ask give take make see look find keep call come go went
alpha beta gamma delta epsilon return def class import print value list dict true false none""".split()

CODE = [
    "def add(a, b):\n    return a + b\n",
    "for i in range(10):\n    print(i * 2)\n",
    "if (x > 0 && y < 10) { return x + y; } else { return -1; }\n",
    "let total = items.map { $0.price }.reduce(0, +)\n",
    "x = [1, 2, 3]; y = {'k': \"v\"}; z = x[0] ^ 7 | 8 & 9 % 2\n",
    "# A comment: ~tilde, `backticks`, @at, <angle>, \\backslash\\, _under_score_\n",
    "https://example.com/path?q=tokens&lang=en#top\n",
]


def write_corpus(path):
    """About 12 kB of ASCII: random sentences, code lines, numbers, and every printable character."""
    rng = random.Random(2410)
    lines = []
    for i in range(160):
        words = [rng.choice(WORDS) for _ in range(rng.randint(4, 12))]
        sentence = " ".join(words)
        sentence = sentence[0].upper() + sentence[1:] + rng.choice([".", ".", ".", "!", "?", ",", ":", ";"])
        lines.append(sentence + "\n")
        if i % 8 == 0:
            lines.append(rng.choice(CODE))
        if i % 10 == 0:
            lines.append(" ".join(str(rng.randint(0, 9999)) for _ in range(6)) + "\n")
    lines.append("".join(chr(c) for c in range(0x20, 0x7F)) + "\n")
    text = "".join(lines)
    assert all(c == "\n" or 0x20 <= ord(c) < 0x7F for c in text)
    with open(path, "w", newline="\n") as f:
        f.write(text)


def train_tokenizer(corpus):
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=VOCAB_SIZE, special_tokens=[EOS, BOS], show_progress=False)
    tokenizer.train([corpus], trainer)
    assert tokenizer.get_vocab_size() == VOCAB_SIZE, tokenizer.get_vocab_size()
    assert tokenizer.token_to_id(EOS) == 0 and tokenizer.token_to_id(BOS) == 1
    for token in tokenizer.get_vocab():
        assert all(ord(c) < 0x7F for c in tokenizer.decode([tokenizer.token_to_id(token)])), token
    return tokenizer


def save_tokenizer(trained, folder, bos_template):
    tokenizer = Tokenizer.from_str(trained.to_str())
    if bos_template:
        tokenizer.post_processor = processors.TemplateProcessing(
            single=f"{BOS} $A", pair=f"{BOS} $A {BOS} $B", special_tokens=[(BOS, 1)])
    else:
        tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    path = os.path.join(folder, "tokenizer.json")
    tokenizer.save(path)
    return PreTrainedTokenizerFast(tokenizer_file=path, eos_token=EOS, bos_token=BOS)


def randomize(model, generator, output_name):
    """Weights that make O(1) logits (as make_golden.py), then a louder EOS row in the output."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name:
                p.copy_((1 if name.endswith("weight") else 0) + 0.2 * torch.randn(p.shape, generator=generator))
            elif name.endswith("bias"):
                p.copy_(0.2 * torch.randn(p.shape, generator=generator))
            elif "embed" in name and name != output_name:
                p.copy_(torch.randn(p.shape, generator=generator))
            else:
                p.copy_(torch.randn(p.shape, generator=generator) / math.sqrt(p.shape[1]))
        dict(model.named_parameters())[output_name][0] *= EOS_SCALE


def model_specs():
    common = dict(vocab_size=VOCAB_SIZE, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                  intermediate_size=64, max_position_embeddings=MAX_POSITIONS, bos_token_id=1, eos_token_id=0,
                  pad_token_id=None, tie_word_embeddings=False)
    return [
        ("gpt-neox", GPTNeoXForCausalLM,
         GPTNeoXConfig(hidden_act="gelu", rotary_pct=0.5, rotary_emb_base=10000, layer_norm_eps=1e-5,
                       use_parallel_residual=True, attention_bias=True, **common),
         "lm_head.weight", NEOX_TARGETS, ["query_key_value", "dense"], False),
        ("llama", LlamaForCausalLM,
         LlamaConfig(num_key_value_heads=2, hidden_act="silu", rms_norm_eps=1e-5, rope_theta=10000.0,
                     attention_bias=False, mlp_bias=False, **common),
         "lm_head.weight", LLAMA_TARGETS, ["q_proj", "k_proj", "v_proj", "o_proj"], True),
    ]


def write_adapter(folder, cls, targets, generator, r, alpha, rslora):
    base = cls.from_pretrained(os.path.dirname(folder), dtype=torch.float32).eval()
    config = LoraConfig(r=r, lora_alpha=alpha, target_modules=targets, lora_dropout=0.0, bias="none",
                        use_rslora=rslora, task_type="CAUSAL_LM")
    peft_model = get_peft_model(base, config)
    with torch.no_grad():
        for name, p in peft_model.named_parameters():
            if "lora_A" in name:
                p.copy_(torch.randn(p.shape, generator=generator) / math.sqrt(p.shape[1]))
            elif "lora_B" in name:  # PEFT starts B at zero; a zero delta would test nothing
                p.copy_(0.5 * torch.randn(p.shape, generator=generator) / math.sqrt(p.shape[1]))
    peft_model.save_pretrained(folder, safe_serialization=True)
    os.remove(os.path.join(folder, "README.md"))
    config_path = os.path.join(folder, "adapter_config.json")
    with open(config_path) as f:
        adapter_config = json.load(f)
    adapter_config["base_model_name_or_path"] = ".."  # PEFT records an absolute path
    adapter_config["target_modules"] = sorted(adapter_config["target_modules"])  # a set: hash order
    with open(config_path, "w") as f:
        json.dump(adapter_config, f, indent=2, sort_keys=True)
        f.write("\n")


def load(folder, cls, adapter=None):
    """The model as the folder holds it, with an adapter when named."""
    model = cls.from_pretrained(folder, dtype=torch.float32).eval()
    if adapter:
        model = PeftModel.from_pretrained(model, os.path.join(folder, adapter)).eval()
    return model


def rounded(x):
    return float(f"{x:.10g}")


def greedy(model, tokenizer, prompt, eos_ids, **options):
    ids = tokenizer(prompt).input_ids
    with torch.no_grad():
        out = model.generate(
            input_ids=torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long),
            max_new_tokens=NEW_TOKENS, do_sample=False, use_cache=True, pad_token_id=eos_ids[0],
            output_scores=True, return_dict_in_generate=True, **options)
    new = out.sequences[0, len(ids):].tolist()
    gaps = [float(torch.topk(s[0].float(), 2).values.diff().abs()) for s in out.scores]
    return {
        "ids": new,
        "text": tokenizer.decode(new, skip_special_tokens=True),
        "finish": "eos" if new and new[-1] in eos_ids else "length",
        "min_gap": rounded(min(gaps)),
    }


def score(model, tokenizer, context, continuation):
    context_ids = tokenizer(context).input_ids
    continuation_ids = tokenizer(continuation, add_special_tokens=False).input_ids
    with torch.no_grad():
        logits = model(torch.tensor([context_ids + continuation_ids]), use_cache=False).logits[0].double()
    logprobs = torch.log_softmax(logits, dim=-1)
    total, is_greedy = 0.0, True
    for i, token in enumerate(continuation_ids):
        row = len(context_ids) - 1 + i
        total += float(logprobs[row, token])
        is_greedy = is_greedy and int(torch.argmax(logits[row])) == token
    return {"context_ids": context_ids, "continuation_ids": continuation_ids,
            "log_likelihood": total, "is_greedy": is_greedy}


def write_model(name, cls, config, output_name, targets, targets2, bos_template, trained, seed):
    folder = os.path.join(HERE, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = cls(config).float().eval()
    randomize(model, generator, output_name)
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer = save_tokenizer(trained, folder, bos_template)
    write_adapter(os.path.join(folder, "adapter"), cls, targets, generator, 4, 8, False)
    write_adapter(os.path.join(folder, "adapter2"), cls, targets2, generator, 2, 4, True)

    variants = {None: load(folder, cls), "adapter": load(folder, cls, "adapter"), "adapter2": load(folder, cls, "adapter2")}
    eos_ids = [config.eos_token_id]
    assert variants[None].generation_config.eos_token_id == config.eos_token_id
    prompts = []
    for prompt in PROMPTS:
        runs = {key or "base": greedy(m, tokenizer, prompt, eos_ids) for key, m in variants.items()}
        penalized = greedy(variants[None], tokenizer, prompt, eos_ids, repetition_penalty=REPETITION_PENALTY)
        prompts.append({"prompt": prompt, "ids": tokenizer(prompt).input_ids, "greedy": runs, "penalized": penalized})
        for key, run in runs.items():
            print(f"{name} {key:8} {prompt!r} -> {run['text']!r} ({run['finish']}, gap {run['min_gap']:.3g})", file=sys.stderr)
    scores = []
    # One continuation the model itself chose, from a run that retokenizes to the same ids
    # (no special token in it), so that is_greedy is true.
    chosen = next(
        (p["prompt"], p["greedy"]["base"]["text"]) for p in prompts
        if tokenizer(p["greedy"]["base"]["text"], add_special_tokens=False).input_ids
        == [i for i in p["greedy"]["base"]["ids"] if i not in eos_ids])
    for context, continuation, adapter in SCORES + [(*chosen, None)]:
        entry = {"context": context, "continuation": continuation, "adapter": adapter}
        entry.update(score(variants[adapter], tokenizer, context, continuation))
        scores.append(entry)
    return {"max_positions": MAX_POSITIONS, "prompts": prompts, "scores": scores}, variants, tokenizer


# The workflow: two stages on gpt-neox, each with its own adapter; the second reads the first.
WORKFLOW_TOPIC = "the quick brown fox"
WORKFLOW_STAGES = [
    ("draft", "adapter", "Write about {{inputs.topic}}:", lambda outputs: f"Write about {WORKFLOW_TOPIC}:"),
    ("polish", "adapter2", "{{stages.draft.output}} In short,", lambda outputs: f"{outputs['draft']} In short,"),
]

WORKFLOW_YAML = f"""\
# Written by Tests/Fixtures/native/make_native_fixture.py: a two-stage stack on the tiny
# native GPT-NeoX fixture, greedy, one adapter per stage; expected.json ("workflow") holds each
# stage's rendered prompt and the output transformers gives for it.
version: 1
name: native-stack
inputs:
  topic: {{ type: string, default: "{WORKFLOW_TOPIC}" }}
models:
  tiny:
    backend: native
    path: ../../native/gpt-neox
    adapters:
      draft: ../../native/gpt-neox/adapter
      polish: ../../native/gpt-neox/adapter2
defaults:
  model: tiny
  generation: {{ max_tokens: {NEW_TOKENS}, temperature: 0 }}
stages:
  draft:
    adapter: draft
    prompt: "{WORKFLOW_STAGES[0][2]}"
  polish:
    needs: [draft]
    adapter: polish
    prompt: "{WORKFLOW_STAGES[1][2]}"
outputs:
  draft: "{{{{stages.draft.output}}}}"
  polish: "{{{{stages.polish.output}}}}"
"""


def write_workflow(variants, tokenizer):
    os.makedirs(WORKFLOW_DIR, exist_ok=True)
    with open(os.path.join(WORKFLOW_DIR, "stack.yaml"), "w") as f:
        f.write(WORKFLOW_YAML)
    outputs, stages = {}, []
    for stage, adapter, _, render in WORKFLOW_STAGES:
        prompt = render(outputs)
        run = greedy(variants[adapter], tokenizer, prompt, [0])
        outputs[stage] = run["text"].strip()
        stages.append({"stage": stage, "adapter": adapter, "prompt": prompt, "output": outputs[stage], "greedy": run})
    return {"model": "gpt-neox", "inputs": {"topic": WORKFLOW_TOPIC}, "stages": stages}


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    corpus = os.path.join(HERE, "corpus.txt")
    write_corpus(corpus)
    trained = train_tokenizer(corpus)
    expected = {"generator": "make_native_fixture.py (tokenizers + transformers + peft, f32 CPU)",
                "new_tokens": NEW_TOKENS, "models": {}}
    for seed, (name, cls, config, output_name, targets, targets2, bos_template) in enumerate(model_specs(), start=11):
        entry, variants, tokenizer = write_model(name, cls, config, output_name, targets, targets2, bos_template, trained, seed)
        expected["models"][name] = entry
        if name == "gpt-neox":
            expected["workflow"] = write_workflow(variants, tokenizer)
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
