#!/bin/sh
# Validator calls per second for a trivial sh validator, in once mode (a process per
# call) and serve mode (one process answering JSON lines). Not a test: the suite
# ValidatorThroughput only runs with FSLM_BENCH=1. Builds in release mode.
set -eu
cd "$(dirname "$0")/.."
FSLM_BENCH=1 swift test -c release --filter ValidatorThroughput 2>&1 | grep -E '^BENCH|error|✘' | sed 's/^BENCH //'
