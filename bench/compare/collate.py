#!/usr/bin/env python3
"""One table from the measurements of a bench/compare.sh run.

    python collate.py RESULTS --shapes pythia,smollm --dtypes f32,f16,bf16,q8,q4 --out PREFIX

RESULTS holds one file per measurement, named SHAPE.DTYPE.ENGINE[.VARIANT].json:
    fslm        `fslm bench --json` (variants: lora, concurrency)
    llama       `llama-bench -o json` (pp512 and tg128 at depths 0 and 512), with
                SHAPE.DTYPE.llama.time beside it: `/usr/bin/time -v` of that run (peak RSS)
    hf          measure_transformers.py
A file holding {"unavailable": REASON} stands for a measurement that could not run, and
meta.json describes the machine and the run. Prints the table and writes PREFIX.json
(rows and meta), PREFIX.md and PREFIX.txt.
"""

import argparse
import json
import os
import re
import statistics

SHAPE_NAMES = {"pythia": "Pythia-160M", "smollm": "SmolLM2-135M"}
COLUMNS = [
    ("shape", "shape"), ("dtype", "dtype"),
    ("fslm_prefill", "fslm pp"), ("fslm_decode", "fslm tg"),
    ("llama_prefill", "llama pp"), ("llama_decode_empty", "llama tg"), ("llama_decode", "llama tg@512"),
    ("ratio_llama_prefill", "fslm/llama pp"), ("ratio_llama_decode", "fslm/llama tg"),
    ("hf_prefill", "HF pp"), ("hf_decode", "HF tg"),
    ("ratio_hf_prefill", "fslm/HF pp"), ("ratio_hf_decode", "fslm/HF tg"),
    ("fslm_rss", "fslm RSS MB"), ("llama_rss", "llama RSS MB"), ("hf_rss", "HF RSS MB"),
    ("note", "note"),
]
LEGEND = """\
pp: prefill tokens/s of a 512-token prompt. tg: decode tokens/s generating 128 tokens; fslm and
HF (transformers, eager, f32/bf16 only) decode right after the 512-token prompt, so their ratios
use llama.cpp's tg128 at depth 512 (llama tg@512); llama tg is llama-bench's tg128 on an empty
context. Medians of 3 repetitions after a warm-up. RSS: peak resident memory of the process.
llama.cpp dtypes: q8 = Q8_0, q4 = Q4_0. n/a: could not be measured (the note says why); -: not
measured for this dtype."""


