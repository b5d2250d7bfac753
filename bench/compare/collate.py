#!/usr/bin/env python3
"""One table from the measurements of a bench/compare.sh run.

    python collate.py RESULTS --shapes pythia,smollm --dtypes f32,f16,bf16,q8,q4 --out PREFIX

RESULTS holds one file per measurement, named SHAPE.DTYPE.ENGINE[.VARIANT].json:
    fslm        `fslm bench --json` (variants: lora, concurrency)
    llama       `llama-bench -o json` (pp512 and tg128 at depths 0 and 512); its peak RSS
                comes from SHAPE.DTYPE.llama.time
    hf          measure_transformers.py
Beside each NAME.json, NAME.time is `/usr/bin/time -v` of the run and NAME.others the share
of the machine's CPU time other processes took meanwhile (rows where it reached BUSY get a note).
A file holding {"unavailable": REASON} stands for a measurement that could not run, and
meta.json describes the machine and the run. Prints the table and writes PREFIX.json
(rows and meta), PREFIX.md and PREFIX.txt.
"""

import argparse
import json
import os
import re
import statistics

BUSY = 0.10  # a run during which other processes took this share of the CPUs gets a note
SHAPE_NAMES = {"pythia": "Pythia-160M", "smollm": "SmolLM2-135M"}
COLUMNS = [
    ("shape", "shape"), ("dtype", "dtype"),
    ("fslm_prefill", "fslm pp"), ("fslm_decode", "fslm tg"),
    ("llama_prefill", "llama pp"), ("llama_decode_empty", "llama tg"), ("llama_decode", "llama tg@{p}"),
    ("ratio_llama_prefill", "fslm/llama pp"), ("ratio_llama_decode", "fslm/llama tg"),
    ("hf_prefill", "HF pp"), ("hf_decode", "HF tg"),
    ("ratio_hf_prefill", "fslm/HF pp"), ("ratio_hf_decode", "fslm/HF tg"),
    ("fslm_rss", "fslm RSS MB"), ("llama_rss", "llama RSS MB"), ("hf_rss", "HF RSS MB"),
    ("note", "note"),
]
LEGEND = """\
pp: prefill tokens/s of a {p}-token prompt. tg: decode tokens/s generating {g} tokens; fslm and
HF (transformers, eager, f32/bf16 only) decode right after the {p}-token prompt, so their ratios
use llama.cpp's tg{g} at depth {p} (llama tg@{p}); llama tg is llama-bench's tg{g} on an empty
context. Medians over {r} repetition(s) after a warm-up. RSS: peak resident memory of the
process. llama.cpp dtypes: q8 = Q8_0, q4 = Q4_0; fslm q8 is the f32 folder with --dtype q8.
n/a: could not be measured (the note says why); -: not measured for this dtype."""


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


def concurrent_decode(data):
    """(aggregate, single) decode tokens/s of a `--concurrency` run, or None without them."""
    concurrent = data.get("concurrent") or {}
    if "aggregateDecodeTokensPerSecond" not in concurrent:
        return None
    single = concurrent.get("singleDecodeTokensPerSecond")
    return median(concurrent["aggregateDecodeTokensPerSecond"]), median(single) if single else None


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


def busy_note(results, prefix, engines):
    """The share of the machine other processes took during each engine's run, and a note
    naming the runs where it was at least BUSY."""
    shares = {}
    for engine, label in engines:
        try:
            with open(os.path.join(results, f"{prefix}.{engine}.others")) as f:
                shares[label] = float(f.read())
        except (OSError, ValueError):
            pass
    busy = [f"{share:.0%} during {label}" for label, share in shares.items() if share >= BUSY]
    return shares, ("busy machine: others took " + ", ".join(busy) if busy else "")


