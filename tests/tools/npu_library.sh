#!/usr/bin/env bash
# NPU programs through the outputs, the kernel library, `sim`, the runtime and `replay`, with the
# stand-in NPU backend of axon-synth-npu-test (npu_test_backend.cpp, registered as "sim"):
#   -o OUT writes program.json, timing.json, trace.json, kernel.json, isa.json and report.json
#     (device {"target": "npu", "clock": "simulated"}, each artifact file's sha256), also on a
#     cache hit;
#   --library installs an npu entry (backend sim, object kind npu_program: the program JSON and
#     its sha256, with its target description); ls, show and verify work on it, and verify fails,
#     with the reason, on a corrupt program and on a hand-edited one whose sha256 was updated;
#   `sim --library LIB NAME` and `sim LIB/objects/FILE` run it (timing: the recorded time;
#     --functional);
#   libaxon_runtime (through the Python module) refuses it: "simulated target: no device";
#   `replay` rebuilds the program byte for byte, and fails (exit 1) naming program.json when the
#     backend builds another program;
#   installs killed mid-way lose nothing;
#   and, given axon-synth, its real NPU backend's program of add.tp installs, verifies, runs in
#     `sim --library` at the recorded time and replays byte for byte.
# Usage: npu_library.sh AXON_SYNTH_NPU_TEST WORKDIR [AXON_SYNTH]  (run from the source root;
# PYTHONPATH set to the axon_runtime module's directory)
set -uo pipefail
BIN=$1
WORK=$2
REAL=${3:-} # axon-synth itself: section 8 runs the real NPU backend through the same path
rm -rf "$WORK"
mkdir -p "$WORK"
export AXON_CACHE_DIR="$WORK/cache"
unset AXON_TEST_NPU_PROGRAM
fail() {
  echo "FAIL: $*"
  exit 1
}
# expect_exit CODE LOG command...: runs the command, its output in LOG, and checks its exit code.
expect_exit() {
  local want=$1 log=$2
  shift 2
  "$@" > "$log" 2>&1
  local got=$?
  [ "$got" -eq "$want" ] || fail "exit $got, not $want: $*: $(cat "$log")"
}
py() { /usr/bin/python3 -c "$@"; }
out="$WORK/out"
lib="$WORK/lib"
prog=tests/tools/exp_plus_x.tp

# --- 1. the outputs, and the install into the library.
expect_exit 0 "$WORK/synth.log" "$BIN" --isa targets/npu.json "$prog" -o "$out" --library="$lib"
for f in program.json timing.json trace.json kernel.json isa.json report.json candidates.jsonl derivation.txt; do
  [ -s "$out/$f" ] || fail "OUT/$f was not written"
done
[ -e "$out/kernel.o" ] && fail "an NPU run wrote a kernel.o"
py "
import json, hashlib
r = json.load(open('$out/report.json'))
assert r['device'] == {'target': 'npu', 'clock': 'simulated', 'isa': 'npu'}, r['device']
assert r['best']['time_ns']['clock'] == 'simulated', r['best']['time_ns']
a = r['artifact']
assert a['kind'] == 'npu_program', a
assert sorted(a['files']) == ['program.json', 'timing.json', 'trace.json'], a
for name, sha in a['files'].items():
    assert hashlib.sha256(open('$out/' + name, 'rb').read()).hexdigest() == sha, name
k = json.load(open('$out/kernel.json'))
assert k['backend'] == 'sim' and k['object'] == {'kind': 'npu_program', 'path': 'program.json'}, k
t = json.load(open('$out/timing.json'))
assert t['total_ns'] == r['best']['time_ns']['median'], (t['total_ns'], r['best']['time_ns'])
" || fail "OUT/report.json, kernel.json or timing.json"
grep -q "^installed exp_plus_x (exp_plus_x.npu." "$WORK/synth.log" || fail "no install line: $(cat "$WORK/synth.log")"
# The written program is one the simulator reads.
expect_exit 0 "$WORK/sim-out.log" "$BIN" sim "$out/program.json" --isa targets/npu.json
# A cache hit writes the same files.
expect_exit 0 "$WORK/synth2.log" "$BIN" --isa targets/npu.json "$prog" -o "$WORK/out2"
grep -q "reused the cached result" "$WORK/synth2.log" || fail "no cache hit: $(cat "$WORK/synth2.log")"
for f in program.json timing.json trace.json kernel.json isa.json; do
  cmp -s "$out/$f" "$WORK/out2/$f" || fail "the cache hit wrote another $f"
