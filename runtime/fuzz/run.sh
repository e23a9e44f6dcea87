#!/usr/bin/env bash
# Builds the manifest loader fuzzer with clang and sanitizers (build-fuzz/) and runs it for N
# seconds (default 300), seeded with the manifests in runtime/fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN=${1:-300}
cmake -S . -B build-fuzz -G Ninja -DAXON_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  "-DAXON_SKIP_STAGES=smt;sim;synth;search;emit" >/dev/null
cmake --build build-fuzz --target manifest_fuzz
corpus=build-fuzz/corpus/manifest
mkdir -p "$corpus"
cp runtime/fuzz/corpus/*.json "$corpus/"
build-fuzz/runtime/manifest_fuzz "$corpus" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 \
  -timeout=20 -rss_limit_mb=4096 -print_final_stats=1
