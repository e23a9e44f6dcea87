#!/usr/bin/env bash
# Configures (once) and builds axon-synth into build/ with ninja.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${AXON_BUILD_DIR:-build}
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE:-RelWithDebInfo} \
    -DAXON_WERROR=${AXON_WERROR:-ON}
fi
cmake --build "$BUILD" -j "${AXON_JOBS:-$(nproc)}"