done
py "
import json
a, b = (json.load(open(d + '/report.json')) for d in ('$out', '$WORK/out2'))
assert a['artifact'] == b['artifact'] and b['cache']['hit'], (a['artifact'], b['artifact'])
" || fail "the cache hit's report.json"

# --- 2. ls, show, verify.
expect_exit 0 "$WORK/ls.log" "$BIN" library ls "$lib"
grep -q "exp_plus_x on npu (backend sim)" "$WORK/ls.log" || fail "library ls: $(cat "$WORK/ls.log")"
expect_exit 0 "$WORK/show.json" "$BIN" library show "$lib" exp_plus_x
py "
import json, hashlib, os
e = json.load(open('$WORK/show.json'))
assert e['backend'] == 'sim', e['backend']
o = e['object']
assert o['kind'] == 'npu_program' and o['path'].startswith('objects/exp_plus_x.npu.') and o['path'].endswith('.json'), o
prog = open('$out/program.json', 'rb').read()
assert o['sha256'] == hashlib.sha256(prog).hexdigest(), o
assert open(os.path.join('$lib', o['path']), 'rb').read() == prog
files = {os.path.basename(f['path']) for f in e['files']}
assert {'report.json', 'kernel.json', 'derivation.txt', 'isa.json', 'timing.json'} <= files, files
assert e['time_ns']['median'] == json.load(open('$out/report.json'))['best']['time_ns']['median']
" || fail "library show: $(cat "$WORK/show.json")"
expect_exit 0 "$WORK/verify.log" "$BIN" library verify "$lib"
grep -q "^ok      exp_plus_x.npu.* (this machine cannot run it: simulated target: no device" "$WORK/verify.log" ||
  fail "library verify: $(cat "$WORK/verify.log")"
object=$(py "import json; print(json.load(open('$WORK/show.json'))['object']['path'])")

# --- 3. sim runs the installed program: by name, by id, by path; timing and functional.
want_ns=$(py "import json; print(json.load(open('$out/report.json'))['best']['time_ns']['median'])")
id=$(py "import json; print(json.load(open('$WORK/show.json'))['id'])")
for how in "--library $lib exp_plus_x" "--library $lib $id" "$lib/$object"; do
  # shellcheck disable=SC2086
  expect_exit 0 "$WORK/sim.json" "$BIN" sim $how --json
  py "
import json
got = json.load(open('$WORK/sim.json'))['total_ns']
assert got == $want_ns, (got, $want_ns)
" || fail "sim $how: $(cat "$WORK/sim.json")"
done
expect_exit 0 "$WORK/simf.log" "$BIN" sim --library "$lib" exp_plus_x --functional
grep -q "^y: \[128, 512\] sum" "$WORK/simf.log" || fail "sim --functional: $(cat "$WORK/simf.log")"
expect_exit 0 "$WORK/simt.log" "$BIN" sim --library "$lib" exp_plus_x --trace "$WORK/t.json" --audit
[ -s "$WORK/t.json" ] || fail "sim --library --trace wrote no trace"
expect_exit 2 "$WORK/sim-none.log" "$BIN" sim --library "$lib" nosuch
grep -q "no kernel named 'nosuch'" "$WORK/sim-none.log" || fail "sim of a missing kernel: $(cat "$WORK/sim-none.log")"
expect_exit 2 "$WORK/sim-noname.log" "$BIN" sim --library "$lib"
grep -q "needs the installed program's name or id" "$WORK/sim-noname.log" || fail "$(cat "$WORK/sim-noname.log")"

# --- 4. the runtime refuses it, without a crash and loading nothing.
py "
import axon_runtime, numpy as np
lib = axon_runtime.open('$lib')
assert [k['backend'] for k in lib.kernels()] == ['sim'], lib.kernels()
try:
    lib.run('exp_plus_x', x=np.zeros((128, 512), np.float32))
except axon_runtime.Error as e:
    assert e.code == 'no_device', e.code
    assert str(e).startswith('simulated target: no device (kernel $id'), str(e)
else:
    raise SystemExit('the runtime ran an NPU program')
" || fail "the runtime and an npu entry"

