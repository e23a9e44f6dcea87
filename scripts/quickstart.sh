#!/usr/bin/env bash
# The README's first command: install what is needed, build, and run axon-synth's main job on a
# bundled example. Synthesis is not built yet, so the main job today is the front end: check the
# NKIBench rmsnorm_matmul kernel, print its index-level IR, and run it in the reference
# interpreter at a small size.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
BIN=${AXON_BUILD_DIR:-build}/tools/axon-synth
EXAMPLE=experiments/suites/nkibench/rmsnorm_matmul.tp
echo "== axon-synth check $EXAMPLE"
"$BIN" check "$EXAMPLE"
echo "== axon-synth ir $EXAMPLE --level index"
"$BIN" ir "$EXAMPLE" --level index
echo "== axon-synth eval $EXAMPLE --dim M=64 --dim K=32 --dim N=16"
"$BIN" eval "$EXAMPLE" --dim M=64 --dim K=32 --dim N=16
