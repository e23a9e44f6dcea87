#!/usr/bin/env bash
# An install killed (SIGKILL) at a random moment leaves a usable library: the manifest parses,
# every entry it lists verifies, every install that finished before is still there, and the next
# install cleans up what the killed one left. Usage: killed_install.sh AXON_SYNTH RT ROUNDS
set -uo pipefail
BIN=$1
RT=$2
ROUNDS=$3
WORK="$RT/killed-$ROUNDS"
lib="$WORK/lib"
rm -rf "$WORK"
mkdir -p "$WORK"
fail() {
  echo "FAIL (round $1): $2"
  exit 1
}
"$BIN" library install "$RT/out-add" "$lib" --name base > /dev/null || fail 0 "seeding the library"
# Deterministically: an install that has linked and staged its files and waits for the lock
# (held here with flock(1)) is killed; the manifest is unchanged and nothing of it is installed.
if command -v flock > /dev/null; then
  before=$(cat "$lib/manifest.json")
  exec 9> "$lib/.lock"
  flock 9
  "$BIN" library install "$RT/out-rmsnorm_matmul" "$lib" --name staged > /dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do
    [ -n "$(find "$lib/.staging" -name kernel.so 2> /dev/null)" ] && break
    sleep 0.05
  done
  [ -n "$(find "$lib/.staging" -name kernel.so)" ] || fail 0 "the install never staged its object"
  sleep 0.1
  kill -9 "$pid"
  wait "$pid" 2> /dev/null
  exec 9>&-
  [ "$before" = "$(cat "$lib/manifest.json")" ] || fail 0 "a killed staged install changed the manifest"
  "$BIN" library verify "$lib" > /dev/null 2>&1 || fail 0 "verify failed after a killed staged install"
fi
# How long one install takes here, to spread the kills over it.
t0=$(date +%s%N)
"$BIN" library install "$RT/out-rmsnorm_matmul" "$lib" --name timing > /dev/null || fail 0 "timing install"
span_ms=$(( ($(date +%s%N) - t0) * 6 / 5000000 + 5 ))
finished=(base timing)
killed_before=0
killed_after=0
for round in $(seq 1 "$ROUNDS"); do
  "$BIN" library install "$RT/out-rmsnorm_matmul" "$lib" --name "r$round" > /dev/null 2>&1 &
  pid=$!
  delay=$(( RANDOM % span_ms ))
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  kill -9 "$pid" 2> /dev/null
  wait "$pid"
  status=$?
  if [ $status -eq 0 ]; then
    finished+=("r$round")
    killed_after=$((killed_after + 1))
  else
    killed_before=$((killed_before + 1))
  fi
  "$BIN" library verify "$lib" > "$WORK/verify" 2>&1 || fail "$round" "verify failed after a kill: $(cat "$WORK/verify")"
  names=$("$BIN" library ls "$lib" --json | grep -o '"name": "[^"]*"' | sort -u)
  for n in "${finished[@]}"; do
    grep -qx "\"name\": \"$n\"" <<< "$names" || fail "$round" "kernel $n, installed earlier, was lost (status $status; manifest now: $("$BIN" library ls "$lib" --json | grep -o '"name": "[^"]*"' | sort -u | tr '\n' ' '))"
  done
done
# A completed install deletes what the killed ones left (their pids are gone; give the linkers
# they started a moment to finish).
sleep 0.5
"$BIN" library install "$RT/out-add" "$lib" --name last > /dev/null || fail end "final install"
left=$(find "$lib/.staging" -mindepth 1 -maxdepth 1 | wc -l)
tmp=$(find "$lib" -maxdepth 1 -name 'manifest.json.tmp.*' | wc -l)
[ "$left" -eq 0 ] && [ "$tmp" -eq 0 ] || fail end "$left staging directories and $tmp temporary manifests were not cleaned up"
referenced=$("$BIN" library ls "$lib" --json | grep -o '"path": "objects/[^"]*"' | wc -l)
present=$(find "$lib/objects" -type f | wc -l)
[ "$referenced" -eq "$present" ] || fail end "$present objects on disk but $referenced referenced"
echo "ok: $ROUNDS installs killed at random moments ($killed_before before finishing, $killed_after after); library intact"
