#!/usr/bin/env bash
# Installs what the side-by-side CPU benchmark compares against (not needed to build or test):
# oneDNN (libdnnl-dev) and PyTorch for Debian's Python (python3-torch, used via /usr/bin/python3)
# with OpenBLAS behind it (Debian's default libblas.so.3 is the unoptimised reference BLAS); and
# matplotlib for scripts/run_suite.py's plot.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
missing=()
for p in libdnnl-dev python3-torch python3-numpy python3-matplotlib libopenblas0-pthread; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { echo "setup_bench: already installed"; exit 0; }
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