def load(results, name):
    """The parsed file, {"unavailable": ...} as it is, or None when there is no such file."""
    path = os.path.join(results, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        text = f.read()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return {"unavailable": f"unreadable output in {name}"}


def unavailable(data):
    return data.get("unavailable") if isinstance(data, dict) else None


def median(stat):
    return stat["median"] if isinstance(stat, dict) else stat


def fslm_decode(data):
    """Decode tokens/s: an aggregate figure when the run reports one (--concurrency)."""
    for key, value in data.items():
        if "aggregate" in key.lower() and "decode" in key.lower():
            return median(value)
    return median(data["decodeTokensPerSecond"])


def llama_figures(entries):
    """{(n_prompt, n_gen, n_depth): median tokens/s} of a llama-bench JSON array."""
    out = {}
    for e in entries:
        samples = e.get("samples_ts") or [e["avg_ts"]]
        out[(e["n_prompt"], e["n_gen"], e.get("n_depth", 0))] = statistics.median(samples)
    return out


def llama_runs(results):
    """Every llama-bench entry of the run."""
    for name in sorted(os.listdir(results)):
        data = load(results, name) if name.endswith(".llama.json") else None
        if isinstance(data, list):
            yield from data


def time_rss(results, name):
    """Peak RSS in MB from a `/usr/bin/time -v` file, or None."""
    path = os.path.join(results, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
    return int(m.group(1)) / 1024 if m else None


def ratio(a, b):
    return a / b if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b > 0 else None


def row_for(results, shape, dtype, prompt, gen):
    row = {"shape": SHAPE_NAMES.get(shape, shape), "dtype": dtype}
    notes = []
    fslm = load(results, f"{shape}.{dtype}.fslm.json")
    if fslm is None:
        row["fslm_prefill"] = row["fslm_decode"] = "-"
    elif unavailable(fslm):
        row["fslm_prefill"] = row["fslm_decode"] = "n/a"
        notes.append(f"fslm: {unavailable(fslm)}")
    else:
        row["fslm_prefill"] = median(fslm["prefillTokensPerSecond"])
        row["fslm_decode"] = fslm_decode(fslm)
        row["fslm_rss"] = fslm.get("peakResidentMegabytes")
    llama = load(results, f"{shape}.{dtype}.llama.json")
    if llama is None:
        row["llama_prefill"] = row["llama_decode"] = "-"
    elif unavailable(llama):
        row["llama_prefill"] = row["llama_decode"] = "n/a"
        notes.append(f"llama.cpp: {unavailable(llama)}")
    else:
        figures = llama_figures(llama)
        row["llama_prefill"] = figures.get((prompt, 0, 0))
        row["llama_decode_empty"] = figures.get((0, gen, 0))
        row["llama_decode"] = figures.get((0, gen, prompt))
        row["llama_rss"] = time_rss(results, f"{shape}.{dtype}.llama.time")
    hf = load(results, f"{shape}.{dtype}.hf.json")
    if hf is None:
        row["hf_prefill"] = row["hf_decode"] = "-"
    elif unavailable(hf):
        row["hf_prefill"] = row["hf_decode"] = "n/a"
        notes.append(f"transformers: {unavailable(hf)}")
    else:
        row["hf_prefill"] = median(hf["prefillTokensPerSecond"])
        row["hf_decode"] = median(hf["decodeTokensPerSecond"])
        row["hf_rss"] = hf.get("peakResidentMegabytes")
    row["ratio_llama_prefill"] = ratio(row.get("fslm_prefill"), row.get("llama_prefill"))
    row["ratio_llama_decode"] = ratio(row.get("fslm_decode"), row.get("llama_decode"))
    row["ratio_hf_prefill"] = ratio(row.get("fslm_prefill"), row.get("hf_prefill"))
    row["ratio_hf_decode"] = ratio(row.get("fslm_decode"), row.get("hf_decode"))
    row["note"] = "; ".join(notes)
    return row


def variant_row(results, shape, dtype, variant, label, base):
    """An extra fslm row (LoRA, concurrency) with its ratio to the plain run `base`."""
    data = load(results, f"{shape}.{dtype}.fslm.{variant}.json")
    if data is None:
        return None
    row = {"shape": SHAPE_NAMES.get(shape, shape), "dtype": f"{dtype} {label}"}
    if unavailable(data):
        row["fslm_prefill"] = row["fslm_decode"] = "n/a"
        row["note"] = f"fslm: {unavailable(data)}"
        return row
    row["fslm_prefill"] = median(data["prefillTokensPerSecond"])
    row["fslm_decode"] = fslm_decode(data)
    row["fslm_rss"] = data.get("peakResidentMegabytes")
    r = ratio(row["fslm_decode"], base.get("fslm_decode"))
    what = "decode with one LoRA adapter" if variant == "lora" else f"aggregate decode of {label.strip('×')} requests"
    row["note"] = f"{what}: {r:.2f}x the plain f32 run" if r is not None else what
    if variant != "lora":
        row["note"] = row["note"].replace("plain f32 run", "single request")
    return row


def cell(value, key):
    if value is None:
        return "n/a" if key not in ("note", "hf_rss", "fslm_rss", "llama_rss", "llama_decode_empty") else "-"
    if isinstance(value, str):
        return value
    if key.startswith("ratio"):
        return f"{value:.2f}"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def render(rows, markdown):
    headers = [h for _, h in COLUMNS]
    table = [[cell(r.get(k), k) for k, _ in COLUMNS] for r in rows]
    if markdown:
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(row) + " |" for row in table]
        return "\n".join(lines)
    widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(headers)]
    fmt = lambda cells: "  ".join(  # noqa: E731
        c.ljust(w) if i in (0, 1, len(cells) - 1) else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))
    ).rstrip()
    return "\n".join([fmt(headers)] + [fmt(r) for r in table])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results")
    parser.add_argument("--shapes", required=True)
    parser.add_argument("--dtypes", required=True)
    parser.add_argument("--prompt-tokens", type=int, default=512)
    parser.add_argument("--gen-tokens", type=int, default=128)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--out", required=True, help="path prefix of the .json, .md and .txt files")
    args = parser.parse_args()

    meta = load(args.results, "meta.json") or {}
    rows = []
    for shape in args.shapes.split(","):
        plain = {}
        for dtype in args.dtypes.split(","):
            plain[dtype] = row_for(args.results, shape, dtype, args.prompt_tokens, args.gen_tokens)
            rows.append(plain[dtype])
        for dtype, row in plain.items():
            for variant, label in [("lora", "+LoRA"), ("concurrency", f"×{args.concurrency}")]:
                extra = variant_row(args.results, shape, dtype, variant, label, row)
                if extra:
                    rows.append(extra)

    commit = next((e.get("build_commit") for e in llama_runs(args.results) if e.get("build_commit")), None)
    if commit:
        meta["versions"] = meta.get("versions", "") + f", llama.cpp build {commit}"
    header = [f"fslm vs llama.cpp vs transformers, {meta.get('date', '')}"]
    for key in ("cpu", "cpu_flags", "threads", "versions", "fslm_flags", "load_average"):
        if key in meta:
            header.append(f"{key.replace('_', ' ')}: {meta[key]}")
    text = "\n".join(header) + "\n\n" + render(rows, markdown=False) + "\n\n" + LEGEND + "\n"
    md = "\n".join(f"- {line}" if i else f"### {line}" for i, line in enumerate(header))
    md += "\n\n" + render(rows, markdown=True) + "\n\n" + LEGEND + "\n"
    with open(args.out + ".txt", "w") as f:
        f.write(text)
    with open(args.out + ".md", "w") as f:
        f.write(md)
    with open(args.out + ".json", "w") as f:
        json.dump({"meta": meta, "legend": LEGEND, "rows": rows}, f, indent=2)
        f.write("\n")
    print(text, end="")


if __name__ == "__main__":
    main()
