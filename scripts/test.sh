#!/usr/bin/env bash
# Builds and runs the whole default test suite (everything not labelled slow).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
cd "${AXON_BUILD_DIR:-build}"
ctest --output-on-failure -j "${AXON_JOBS:-$(nproc)}" -LE slow "$@"
