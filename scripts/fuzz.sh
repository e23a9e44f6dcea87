#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and sanitizers (build-fuzz/) and runs the front-end
# fuzzer for N seconds (default 300), seeded with every .tp and .spec file of the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-300}
cmake -S . -B build-fuzz -G Ninja -DAXON_FUZZ=ON -DAXON_WERROR=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ "-DAXON_SKIP_STAGES=${AXON_FUZZ_SKIP:-smt;isa;sim;synth;search;emit;runtime}" >/dev/null
cmake --build build-fuzz --target parse_fuzz
corpus=build-fuzz/corpus/parse
mkdir -p "$corpus"
find experiments tests specs -name '*.tp' -o -name '*.spec' | while read -r f; do cp "$f" "$corpus/$(echo "$f" | tr '/' '_')"; done
build-fuzz/tests/fuzz/parse_fuzz "$corpus" -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1
