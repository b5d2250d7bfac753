#!/usr/bin/env bash
# Writes a generated workflow of about 100,000 lines to stdout: a chain of
# CHAIN stages, a fan-out of FAN stages from the chain's first stage, and a join.
# Usage: bench/make-large-workflow.sh [CHAIN] [FAN] > large.yaml
set -euo pipefail
chain=${1:-4000}
fan=${2:-1000}
awk -v chain="$chain" -v fan="$fan" 'BEGIN {
  print "version: 1"
  print "name: large"
  print "inputs:"
  print "  question: { type: string, example: \"What is 2 + 2?\" }"
  print "models:"
  print "  slm:"
  print "    backend: scripted"
  print "    rules:"
  print "      - replies: [\"ok\"]"
  print "defaults:"
  print "  model: slm"
  print "  generation: { max_tokens: 16, temperature: 0 }"
  print "stages:"
  for (i = 0; i < chain + fan; i++) {
    printf "  s%d:\n", i
    if (i > 0 && i < chain) printf "    needs: [s%d]\n", i - 1
    else if (i >= chain) print "    needs: [s0]"
    printf "    description: Stage %d of the generated workflow.\n", i
    print "    prompt: |"
    print "      Question: {{inputs.question}}"
    if (i > 0 && i < chain) printf "      Previous: {{stages.s%d.output}}\n", i - 1
    else print "      Previous: none"
    printf "      Step %d:\n", i
    print "    validate:"
    print "      - not_empty"
    print "      - { length: { max: 500 } }"
    print "      - { regex: \"^[a-z]+$\" }"
    print "    retry:"
    print "      attempts: 2"
    print "      on: [invalid]"
    print "    generation:"
    print "      max_tokens: 8"
    print "      stop: [\"\\n\"]"
    print "    timeout: 2s"
    print "    on_failure: fail"
    print "    output: text"
  }
  print "  join:"
  printf "    needs: [s%d", chain - 1
  for (i = chain; i < chain + fan; i++) printf ", s%d", i
  print "]"
  print "    trigger: any"
  print "    text: \"done\""
  print "outputs:"
  print "  last: \"{{stages.join.output}}\""
}'
