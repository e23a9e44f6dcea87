#!/usr/bin/env bash
# A kernel library deletes only what it wrote and never reaches outside its directory (issue 18):
# a project folder with a kernels/ of its own used as --library=.; objects/ as a symlink to a
# shared folder; files and links the library did not write, inside objects/ and kernels/, through
# installs, replacements and removals; an older library without the marker; a held lock (timeout
# naming the holder); a manifest that is a FIFO or /dev/zero; an unwritable library; verify
# against an edited ABI (CPU features). Usage: library_safety.sh AXON_SYNTH RT
set -uo pipefail
BIN=$1
RT=$2
SRC=$PWD
WORK="$RT/safety"
rm -rf "$WORK"
mkdir -p "$WORK"
OUT="$RT/out-add"
fail() {
  echo "FAIL: $1"
  exit 1
}
expect() { # expect CODE PATTERN ARGS...: runs axon-synth ARGS (10 s at most), checks code and output
  local code=$1 pattern=$2
  shift 2
  out=$(timeout 20 "$BIN" "$@" 2>&1)
  rc=$?
  [ "$rc" -eq "$code" ] || fail "axon-synth $* exited $rc, expected $code: $out"
  grep -qE -- "$pattern" <<< "$out" || fail "axon-synth $*: output lacks /$pattern/: $out"
}
# Every file under $1 with its sha256, to compare before and after.
snapshot() { (cd "$1" && find . -type f -o -type l | sort | while read -r f; do
  if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; else echo "$f $(sha256sum < "$f" | cut -c1-16)"; fi
done); }

# 1. A project folder with kernels/ and objects/ of its own is not a library: refused, untouched.
proj="$WORK/project"
mkdir -p "$proj/kernels/mine" "$proj/objects" "$proj/src"
echo "my kernel" > "$proj/kernels/mine/k.c"
echo "notes" > "$proj/kernels/README"
echo "obj" > "$proj/objects/keep.o"
echo "int main;" > "$proj/src/main.c"
before=$(snapshot "$proj")
(cd "$proj" && expect 2 "not empty and not a kernel library" library install "$OUT" .)
(cd "$proj" && expect 2 "not empty and not a kernel library" library install "$OUT" "$proj/")
# The main job refuses it at once, before any search (the option is checked when parsed).
(cd "$proj" && expect 2 "not empty and not a kernel library" --isa "$SRC/targets/avx2.json" /nonexistent.tp --library=.)
[ "$before" = "$(snapshot "$proj")" ] || fail "the project folder changed: $(diff <(echo "$before") <(snapshot "$proj"))"
[ ! -e "$proj/manifest.json" ] && [ ! -e "$proj/.lock" ] || fail "the refused install left files in the project"

# 2. objects/ (or kernels/) a symlink to shared storage: refused; the shared files survive.
shared="$WORK/shared"
mkdir -p "$shared"
for i in 1 2 3; do echo "shared $i" > "$shared/file$i.so"; done
lib="$WORK/linked"
mkdir -p "$lib"
ln -s "$shared" "$lib/objects"
expect 2 "objects is a symbolic link" library install "$OUT" "$lib"
# A library that was fine, whose objects/ is later replaced by a link: install and remove refuse.
lib2="$WORK/relinked"
expect 0 "installed add" library install "$OUT" "$lib2"
mv "$lib2/objects" "$WORK/relinked-objects"
ln -s "$shared" "$lib2/objects"
expect 2 "objects is a symbolic link" library remove "$lib2" add
expect 2 "objects is a symbolic link" library install "$OUT" "$lib2" --name other
rm "$lib2/kernels" -rf && ln -s "$shared" "$lib2/kernels" && rm "$lib2/objects" && mv "$WORK/relinked-objects" "$lib2/objects"
expect 2 "kernels is a symbolic link" library remove "$lib2" add
[ "$(ls "$shared" | wc -l)" -eq 3 ] || fail "files in the shared folder were deleted: $(ls "$shared")"
for i in 1 2 3; do [ "$(cat "$shared/file$i.so")" = "shared $i" ] || fail "shared file$i.so changed"; done

