#!/usr/bin/env bash
# Test fixture: synthesizes three small kernels (rmsnorm_matmul, adamw with inout tensors, and a
# tiny add for the overhead benchmark) into RT/out-* and installs them into the library RT/lib
# with `axon-synth --library=...`. Usage: make_library.sh AXON_SYNTH RT
set -euo pipefail
BIN=$1
RT=$2
rm -rf "$RT/lib" "$RT"/out-*
mkdir -p "$RT"
export AXON_CACHE_DIR="$RT/cache"
synth() {
  local name=$1 prog=$2
  shift 2
  # The search's progress lines go to a log, shown only when the run fails.
  "$BIN" --isa targets/avx2.json "$prog" "$@" --measure 3 --repeats 3 -o "$RT/out-$name" \
    --library="$RT/lib" 2> "$RT/synth-$name.log" || { cat "$RT/synth-$name.log"; exit 1; }
}
synth rmsnorm_matmul experiments/suites/nkibench/rmsnorm_matmul.tp --dim M=64 --dim K=32 --dim N=48
synth adamw experiments/suites/nkibench/adamw.tp --dim P=16 --dim Q=40
synth add experiments/suites/ops/add.tp --dim M=1 --dim N=8
"$BIN" library verify "$RT/lib"
