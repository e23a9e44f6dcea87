#!/usr/bin/env bash
# Installers racing on one library lose nothing: ROUNDS times, WIDTH `axon-synth library install`
# processes start at once on a fresh library, each installing a pre-built kernel (from the
# fixture's output directories) under its own name; afterwards every one of them must be in the
# manifest and `library verify` must pass. Usage: concurrent_install.sh AXON_SYNTH RT ROUNDS WIDTH
set -uo pipefail
BIN=$1
RT=$2
ROUNDS=$3
WIDTH=$4
OUTS=("$RT/out-rmsnorm_matmul" "$RT/out-adamw" "$RT/out-add")
WORK="$RT/concurrent-$WIDTH"
fail() {
  echo "FAIL (round $1): $2"
  exit 1
}
for round in $(seq 1 "$ROUNDS"); do
  lib="$WORK/lib"
  rm -rf "$WORK"
  mkdir -p "$WORK"
  # A library that already holds a kernel, so every installer rewrites a non-empty manifest.
  "$BIN" library install "${OUTS[2]}" "$lib" --name existing > /dev/null || fail "$round" "seeding the library"
  pids=()
  for i in $(seq 1 "$WIDTH"); do
    "$BIN" library install "${OUTS[$((i % 2))]}" "$lib" --name "k$i" > "$WORK/log$i" 2>&1 &
    pids+=($!)
  done
  for i in $(seq 1 "$WIDTH"); do
    wait "${pids[$((i - 1))]}" || fail "$round" "installer $i failed: $(cat "$WORK/log$i")"
  done
  names=$("$BIN" library ls "$lib" --json | grep -o '"name": "[^"]*"' | sort -u)
  for n in existing $(seq -f 'k%g' 1 "$WIDTH"); do
    grep -qx "\"name\": \"$n\"" <<< "$names" || fail "$round" "kernel $n was lost; the manifest has: $names"
  done
  "$BIN" library verify "$lib" > "$WORK/verify" 2>&1 || fail "$round" "verify failed: $(cat "$WORK/verify")"
  leftovers=$(find "$lib/.staging" -mindepth 1 2>/dev/null | wc -l)
  [ "$leftovers" -eq 0 ] || fail "$round" "$leftovers staging files were left behind"
done
echo "ok: $ROUNDS rounds of $WIDTH concurrent installers, no entry lost"
