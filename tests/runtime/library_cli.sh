#!/usr/bin/env bash
# `axon-synth library ...` on a copy of the fixture library: ls, show, verify (which must name a
# broken entry and exit 2), remove, and the errors for a bad output directory, a non-library and
# a manifest from a newer axon-synth; a manifest and a kernel.json of schema 1 (before backends),
# a kernel of a backend with no installer, entries of a backend with no loader.
# Usage: library_cli.sh AXON_SYNTH RT
set -uo pipefail
BIN=$1
RT=$2
WORK="$RT/cli"
rm -rf "$WORK"
mkdir -p "$WORK"
cp -r "$RT/lib" "$WORK/lib"
lib="$WORK/lib"
fail() {
  echo "FAIL: $1"
  exit 1
}
expect() {  # expect CODE PATTERN ARGS...: runs axon-synth ARGS, checks the exit code and output
  local code=$1 pattern=$2
  shift 2
  out=$("$BIN" "$@" 2>&1)
  rc=$?
  [ "$rc" -eq "$code" ] || fail "axon-synth $* exited $rc, expected $code: $out"
  grep -qE -- "$pattern" <<< "$out" || fail "axon-synth $*: output lacks /$pattern/: $out"
}
expect 0 "3 kernels \(manifest schema 2\)" library ls "$lib"
expect 0 "x f32\[64, 32\], g f32\[32\], w f32\[32, 48\] -> y f32\[64, 48\]" library ls "$lib"
expect 0 "inout p f32\[16, 40\]" library ls "$lib"
expect 0 '"name": "rmsnorm_matmul"' library show "$lib" rmsnorm_matmul
expect 0 "3 kernels, 0 broken" library verify "$lib"
# Damage one object and one report: verify names both entries and exits 2.
obj=$(ls "$lib"/objects/rmsnorm_matmul.*.so)
printf 'x' >> "$obj"
report=$(ls "$lib"/kernels/adamw.*/report.json)
rm "$report"
expect 2 "BROKEN  rmsnorm_matmul\.avx2\.[0-9a-f]{16}" library verify "$lib"
expect 2 "object objects/rmsnorm_matmul[^ ]*\.so: sha256 [0-9a-f]{64} differs from the manifest's" library verify "$lib"
expect 2 "file kernels/adamw[^ ]*/report.json is missing" library verify "$lib"
expect 2 "3 kernels, 2 broken" library verify "$lib"
expect 2 "ok      add\." library verify "$lib"
# Remove the broken ones; the library verifies again and their files are gone.
expect 0 "removed 1 entry for 'rmsnorm_matmul'" library remove "$lib" rmsnorm_matmul
adamw_id=$("$BIN" library ls "$lib" | grep -o 'adamw\.avx2\.[0-9a-f]*' | head -1)
expect 0 "removed 1 entry for '$adamw_id'" library remove "$lib" "$adamw_id"
expect 0 "1 kernel, 0 broken" library verify "$lib"
[ -z "$(ls "$lib"/objects | grep -v '^add\.')" ] || fail "objects of removed kernels remain: $(ls "$lib"/objects)"
[ -z "$(ls "$lib"/kernels | grep -v '^add\.')" ] || fail "files of removed kernels remain: $(ls "$lib"/kernels)"
expect 2 "no kernel named 'rmsnorm_matmul'" library remove "$lib" rmsnorm_matmul
expect 2 "no kernel named 'nope'" library show "$lib" nope
# Reinstalling from the output directory brings it back.
expect 0 "installed rmsnorm_matmul \(rmsnorm_matmul\.avx2\.[0-9a-f]{16}\)" library install "$RT/out-rmsnorm_matmul" "$lib"
expect 0 "replaced rmsnorm_matmul" library install "$RT/out-rmsnorm_matmul" "$lib"
expect 0 "installed mm2 \(mm2\.avx2\." library install "$RT/out-rmsnorm_matmul" "$lib" --name mm2
expect 0 "3 kernels, 0 broken" library verify "$lib"
# --library alone installs into $AXON_LIBRARY_DIR (the result comes from the fixture's cache).
AXON_CACHE_DIR="$RT/cache" AXON_LIBRARY_DIR="$WORK/default-lib" expect 0 "installed add \(add\.avx2\." \
  --isa targets/avx2.json experiments/suites/ops/add.tp --dim M=1 --dim N=8 --measure 3 --repeats 3 \
  -o "$WORK/out-add" --library