# --- 5. replay rebuilds the program byte for byte, and says so loudly when it does not.
expect_exit 0 "$WORK/replay.log" "$BIN" replay "$out/report.json" -o "$WORK/replay"
grep -q "3 file(s) identical to the recorded ones" "$WORK/replay.log" || fail "replay: $(cat "$WORK/replay.log")"
cmp -s "$out/program.json" "$WORK/replay/program.json" || fail "replay wrote another program.json"
# The backend now builds another program (the same computation, its output DMA on another queue).
sed 's/"dma_copy", "queue": 1,/"dma_copy", "queue": 2,/' sim/programs/example_exp_plus_x.json > "$WORK/other.json"
cmp -s sim/programs/example_exp_plus_x.json "$WORK/other.json" && fail "the edit of the test program did nothing"
AXON_TEST_NPU_PROGRAM="$WORK/other.json" expect_exit 1 "$WORK/replay2.log" "$BIN" replay "$out/report.json" -o "$WORK/replay2"
grep -q "replay does not rebuild the recorded kernel byte for byte" "$WORK/replay2.log" || fail "replay of another program: $(cat "$WORK/replay2.log")"
grep -q "  program.json: sha256 .*first difference from .* at line" "$WORK/replay2.log" || fail "replay names no file: $(cat "$WORK/replay2.log")"

# --- 6. verify finds a corrupt program, and a hand-edited one whose sha256 was updated.
cp -r "$lib" "$WORK/lib-corrupt"
printf 'x' >> "$WORK/lib-corrupt/$object"
expect_exit 2 "$WORK/v1.log" "$BIN" library verify "$WORK/lib-corrupt"
grep -q "object $object: sha256 .* differs from the manifest's" "$WORK/v1.log" || fail "verify of a corrupt program: $(cat "$WORK/v1.log")"
expect_exit 2 "$WORK/s1.log" "$BIN" sim --library "$WORK/lib-corrupt" exp_plus_x
grep -q "the library is damaged" "$WORK/s1.log" || fail "sim of a corrupt program: $(cat "$WORK/s1.log")"
cp -r "$lib" "$WORK/lib-edited"
py "
import json, hashlib
p = '$WORK/lib-edited/$object'
text = open(p).read()
assert '\"func\": \"exp\"' in text, text
text = text.replace('\"func\": \"exp\"', '\"func\": \"no_such_function\"')
open(p, 'w').write(text)
m = json.load(open('$WORK/lib-edited/manifest.json'))
m['kernels'][0]['object']['sha256'] = hashlib.sha256(text.encode()).hexdigest()
json.dump(m, open('$WORK/lib-edited/manifest.json', 'w'), indent=2)
"
expect_exit 2 "$WORK/v2.log" "$BIN" library verify "$WORK/lib-edited"
grep -q "^BROKEN  $id" "$WORK/v2.log" || fail "verify of an edited program: $(cat "$WORK/v2.log")"
grep -q "object $object: it does not load with its target npu: .*no_such_function" "$WORK/v2.log" ||
  fail "verify gives no reason: $(cat "$WORK/v2.log")"
# A program whose tensors are not the entry's (its output's shape edited, and the manifest's
# sha256, not the entry's signature).
cp -r "$lib" "$WORK/lib-shape"
py "
import json, hashlib
p = '$WORK/lib-shape/$object'
d = json.load(open(p))
for t in d['tensors']:
    if t['name'] == 'y': t['shape'] = [128, 1024]
text = json.dumps(d)
open(p, 'w').write(text)
m = json.load(open('$WORK/lib-shape/manifest.json'))
m['kernels'][0]['object']['sha256'] = hashlib.sha256(text.encode()).hexdigest()
json.dump(m, open('$WORK/lib-shape/manifest.json', 'w'), indent=2)
"
expect_exit 2 "$WORK/v3.log" "$BIN" library verify "$WORK/lib-shape"
grep -q "object $object: the program's tensor 'y' is f32\[128, 1024\], the entry's is f32\[128, 512\]" "$WORK/v3.log" || fail "verify of a reshaped program: $(cat "$WORK/v3.log")"
# An install refuses a program that does not load.
cp -r "$out" "$WORK/out-bad"
sed -i 's/"func": "exp"/"func": "no_such_function"/' "$WORK/out-bad/program.json"
expect_exit 2 "$WORK/i1.log" "$BIN" library install "$WORK/out-bad" "$WORK/lib-bad"
grep -q "program.json: not an installable npu_program: it does not load with its target npu" "$WORK/i1.log" || fail "install of a bad program: $(cat "$WORK/i1.log")"
[ -e "$WORK/lib-bad/manifest.json" ] && fail "a refused install wrote a manifest"

