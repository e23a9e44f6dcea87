#!/usr/bin/env bash
# The runtime's per-call overhead on a tiny kernel (ops/add.tp at 1 x 8), from C and Python.
# Builds a library of its own with the given axon-synth. Run from the source root:
#   bash tests/runtime/bench_overhead.sh build
set -euo pipefail
BUILD=${1:-build}
WORK="$BUILD/runtime-bench"
rm -rf "$WORK"
mkdir -p "$WORK"
export AXON_CACHE_DIR="$WORK/cache"
"$BUILD/tools/axon-synth" --isa targets/avx2.json experiments/suites/ops/add.tp --dim M=1 --dim N=8 \
  --measure 3 --repeats 3 -o "$WORK/out" --library="$WORK/lib" > /dev/null 2>&1
obj=$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['kernels'][0]['object']['path'])" "$WORK/lib/manifest.json")
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
"$BUILD/tests/runtime/runtime_overhead_bench" "$WORK/lib" add "$WORK/lib/$obj"
PYTHONPATH="$BUILD/python" /usr/bin/python3 tests/runtime/bench_overhead.py "$WORK/lib" add
