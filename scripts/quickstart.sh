#!/usr/bin/env bash
# The README's first command: install what is needed, build, and run axon-synth's main job on a
# bundled kernel: NKIBench rmsnorm_matmul (M4096 N2048 K1024, fp32) synthesized for this CPU
# (AVX2, which AVX-512 CPUs also run; targets/avx512.json and targets/zen4.json are for those).
# Outputs go to axon-out/rmsnorm_matmul/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
BIN=${AXON_BUILD_DIR:-build}/tools/axon-synth
EXAMPLE=experiments/suites/nkibench/rmsnorm_matmul.tp
TARGET=targets/avx2.json
echo "== axon-synth check $EXAMPLE"
"$BIN" check "$EXAMPLE"
echo "== axon-synth --isa $TARGET $EXAMPLE"
"$BIN" --isa "$TARGET" "$EXAMPLE"
echo "== kernel, report and loop nest in axon-out/rmsnorm_matmul/:"
ls axon-out/rmsnorm_matmul
