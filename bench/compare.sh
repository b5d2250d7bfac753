#!/usr/bin/env bash
# fslm's native core against llama.cpp and Hugging Face transformers, measured in one run on
# random-weight models of Pythia-160M's and SmolLM2-135M's exact shapes; prints one table of
# tokens/s, ratios and peak memory, and writes it as compare.{txt,md,json} in the scratch folder
# (each run's, with its raw measurements, stays in runs/TIME/).
#
#   bench/compare.sh [--quick] [--setup-only]
#
# The first run builds, in FSLM_BENCH_DIR (default bench/out/compare/, git-ignored): a Python
# venv (transformers, torch for the CPU, peft, llama.cpp's converter's needs), llama.cpp's
# llama-bench and llama-quantize from the sources inside PyPI's llama-cpp-python sdist (CMake,
# Release, GGML_NATIVE), the random models (safetensors in f32/f16/bf16, a LoRA adapter each)
# and their GGUF conversions. Later runs reuse all of it and only measure.
#
# Environment (defaults in brackets):
#   FSLM_BENCH_DIR          the scratch folder [bench/out/compare]
#   FSLM_BENCH_SHAPES       pythia, smollm [pythia,smollm]
#   FSLM_BENCH_DTYPES       f32, f16, bf16, q8, q4 [all]; q4 is llama.cpp's alone
#   FSLM_BENCH_THREADS      threads of every engine [2]
#   FSLM_BENCH_REPETITIONS, FSLM_BENCH_PROMPT_TOKENS, FSLM_BENCH_GEN_TOKENS [3, 512, 128]
#   FSLM_BENCH_CONCURRENCY  concurrent requests of fslm's aggregate decode row [8]
#   FSLM_BENCH_IDLE_WAIT, FSLM_BENCH_RETRIES  waiting for, and re-measuring on, a busy machine [10 s, 1]
#   FSLM_BENCH_TOKENIZERS   a folder with gpt2/ and gpt-neox-20b/ tokenizer.json [shared/fixtures/tokenizers]
#   FSLM_BENCH_TORCH        the torch requirement [a local +cpu wheel from pip's find-links, else torch]
#   FSLM                    an fslm binary to measure instead of building this repository's
# --quick is FSLM_BENCH_SHAPES=pythia FSLM_BENCH_DTYPES=f32,q8 unless they are set.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
setup_only=false
for arg in "$@"; do
  case $arg in
    --quick) : "${FSLM_BENCH_SHAPES:=pythia}" "${FSLM_BENCH_DTYPES:=f32,q8}" ;;
    --setup-only) setup_only=true ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

dir=${FSLM_BENCH_DIR:-$repo/bench/out/compare}
shapes=${FSLM_BENCH_SHAPES:-pythia,smollm}
dtypes=${FSLM_BENCH_DTYPES:-f32,f16,bf16,q8,q4}
threads=${FSLM_BENCH_THREADS:-2}
reps=${FSLM_BENCH_REPETITIONS:-3}
concurrency=${FSLM_BENCH_CONCURRENCY:-8}
prompt=${FSLM_BENCH_PROMPT_TOKENS:-512} gen=${FSLM_BENCH_GEN_TOKENS:-128}
llama_version=0.3.36 transformers_version=4.57.6 peft_version=0.17.1
tokenizers=${FSLM_BENCH_TOKENIZERS:-$repo/../shared/fixtures/tokenizers}
[[ -d $tokenizers ]] || tokenizers=/work/shared/fixtures/tokenizers

