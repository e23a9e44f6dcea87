#!/usr/bin/env bash
# Formats every tracked C++ file with the checked-in .clang-format (clang-format 14).
#   scripts/format.sh           rewrite the files in place
#   scripts/format.sh --check   list the files that drift and exit 1 (CI runs this)
set -euo pipefail
cd "$(dirname "$0")/.."
CF=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$CF" ]; then echo "format: clang-format-14 not found (scripts/setup.sh installs it)" >&2; exit 2; fi
mapfile -t files < <(git ls-files '*.cpp' '*.h' '*.hpp' '*.cc')
if [ "${1:-}" = "--check" ]; then
  drift=()
  for f in "${files[@]}"; do
    if ! "$CF" --style=file "$f" | cmp -s - "$f"; then drift+=("$f"); fi
  done
  if [ ${#drift[@]} -gt 0 ]; then
    echo "format: ${#drift[@]} file(s) differ from .clang-format (run scripts/format.sh):" >&2
    printf '  %s\n' "${drift[@]}" >&2
    exit 1
  fi
  echo "format: all ${#files[@]} C++ files match .clang-format"
else
  "$CF" --style=file -i "${files[@]}"
fi