# 3. Files and links the library did not write survive installs, replacements and removals.
lib="$WORK/lib"
expect 0 "installed add" library install "$OUT" "$lib"
echo "user object" > "$lib/objects/user.so"
cp "$lib"/objects/add.*.so "$lib/objects/add.avx2.0000000000000000.ffffffffffffffff.so"
mkdir -p "$lib/kernels/user-dir"
echo "user file" > "$lib/kernels/user-dir/notes.txt"
echo "outside" > "$WORK/outside.txt"
ln -s "$WORK/outside.txt" "$lib/kernels/link-out"
ln -s "$shared" "$lib/kernels/dir-link"
bundle=$(ls -d "$lib"/kernels/add.*)
echo "user note in a bundle" > "$bundle/user-note.txt"
expect 0 "installed k2" library install "$OUT" "$lib" --name k2
expect 0 "replaced add" library install "$OUT" "$lib"
expect 0 "removed 1 entry" library remove "$lib" k2
expect 0 "removed 1 entry" library remove "$lib" add
expect 0 "0 kernels, 0 broken" library verify "$lib"
[ "$(cat "$lib/objects/user.so")" = "user object" ] || fail "objects/user.so was deleted"
[ -f "$lib/objects/add.avx2.0000000000000000.ffffffffffffffff.so" ] || fail "a user file named like an object was deleted"
[ "$(cat "$lib/kernels/user-dir/notes.txt")" = "user file" ] || fail "kernels/user-dir was deleted"
[ -L "$lib/kernels/link-out" ] && [ "$(cat "$WORK/outside.txt")" = "outside" ] || fail "a link in kernels/ or its target was deleted"
[ -L "$lib/kernels/dir-link" ] && [ "$(ls "$shared" | wc -l)" -eq 3 ] || fail "a directory link in kernels/ or its contents were deleted"
[ "$(cat "$bundle/user-note.txt")" = "user note in a bundle" ] || fail "a user file inside a removed kernel's directory was deleted"
# What the library wrote is gone: no object of add or k2, no file of theirs but the user's note.
[ -z "$(ls "$lib/objects" | grep -E '^(add|k2)\.avx2\.[0-9a-f]{16}\.[0-9a-f]{16}\.so$' | grep -v 0000000000000000)" ] ||
  fail "objects of removed kernels remain: $(ls "$lib/objects")"
[ "$(find "$bundle" -type f | wc -l)" -eq 1 ] || fail "files of a removed kernel remain: $(find "$bundle")"

# 4. A library from before the marker: adopted; only what its manifest referenced may go.
old="$WORK/old"
expect 0 "installed add" library install "$OUT" "$old"
rm "$old/.axon-library.json"
echo "stray" > "$old/objects/stray.so"
expect 0 "removed 1 entry" library remove "$old" add
[ -f "$old/objects/stray.so" ] || fail "an unreferenced file of an older library was deleted"
[ -z "$(ls "$old/objects" | grep '^add\.')" ] || fail "the removed entry's object of an older library remains"
[ -f "$old/.axon-library.json" ] || fail "the older library got no marker"

