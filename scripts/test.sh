#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh, a no-op when everything is there), builds, and runs
# the whole default test suite (everything not labelled slow). CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
cd "${AXON_BUILD_DIR:-build}"
ctest --output-on-failure -j "${AXON_JOBS:-$(nproc)}" -LE slow "$@"
