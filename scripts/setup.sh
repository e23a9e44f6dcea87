#!/usr/bin/env bash
# Installs every Debian package axon-synth needs. Idempotent and non-interactive; the only set-up
# step. Run as root (or with sudo available).
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build ccache git
  clang-14 lld-14 libclang-rt-14-dev llvm-14-dev clang-format-14   # clang-format: scripts/format.sh --check in CI
  libz3-dev z3 libcvc5-dev cvc5
  nlohmann-json3-dev libtbb-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-numpy python3-dev pybind11-dev
  python3-matplotlib slurm-wlm munge   # experiments/batch.py's plots; its Slurm test (tests/experiments)
  dataset-fashion-mnist                 # python/axon's Fashion-MNIST loader and examples
  python3-torch libopenblas0-pthread    # the training library's comparisons with PyTorch (tests/python)
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