# 5. A held lock: the install waits AXON_LIBRARY_LOCK_TIMEOUT seconds, then names the holder.
lock="$WORK/locked"
expect 0 "installed add" library install "$OUT" "$lock"
if command -v flock > /dev/null; then
  (
    exec 9<> "$lock/.lock"
    flock 9
    printf 'pid 4242 host build-host since 2026-01-01T00:00:00Z\n' >&9
    exec sleep 30
  ) &
  holder=$!
  sleep 0.5
  t0=$(date +%s)
  AXON_LIBRARY_LOCK_TIMEOUT=2 expect 2 "locked by pid 4242 host build-host since 2026-01-01T00:00:00Z.*AXON_LIBRARY_LOCK_TIMEOUT" \
    library install "$OUT" "$lock" --name waits
  AXON_LIBRARY_LOCK_TIMEOUT=1 expect 2 "locked by pid 4242" library remove "$lock" add
  t1=$(date +%s)
  kill "$holder" 2> /dev/null
  wait "$holder" 2> /dev/null
  [ $((t1 - t0)) -lt 15 ] || fail "the lock timeouts took $((t1 - t0)) s"
  AXON_LIBRARY_LOCK_TIMEOUT=abc expect 2 "AXON_LIBRARY_LOCK_TIMEOUT='abc': expected a number of seconds" library remove "$lock" add
  expect 0 "removed 1 entry" library remove "$lock" add
fi

# 6. A manifest that is a FIFO, /dev/zero or a link to it: an error at once, never a hang.
dev="$WORK/dev"
expect 0 "installed add" library install "$OUT" "$dev"
mv "$dev/manifest.json" "$dev/manifest.saved"
ln -s /dev/zero "$dev/manifest.json"
expect 2 "manifest.json: cannot read \(not a regular file \(a character device\)\)" library ls "$dev"
rm "$dev/manifest.json"
mkfifo "$dev/manifest.json"
expect 2 "manifest.json: cannot read \(not a regular file \(a FIFO\)\)" library ls "$dev"
expect 2 "manifest.json: cannot read \(not a regular file \(a FIFO\)\)" library install "$OUT" "$dev"
rm "$dev/manifest.json"
mv "$dev/manifest.saved" "$dev/manifest.json"
# An object that is a link to /dev/zero: verify says so, does not read forever.
obj=$(ls "$dev"/objects/add.*.so)
mv "$obj" "$WORK/saved.so"
ln -s /dev/zero "$obj"
expect 2 "object objects/add[^ ]*\.so: not a regular file \(a character device\)" library verify "$dev"
rm "$obj"
mv "$WORK/saved.so" "$obj"
# An output directory whose files are FIFOs or links to /dev/zero.
badout="$WORK/badout"
cp -r "$OUT" "$badout"
rm "$badout/report.json"
mkfifo "$badout/report.json"
expect 2 "report.json: cannot read \(not a regular file \(a FIFO\)\)" library install "$badout" "$dev"
rm "$badout/report.json"
ln -s /dev/zero "$badout/report.json"
expect 2 "report.json: cannot read \(not a regular file" library install "$badout" "$dev"

# 7. A library that cannot be created or written: exit 2 with the reason, not an internal error.
echo "a file" > "$WORK/afile"
expect 2 "afile/lib: cannot create the directory \(Not a directory\)" library install "$OUT" "$WORK/afile/lib"
expect 2 "afile/lib: cannot create the kernel library here" --isa targets/avx2.json /nonexistent.tp --library="$WORK/afile/lib"
expect 2 "afile: not a directory" library install "$OUT" "$WORK/afile"

# 8. verify checks the ABI hash the runtime checks, which covers the CPU features.
abi="$WORK/abi"
expect 0 "installed add" library install "$OUT" "$abi"
expect 0 "1 kernel, 0 broken" library verify "$abi"
python3 - "$abi/manifest.json" << 'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
m["kernels"][0]["target"]["cpu_features"] = [f for f in m["kernels"][0]["target"]["cpu_features"] if f != "fma"] or ["sse4.2"]
json.dump(m, open(sys.argv[1], "w"), indent=2)
EOF
expect 2 "BROKEN  add\." library verify "$abi"
expect 2 "its ABI hash [0-9a-f]{64} differs from the manifest entry's [0-9a-f]{64}" library verify "$abi"

echo "ok: project folders, symlinked objects/kernels, user files, older libraries, held locks, FIFOs, /dev/zero, unwritable and ABI-edited libraries"
