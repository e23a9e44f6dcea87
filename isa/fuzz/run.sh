#!/usr/bin/env bash
# Builds the ISA loader fuzzer with clang and sanitizers (build-isa-fuzz/) and runs it for N
# seconds (default 300), seeded with targets/*.json and the small targets in isa/fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN=${1:-300}
cmake -S . -B build-isa-fuzz -G Ninja -DAXON_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  "-DAXON_SKIP_STAGES=smt;sim;synth;search;emit;runtime" >/dev/null
cmake --build build-isa-fuzz --target isa_load_fuzz
corpus=build-isa-fuzz/corpus/isa
mkdir -p "$corpus"
cp targets/*.json isa/fuzz/corpus/*.json "$corpus/"
build-isa-fuzz/isa/fuzz/isa_load_fuzz "$corpus" -dict=isa/fuzz/isa_json.dict -max_total_time="$SECONDS_TO_RUN" \
  -max_len=32768 -timeout=20 -rss_limit_mb=4096 -print_final_stats=1
