#!/usr/bin/env bash
# Two training scripts sharing one kernel library at once both finish (each may synthesize the
# same kernels; installs are atomic), and `library verify` passes. Then a script killed (with its
# axon-synth children) in the middle of synthesizing leaves a library that the next run uses.
# Usage: test_shared_library.sh WORKDIR (PYTHONPATH, AXON_SYNTH set by ctest).
set -euo pipefail
W=$1
rm -rf "$W"
mkdir -p "$W"
export AXON_LIBRARY_DIR="$W/lib" AXON_CACHE_DIR="$W/cache"
HERE=$(dirname "$0")
/usr/bin/python3 "$HERE/train_tiny.py" > "$W/a.log" 2>&1 &
a=$!
/usr/bin/python3 "$HERE/train_tiny.py" > "$W/b.log" 2>&1 &
b=$!
wait $a || { echo "FAIL: script a"; cat "$W/a.log"; exit 1; }
wait $b || { echo "FAIL: script b"; cat "$W/b.log"; exit 1; }
"$AXON_SYNTH" library verify "$W/lib" > /dev/null
echo "ok: two scripts on one library both finished; library verify passes"

# Killed mid-synthesis: a fresh library, the script and its axon-synth children killed once
# axon-synth has run for 3 seconds.
export AXON_LIBRARY_DIR="$W/lib2" AXON_CACHE_DIR="$W/cache2"
setsid /usr/bin/python3 "$HERE/train_tiny.py" > "$W/c.log" 2>&1 &
c=$!
for _ in $(seq 100); do
  pgrep -g "$c" -f axon-synth > /dev/null && break
  sleep 0.1
done
sleep 3
kill -KILL -- -"$c" 2> /dev/null || true
wait $c 2> /dev/null || true
if [ -f "$W/lib2/manifest.json" ]; then "$AXON_SYNTH" library verify "$W/lib2" > /dev/null; fi
/usr/bin/python3 "$HERE/train_tiny.py" > "$W/d.log" 2>&1 || { echo "FAIL: the run after the kill"; cat "$W/d.log"; exit 1; }
"$AXON_SYNTH" library verify "$W/lib2" > /dev/null
echo "ok: a script killed mid-synthesis left a usable library"
