#!/usr/bin/env bash
# First run of a training script synthesizes its kernels (axon-synth called as a subprocess,
# installing into the library); a second run finds them all in the library and calls axon-synth
# no more. Usage: test_second_run.sh WORKDIR (PYTHONPATH, AXON_SYNTH set by ctest).
set -euo pipefail
W=$1
rm -rf "$W"
mkdir -p "$W"
export AXON_LIBRARY_DIR="$W/lib" AXON_CACHE_DIR="$W/cache" AXON_SYNTH_LOG="$W/calls.log"
HERE=$(dirname "$0")
/usr/bin/python3 "$HERE/train_tiny.py"
first=$(wc -l < "$W/calls.log")
[ "$first" -ge 2 ] || { echo "FAIL: first run made $first axon-synth calls (expected forward+backward, optimizer)"; exit 1; }
: > "$W/calls.log"
/usr/bin/python3 "$HERE/train_tiny.py"
second=$(wc -l < "$W/calls.log")
[ "$second" -eq 0 ] || { echo "FAIL: second run made $second axon-synth calls"; cat "$W/calls.log"; exit 1; }
"${AXON_SYNTH}" library verify "$W/lib" > /dev/null
echo "ok: first run $first axon-synth calls, second run 0"