def ratio(a, b):
    """a / b; "-" when either side was not measured by design, None when one could not be."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b > 0:
        return a / b
    return "-" if "-" in (a, b) else None


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
        row["fslm_decode"] = median(fslm["decodeTokensPerSecond"])
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
    row["others_share"], busy = busy_note(
        results, f"{shape}.{dtype}", [("fslm", "fslm"), ("llama", "llama.cpp"), ("hf", "transformers")])
    row["note"] = "; ".join(notes + ([busy] if busy else []))
    return row


def variant_row(results, shape, dtype, variant, label, base):
    """An extra fslm row: decode with a LoRA adapter (against the plain run `base`), or the
    aggregate decode of concurrent requests (against one request through the same path)."""
    data = load(results, f"{shape}.{dtype}.fslm.{variant}.json")
    if data is None:
        return None
    row = {key: "" for key, _ in COLUMNS}
    row.update(shape=SHAPE_NAMES.get(shape, shape), dtype=f"{dtype} {label}")
    if unavailable(data):
        row["fslm_prefill"] = row["fslm_decode"] = "n/a"
        row["note"] = f"fslm: {unavailable(data)}"
        return row
    row["fslm_rss"] = data.get("peakResidentMegabytes")
    row["others_share"], busy = busy_note(results, f"{shape}.{dtype}", [(f"fslm.{variant}", "fslm")])
    busy = f"; {busy}" if busy else ""
    if variant == "lora":
        row["fslm_prefill"] = median(data["prefillTokensPerSecond"])
        row["fslm_decode"] = median(data["decodeTokensPerSecond"])
        r = ratio(row["fslm_decode"], base.get("fslm_decode"))
        row["note"] = "decode with one LoRA adapter" + (f": {r:.2f}x without" if isinstance(r, float) else "") + busy
        return row
    figures = concurrent_decode(data)
    if figures is None:
        row["fslm_decode"] = "n/a"
        row["note"] = "fslm: no aggregate decode figure in the output"
        return row
    row["fslm_decode"], single = figures
    r = ratio(row["fslm_decode"], single)
    row["note"] = f"aggregate decode of {label.lstrip('x')} requests" + (
        f": {r:.2f}x one request through the same path ({cell(single, 'fslm_decode')} tok/s)" if isinstance(r, float) else "") + busy
    return row


def cell(value, key):
    if isinstance(value, dict):
        return ""
    if value is None:
        return "n/a" if key not in ("note", "hf_rss", "fslm_rss", "llama_rss", "llama_decode_empty") else "-"
    if isinstance(value, str):
        return value
    if key.startswith("ratio"):
        return f"{value:.2f}"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def render(rows, markdown, prompt):
    headers = [h.format(p=prompt) for _, h in COLUMNS]
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
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--seconds", type=int, help="how long the measurements took")
    args = parser.parse_args()
    legend = LEGEND.format(p=args.prompt_tokens, g=args.gen_tokens, r=args.repetitions)

    meta = load(args.results, "meta.json") or {}
    rows = []
    for shape in args.shapes.split(","):
        plain = {}
        for dtype in args.dtypes.split(","):
            plain[dtype] = row_for(args.results, shape, dtype, args.prompt_tokens, args.gen_tokens)
            rows.append(plain[dtype])
        for dtype, row in plain.items():
            for variant, label in [("lora", "+LoRA"), ("concurrency", f"x{args.concurrency}")]:
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
    if args.seconds is not None:
        meta["measured_in"] = f"{args.seconds} s"
        header.append(f"measured in: {args.seconds} s")
    text = "\n".join(header) + "\n\n" + render(rows, markdown=False, prompt=args.prompt_tokens) + "\n\n" + legend + "\n"
    md = "\n".join(f"- {line}" if i else f"### {line}" for i, line in enumerate(header))
    md += "\n\n" + render(rows, markdown=True, prompt=args.prompt_tokens) + "\n\n" + legend + "\n"
    with open(args.out + ".txt", "w") as f:
        f.write(text)
    with open(args.out + ".md", "w") as f:
        f.write(md)
    with open(args.out + ".json", "w") as f:
        json.dump({"meta": meta, "legend": legend, "rows": rows}, f, indent=2)
        f.write("\n")
    print(text, end="")


if __name__ == "__main__":
    main()
