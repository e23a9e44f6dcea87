#!/usr/bin/env bash
# Checks the include rules of docs/design.md: which folder's code may include which folder's
# headers. Prints every include that breaks a rule and exits 1; exit 0 when none does. CI runs it
# (tests/CMakeLists.txt: layout_include_rules).
set -euo pipefail
cd "$(dirname "$0")/.."
# folder -> folders whose headers it may include (its own always).
declare -A ALLOWED=(
  [ir]=""
  [specs]="ir"
  [smt]="ir specs"
  [isa]="ir"
  [synth]="ir specs smt isa"
  [search]="ir specs smt isa synth"
  [emit]="ir specs smt isa synth search runtime sim"
  [sim]="ir isa"
  [runtime]="ir"
  [tools]="ir specs smt isa synth search emit sim runtime"
)
bad=0
report() { echo "layout: $1" >&2; bad=1; }
for dir in "${!ALLOWED[@]}"; do
  [ -d "$dir" ] || continue
  while IFS= read -r line; do
    file=${line%%:*}
    inc=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<< "${line#*:}")
    top=${inc%%/*}
    [ "$top" = "$inc" ] && continue            # a header beside the file
    [ "$top" = "$dir" ] && continue
    case " ${ALLOWED[$dir]} " in *" $top "*) ;; *) report "$file includes $inc ($dir/ may include: ${ALLOWED[$dir]:-nothing else})"; continue;; esac
    # The backends' own folders are theirs: nothing outside emit/ names one.
    if [ "$dir" != emit ] && [[ "$inc" =~ ^emit/[a-z_]+/ ]]; then report "$file includes $inc (a backend's folder: reach it through emit/registry.h)"; fi
  done < <(grep -rnE '^#include "[a-z_]+/' "$dir" --include='*.h' --include='*.cpp' --include='*.hpp' | sed -E 's/^([^:]+):[0-9]+:/\1:/')
done
# The runtime's shared library (manifest, sha256, cpu_features, file_io, runtime) links no ir/
# code: only ir/'s header-only files.
for f in runtime/manifest.* runtime/sha256.* runtime/cpu_features.* runtime/file_io.* runtime/runtime.cpp runtime/axon_runtime.h*; do
  [ -f "$f" ] || continue
  while IFS= read -r inc; do
    # (ir/dtype.h for its inline names and sizes only: the link with -z defs catches the rest.)
    case "$inc" in ir/json_nesting.h|ir/limits.h|ir/json_reader.h|ir/enum_table.h|ir/dtype.h) ;; ir/*) report "$f includes $inc (libaxon_runtime.so links no ir/ code; header-only ir/ files only)";; esac
  done < <(sed -nE 's/^#include "([^"]+)".*/\1/p' "$f")
done
if [ $bad -eq 0 ]; then echo "layout: every include follows docs/design.md's rules"; fi
exit $bad