# --- 7. installs killed mid-way lose nothing.
klib="$WORK/killed"
"$BIN" library install "$out" "$klib" --name base > /dev/null || fail "seeding the library"
if command -v flock > /dev/null; then
  # An install that has staged its program and waits for the lock is killed: the manifest is
  # unchanged and nothing of it is installed.
  before=$(cat "$klib/manifest.json")
  exec 9> "$klib/.lock"
  flock 9
  "$BIN" library install "$out" "$klib" --name staged > /dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do
    [ -n "$(find "$klib/.staging" -name artifact.json 2> /dev/null)" ] && break
    sleep 0.05
  done
  [ -n "$(find "$klib/.staging" -name artifact.json)" ] || fail "the install never staged its program"
  sleep 0.1
  kill -9 "$pid"
  wait "$pid" 2> /dev/null
  exec 9>&-
  [ "$before" = "$(cat "$klib/manifest.json")" ] || fail "a killed staged install changed the manifest"
  "$BIN" library verify "$klib" > /dev/null 2>&1 || fail "verify failed after a killed staged install"
fi
t0=$(date +%s%N)
"$BIN" library install "$out" "$klib" --name timing > /dev/null || fail "timing install"
span_ms=$((($(date +%s%N) - t0) * 6 / 5000000 + 5))
finished=(base timing)
for round in $(seq 1 8); do
  "$BIN" library install "$out" "$klib" --name "r$round" > /dev/null 2>&1 &
  pid=$!
  delay=$((RANDOM % span_ms))
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  kill -9 "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
  [ $? -eq 0 ] && finished+=("r$round")
  "$BIN" library verify "$klib" > "$WORK/kverify" 2>&1 || fail "verify failed after a kill (round $round): $(cat "$WORK/kverify")"
  names=$("$BIN" library ls "$klib" --json | grep -o '"name": "[^"]*"' | sort -u)
  for n in "${finished[@]}"; do
    grep -qx "\"name\": \"$n\"" <<< "$names" || fail "kernel $n, installed earlier, was lost (round $round)"
  done
done
sleep 0.2
"$BIN" library install "$out" "$klib" --name last > /dev/null || fail "final install"
left=$(find "$klib/.staging" -mindepth 1 -maxdepth 1 | wc -l)
[ "$left" -eq 0 ] || fail "$left staging directories were not cleaned up"
referenced=$("$BIN" library ls "$klib" --json | grep -o '"path": "objects/[^"]*"' | sort -u | wc -l)
present=$(find "$klib/objects" -type f | wc -l)
[ "$referenced" -eq "$present" ] || fail "$present objects on disk but $referenced referenced"

# --- 8. the same path with the real NPU backend (emit/npu/) in axon-synth, when given.
if [ -n "$REAL" ]; then
  rout="$WORK/real-out"
  rlib="$WORK/real-lib"
  expect_exit 0 "$WORK/real.log" "$REAL" --isa targets/npu.json experiments/suites/ops/add.tp --dim M=256 --dim N=512 -o "$rout" --library="$rlib"
  expect_exit 0 "$WORK/real-verify.log" "$REAL" library verify "$rlib"
  grep -q "^ok      add.npu.* (this machine cannot run it: simulated target: no device" "$WORK/real-verify.log" ||
    fail "verify of the real backend's program: $(cat "$WORK/real-verify.log")"
  expect_exit 0 "$WORK/real-sim.json" "$REAL" sim --library "$rlib" add --json
  py "
import json
got = json.load(open('$WORK/real-sim.json'))['total_ns']
r = json.load(open('$rout/report.json'))
assert r['device']['target'] == 'npu' and r['device']['clock'] == 'simulated', r['device']
assert r['artifact']['kind'] == 'npu_program', r['artifact']
assert got == r['best']['time_ns']['median'], (got, r['best']['time_ns'])
" || fail "the real backend's report or sim --library: $(cat "$WORK/real-sim.json")"
  expect_exit 0 "$WORK/real-replay.log" "$REAL" replay "$rout/report.json"
  grep -q "3 file(s) identical to the recorded ones" "$WORK/real-replay.log" || fail "replay of the real backend's program: $(cat "$WORK/real-replay.log")"
fi
echo "ok: NPU outputs, library entry, sim, runtime refusal, replay and killed installs (${#finished[@]} installs finished)${REAL:+; and the real NPU backend}"
