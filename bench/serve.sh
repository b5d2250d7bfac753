#!/usr/bin/env bash
# Benchmark `fslm serve`'s /v1/completions on the scripted backend (release build): requests
# per second and p50/p99 latency with 1, 8 and 64 concurrent clients, measured by wrk (from
# Debian's packages; installed when missing) on loopback. DURATION sets each run's length.
set -euo pipefail
cd "$(dirname "$0")/.."
fslm=${FSLM:-.build/release/fslm}
duration=${DURATION:-10s}
[[ -x $fslm ]] || swift build -c release --product fslm
if ! command -v wrk > /dev/null; then
  sudo=$([[ $(id -u) == 0 ]] || echo sudo)
  $sudo apt-get install -y wrk > /dev/null
fi
out=$(mktemp -d)
server=""
cleanup() {
  [[ -n $server ]] && kill -TERM "$server" 2> /dev/null && wait "$server" 2> /dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT

cat > "$out/model.yaml" << 'YAML'
version: 1
name: bench
models:
  m: { backend: scripted, rules: [{ replies: ["The quick brown fox jumps over the lazy dog."] }] }
stages:
  s: { prompt: "x" }
YAML
cat > "$out/post.lua" << 'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model": "m", "prompt": "Say something.", "max_tokens": 16, "temperature": 0}'
LUA

"$fslm" serve --port 0 --model m="$out/model.yaml" --max-concurrent-requests 1024 2> "$out/serve.log" &
server=$!
for _ in $(seq 100); do grep -q "listening on" "$out/serve.log" && break; sleep 0.1; done
port=$(grep -o '127.0.0.1:[0-9]*' "$out/serve.log" | head -1 | cut -d: -f2)
url="http://127.0.0.1:$port/v1/completions"
curl -sf "$url" -H 'Content-Type: application/json' -d '{"model": "m", "prompt": "warm up"}' > /dev/null

echo "fslm serve, POST /v1/completions on the scripted backend, $duration per run (wrk on loopback, $(nproc) cores)"
for clients in 1 8 64; do
  threads=$((clients < 2 ? clients : 2))
  wrk -t "$threads" -c "$clients" -d "$duration" --latency -s "$out/post.lua" "$url" > "$out/wrk.txt"
  rps=$(awk '/^Requests\/sec/ {print $2}' "$out/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$out/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$out/wrk.txt")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$out/wrk.txt" | tr -s ' ' | paste -sd ';' -)
  printf '%2d clients: %9s requests/s, p50 %8s, p99 %8s%s\n' "$clients" "$rps" "$p50" "$p99" "${errors:+ ($errors)}"
done