for s in ${shapes//,/ }; do
  [[ $s == pythia || $s == smollm ]] || { echo "compare.sh: unknown shape '$s' (pythia, smollm)" >&2; exit 2; }
done
for d in ${dtypes//,/ }; do
  [[ $d =~ ^(f32|f16|bf16|q8|q4)$ ]] || { echo "compare.sh: unknown dtype '$d' (f32, f16, bf16, q8, q4)" >&2; exit 2; }
done
[[ -f $tokenizers/gpt2/tokenizer.json && -f $tokenizers/gpt-neox-20b/tokenizer.json ]] || {
  echo "compare.sh: no gpt2/ and gpt-neox-20b/ tokenizer.json under $tokenizers (set FSLM_BENCH_TOKENIZERS)" >&2
  exit 1
}

mkdir -p "$dir/logs" "$dir/models"
exec 9> "$dir/.lock"  # one run at a time per scratch folder: they would share builds and CPUs
if ! flock -n 9; then
  echo "compare.sh: another run is using $dir; waiting for it" >&2
  flock 9
fi
venv=$dir/venv py=$dir/venv/bin/python
src=$dir/src/llama_cpp_python-$llama_version/vendor/llama.cpp
build=$dir/llama.cpp-build
log() { printf '== %s\n' "$*" >&2; }
timed() {  # timed NAME COMMAND...: runs it, and appends its duration to logs/build-times.txt
  local name=$1 start=$SECONDS; shift
  "$@"
  printf '%s %s: %d s\n' "$(date -u +%FT%TZ)" "$name" $((SECONDS - start)) >> "$dir/logs/build-times.txt"
}

## Tools: /usr/bin/time for llama.cpp's peak memory.
if [[ ! -x /usr/bin/time ]]; then
  sudo=$([[ $(id -u) == 0 ]] || echo sudo)
  log "installing GNU time with apt-get"
  $sudo apt-get install -y -qq time > /dev/null
fi

## The venv.
torch_requirement() {
  if [[ -n ${FSLM_BENCH_TORCH:-} ]]; then echo "$FSLM_BENCH_TORCH"; return; fi
  local links wheel
  links=$(pip3 config get global.find-links 2> /dev/null || true)
  for d in ${PIP_FIND_LINKS:-} $links; do
    wheel=$(ls "$d"/torch-*+cpu-*.whl 2> /dev/null | sort -V | tail -1 || true)
    if [[ -n $wheel ]]; then
      wheel=${wheel##*/torch-}
      echo "torch==${wheel%%-*}"
      return
    fi
  done
  echo "torch"  # PyPI's Linux wheel: works on the CPU but pulls the CUDA libraries (gigabytes)
}
requirements=("$(torch_requirement)" "transformers==$transformers_version" "peft==$peft_version"
  "safetensors" "numpy~=2.2.6" "sentencepiece>=0.1.98,<0.3.0" "protobuf>=4.21.0,<5.0.0")
if [[ ! -x $py || $(cat "$venv/requirements.txt" 2> /dev/null) != "${requirements[*]}" ]]; then
  log "venv: ${requirements[*]} (log: $dir/logs/pip.log)"
  python3 -m venv "$venv"
  timed venv nice -n 10 "$venv/bin/pip" install "${requirements[@]}" > "$dir/logs/pip.log" 2>&1 ||
    { tail -20 "$dir/logs/pip.log" >&2; echo "compare.sh: pip install failed" >&2; exit 1; }
  echo "${requirements[*]}" > "$venv/requirements.txt"
fi

## llama.cpp from the llama-cpp-python sdist.
if [[ ! -f $src/CMakeLists.txt ]]; then
  log "llama-cpp-python==$llama_version sdist"
  mkdir -p "$dir/src"
  "$venv/bin/pip" download --no-binary llama-cpp-python --no-deps "llama-cpp-python==$llama_version" \
    -d "$dir/src" > "$dir/logs/sdist.log" 2>&1 || { tail -20 "$dir/logs/sdist.log" >&2; exit 1; }
  tar -xzf "$dir/src/llama_cpp_python-$llama_version.tar.gz" -C "$dir/src"
fi
cmake=$(command -v cmake || true)
if [[ -z $cmake ]]; then
  [[ -x $venv/bin/cmake ]] || "$venv/bin/pip" install -q cmake > "$dir/logs/cmake-pip.log" 2>&1
  cmake=$venv/bin/cmake
fi
if [[ ! -x $build/bin/llama-bench || ! -x $build/bin/llama-quantize ]]; then
  log "building llama.cpp's llama-bench and llama-quantize (log: $dir/logs/llama-build.log; 10-30 min on 2 cores)"
  nice -n 10 "$cmake" -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DBUILD_SHARED_LIBS=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF \
    -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF > "$dir/logs/llama-configure.log" 2>&1 ||
    { tail -20 "$dir/logs/llama-configure.log" >&2; exit 1; }
  timed llama.cpp-build nice -n 10 "$cmake" --build "$build" --target llama-bench llama-quantize -j 2 \
    > "$dir/logs/llama-build.log" 2>&1 || { tail -20 "$dir/logs/llama-build.log" >&2; exit 1; }
fi

## fslm.
fslm=${FSLM:-}
if [[ -z $fslm ]]; then
  log "swift build -c release --product fslm"
  (cd "$repo" && timed fslm-build nice -n 10 swift build -c release --product fslm > "$dir/logs/fslm-build.log" 2>&1) ||
    { tail -20 "$dir/logs/fslm-build.log" >&2; exit 1; }
  fslm=$repo/.build/release/fslm
fi

## Models and their GGUF files.
gguf_type() { case $1 in q8) echo q8_0 ;; q4) echo q4_0 ;; *) echo "$1" ;; esac; }
for shape in ${shapes//,/ }; do
  m=$dir/models/$shape
  if [[ ! -f $m/done ]]; then
    log "random $shape model (f32, f16, bf16, LoRA adapter)"
    timed "model $shape" nice -n 10 "$py" "$here/compare/make_models.py" "$m" "$shape" --tokenizers "$tokenizers" \
      > "$dir/logs/model-$shape.log" 2>&1 || { tail -20 "$dir/logs/model-$shape.log" >&2; exit 1; }
  fi
  mkdir -p "$m/gguf"
  for d in ${dtypes//,/ }; do
    t=$(gguf_type "$d")
    [[ -f $m/gguf/$t.gguf ]] && continue
    if [[ $t == q4_0 ]]; then  # the converter writes no Q4_0: quantize the f32 file
      if [[ ! -f $m/gguf/f32.gguf ]]; then
        nice -n 10 "$py" "$src/convert_hf_to_gguf.py" "$m/f32" --outtype f32 --outfile "$m/gguf/f32.gguf" \
          > "$dir/logs/gguf-$shape-f32.log" 2>&1 || { tail -20 "$dir/logs/gguf-$shape-f32.log" >&2; exit 1; }
      fi
      log "llama-quantize $shape Q4_0"
      nice -n 10 "$build/bin/llama-quantize" "$m/gguf/f32.gguf" "$m/gguf/q4_0.gguf" Q4_0 \
        > "$dir/logs/gguf-$shape-q4_0.log" 2>&1 || { tail -20 "$dir/logs/gguf-$shape-q4_0.log" >&2; exit 1; }
    else
      log "convert_hf_to_gguf.py $shape --outtype $t"
      nice -n 10 "$py" "$src/convert_hf_to_gguf.py" "$m/f32" --outtype "$t" --outfile "$m/gguf/$t.gguf" \
        > "$dir/logs/gguf-$shape-$t.log" 2>&1 || { tail -20 "$dir/logs/gguf-$shape-$t.log" >&2; exit 1; }
    fi
  done
done
$setup_only && { log "setup done: $dir"; exit 0; }

## Measurements: one file per measurement in runs/TIME/results/, collated at the end.
run=$dir/runs/$(date -u +%Y%m%dT%H%M%SZ)
results=$run/results
mkdir -p "$results"
help=$("$fslm" bench --help 2>&1 || true)
has() { grep -q -- "--$1\b" <<< "$help"; }
flags=()
for f in dtype threads concurrency adapter; do has "$f" && flags+=("--$f"); done
fslm_threads=$(has threads && echo "$threads" || echo "1 (no --threads flag)")

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
cpu_flags=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' |
  grep -xE 'sse4_2|avx|avx2|fma|f16c|avx512f|avx512bw|avx512vl|avx512_vnni|avx512_bf16|avx512_fp16|amx_tile|amx_bf16|amx_int8|avx_vnni' |
  paste -sd ' ' -)
versions="llama-cpp-python $llama_version, $("$py" -c 'import torch, transformers; print(f"torch {torch.__version__}, transformers {transformers.__version__}")'), fslm $(git -C "$repo" rev-parse --short HEAD)"
"$py" -c 'import json, sys; a = sys.argv[2:]; json.dump(dict(zip(a[::2], a[1::2])), open(sys.argv[1], "w"), indent=2)' \
  "$results/meta.json" date "$(date -u '+%Y-%m-%d %H:%M UTC')" cpu "$cpu, $(nproc) cores" cpu_flags "$cpu_flags" \
  threads "llama.cpp $threads, transformers $threads, fslm $fslm_threads" versions "$versions" \
  fslm_flags "${flags[*]:-none}" load_average "$(cut -d' ' -f1-3 /proc/loadavg) at the start"
unavailable() { printf '{"unavailable": "%s"}\n' "$2" > "$1"; }

# Other processes on a shared machine skew every figure: each measurement waits (up to
# FSLM_BENCH_IDLE_WAIT s, default 10) for a second in which the machine is 90% idle, and
# records in NAME.others the share of the machine's CPU time that others (stolen time
# included) took while it ran; at 15% or more it is measured again (FSLM_BENCH_RETRIES
# times, default 1), and the table notes rows still measured on a busy machine.
hz=$(getconf CLK_TCK) ncpu=$(nproc) idle_wait=${FSLM_BENCH_IDLE_WAIT:-10} retries=${FSLM_BENCH_RETRIES:-1}
cpu_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
wait_idle() {
  local deadline=$((SECONDS + idle_wait)) a b
  while ((SECONDS < deadline)); do
    a=$(cpu_ticks); sleep 1; b=$(cpu_ticks)
    (((b - a) * 10 < hz * ncpu)) && return 0
  done
  log "(the machine stayed busy for $idle_wait s; measuring anyway)"
}
measure() {  # measure OUT LOG COMMAND...: its stdout into OUT (or an "unavailable" note), under /usr/bin/time -v
  local out=$1 logf=$2 base=${1%.json} a b t0 t1 attempt share; shift 2
  for attempt in $(seq 0 "$retries"); do
    wait_idle
    a=$(cpu_ticks) t0=$(date +%s.%N)
    if ! /usr/bin/time -v -o "$base.time" "$@" > "$out" 2> "$logf"; then
      unavailable "$out" "failed: $(grep -v '^\s*$' "$logf" | tail -1 | tr -d '"\\' | cut -c1-120)"
      return
    fi
    b=$(cpu_ticks) t1=$(date +%s.%N)
    share=$(awk -F': ' -v ticks=$((b - a)) -v hz="$hz" -v n="$ncpu" -v t0="$t0" -v t1="$t1" \
      '/User time|System time/ {own += $2} END {s = (ticks / hz - own) / ((t1 - t0) * n); printf "%.2f\n", s < 0 ? 0 : s}' \
      "$base.time")
    echo "$share" > "$base.others"
    awk -v s="$share" 'BEGIN {exit !(s < 0.15)}' && return
    if ((attempt < retries)); then log "(other processes took $share of the CPUs meanwhile: measuring again)"; fi
  done
}
fslm_bench() {  # fslm_bench OUT FOLDER DTYPE [EXTRA...]
  local out=$1 folder=$2 d=$3; shift 3
  local args=(bench --model "$folder" --prompt-tokens "$prompt" --gen-tokens "$gen" --repetitions "$reps" --json "$@")
  if has dtype; then args+=(--dtype "$d"); elif [[ $d == q8 ]]; then
    unavailable "$out" "n/a (flag not available: --dtype)"; return
  fi
  has threads && args+=(--threads "$threads")
  log "fslm ${args[*]}"
  measure "$out" "$dir/logs/${out##*/}.log" "$fslm" "${args[@]}"
}

# The LoRA and concurrency rows use the first dtype fslm can run. Its plain run also measures
# the concurrent decode when fslm has --concurrency (bench does the plain run first, alone).
first=""
for d in ${dtypes//,/ }; do
  case $d in
    f32 | f16 | bf16) first=$d; break ;;
    q8) has dtype && { first=$d; break; } ;;
  esac