expect 0 "1 kernel, 0 broken" library verify "$WORK/default-lib"
[ -f "$WORK/out-add/kernel.json" ] || fail "the main job wrote no kernel.json"
# Bad inputs.
expect 2 "no such output directory" library install "$WORK/nowhere" "$lib"
mkdir -p "$WORK/partial"
cp "$RT/out-add/report.json" "$WORK/partial/"
expect 2 "partial/kernel.json: missing; the output directory is incomplete" library install "$WORK/partial" "$lib"
cp "$RT/out-add/kernel.json" "$WORK/partial/"
expect 2 "partial/kernel.o: missing" library install "$WORK/partial" "$lib"
expect 2 "'bad/name' is not a kernel name" library install "$RT/out-add" "$lib" --name bad/name
expect 2 "looks like a program, not a library directory" --isa targets/avx2.json --library experiments/suites/ops/add.tp
expect 2 "no manifest.json here; is this a kernel library\?" library ls "$WORK"
AXON_LINKER=/nonexistent/cc expect 2 "the linker '/nonexistent/cc' \(AXON_LINKER\) was not found" library install "$RT/out-add" "$lib"
# Manifest schema 1 (before backends), written from a copy of the fixture in the old format: it
# lists, verifies and takes an install, which rewrites it as schema 2 with every entry kept.
old="$WORK/schema1"
cp -r "$RT/lib" "$old"
/usr/bin/python3 - "$old/manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["schema_version"] = 1
for e in m["kernels"]:
    del e["backend"]
    del e["object"]["kind"]
json.dump(m, open(sys.argv[1], "w"), indent=2)
PY
expect 0 "3 kernels \(manifest schema 1\)" library ls "$old"
expect 0 "on avx2 \(backend llvm\)" library ls "$old"
expect 0 "3 kernels, 0 broken" library verify "$old"
expect 0 "installed mm2 \(mm2\.avx2\." library install "$RT/out-rmsnorm_matmul" "$old" --name mm2
expect 0 "4 kernels \(manifest schema 2\)" library ls "$old"
expect 0 "4 kernels, 0 broken" library verify "$old"
# kernel.json schema 1 (no backend, no object) installs as an llvm shared object from kernel.o.
cp -r "$RT/out-add" "$WORK/out-v1"
/usr/bin/python3 - "$WORK/out-v1/kernel.json" <<'PY'
import json, sys
k = json.load(open(sys.argv[1]))
assert k["schema_version"] == 2 and k["backend"] == "llvm", k
assert k["object"] == {"kind": "shared_object", "path": "kernel.o"}, k
k["schema_version"] = 1
del k["backend"], k["object"]
json.dump(k, open(sys.argv[1], "w"), indent=2)
PY
expect 0 "installed add1 \(add1\.avx2\." library install "$WORK/out-v1" "$old" --name add1
# A kernel of a backend with no installer, and entries of a backend with no loader.
cp -r "$RT/out-add" "$WORK/out-sim"
sed -i 's/"backend": "llvm"/"backend": "sim"/' "$WORK/out-sim/kernel.json"
expect 2 "out-sim/kernel.json: no installer for backend sim \(artifact kind shared_object\)" library install "$WORK/out-sim" "$old"
sed -i 's/"backend": "llvm"/"backend": "cuda"/' "$old/manifest.json"
expect 0 "ok      add1\.avx2\.[0-9a-f]{16} \(this machine cannot run it: no loader for backend cuda \(kernel add1\.avx2\." library verify "$old"
sed -i 's/"schema_version": 2/"schema_version": 3/' "$lib/manifest.json"
expect 2 "/schema_version is 3, newer than this runtime reads \(2\)" library ls "$lib"
expect 2 "newer than this runtime reads" library install "$RT/out-add" "$lib"
echo "ok: library ls, show, verify, remove, install and their errors"
