#!/usr/bin/env bash
# Builds the NPU program loader fuzzer with clang and sanitizers (build-sim-fuzz/) and runs it for
# N seconds (default 300), seeded with the small programs of sim/programs/, tests/sim/programs/ and
# sim/fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN=${1:-300}
cmake -S . -B build-sim-fuzz -G Ninja -DAXON_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  "-DAXON_SKIP_STAGES=smt;synth;search;emit;runtime" >/dev/null
cmake --build build-sim-fuzz --target sim_load_fuzz
corpus=build-sim-fuzz/corpus/sim
mkdir -p "$corpus"
# The calibration programs expand to 40k-100k instructions: seconds per run under the sanitizers.
cp sim/programs/example_exp_plus_x.json sim/programs/rmsnorm_qkv.json tests/sim/programs/*.json \
  sim/fuzz/corpus/*.json "$corpus/"
build-sim-fuzz/sim/fuzz/sim_load_fuzz "$corpus" -dict=sim/fuzz/npu_program.dict \
  -max_total_time="$SECONDS_TO_RUN" -max_len=16384 -timeout=120 -rss_limit_mb=4096 \
  -print_final_stats=1