done
start=$SECONDS
for shape in ${shapes//,/ }; do
  m=$dir/models/$shape
  for d in ${dtypes//,/ }; do
    t=$(gguf_type "$d") r=$results/$shape.$d
    log "llama-bench $shape $t"
    measure "$r.llama.json" "$dir/logs/$shape.$d.llama.log" "$build/bin/llama-bench" -m "$m/gguf/$t.gguf" \
      -p "$prompt" -n "$gen" -d "0,$prompt" -t "$threads" -r "$reps" -o json
    [[ $d == q4 ]] && continue  # fslm has no 4-bit weights
    folder=$m/$d
    [[ $d == q8 ]] && folder=$m/f32
    if [[ $d == "$first" ]] && has concurrency; then
      fslm_bench "$r.fslm.json" "$folder" "$d" --concurrency "$concurrency"
      for x in json time others; do cp "$r.fslm.$x" "$r.fslm.concurrency.$x"; done
      if grep -q unavailable "$r.fslm.json"; then fslm_bench "$r.fslm.json" "$folder" "$d"; fi
    else
      fslm_bench "$r.fslm.json" "$folder" "$d"
      [[ $d == "$first" ]] && unavailable "$r.fslm.concurrency.json" "n/a (flag not available: --concurrency)"
    fi
    if [[ $d == "$first" ]]; then
      fslm_bench "$r.fslm.lora.json" "$folder" "$d" --adapter "$m/adapter"
    fi
    if [[ $d == f32 || $d == bf16 ]]; then
      log "transformers $shape $d"
      measure "$r.hf.json" "$dir/logs/$shape.$d.hf.log" "$py" "$here/compare/measure_transformers.py" \
        --model "$m/$d" --dtype "$d" --threads "$threads" --prompt-tokens "$prompt" --gen-tokens "$gen" --repetitions "$reps"
    fi
  done
done
"$py" "$here/compare/collate.py" "$results" --shapes "$shapes" --dtypes "$dtypes" --prompt-tokens "$prompt" \
  --gen-tokens "$gen" --repetitions "$reps" --concurrency "$concurrency" --seconds $((SECONDS - start)) --out "$run/compare"
cp "$run/compare.txt" "$run/compare.md" "$run/compare.json" "$dir/"
echo
echo "written: $dir/compare.txt, compare.md, compare.json (this run, with its raw measurements: $run/)"
