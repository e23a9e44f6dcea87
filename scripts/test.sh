#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh, a no-op when everything is there), builds, and runs
# the whole default test suite (everything not labelled slow), after checking the formatting.
# CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/format.sh --check   # the C++ sources match .clang-format (scripts/format.sh fixes them)
scripts/build.sh            # warnings are errors (AXON_WERROR, CMakeLists.txt)
cd "${AXON_BUILD_DIR:-build}"
ctest --output-on-failure -j "${AXON_JOBS:-$(nproc)}" -LE slow "$@"
