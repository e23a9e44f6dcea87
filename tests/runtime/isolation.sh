#!/usr/bin/env bash
# libaxon_runtime, the C example and the Python module link none of the synthesizer: no LLVM, Z3,
# cvc5 or TBB among their shared libraries (ldd), no symbol of the synthesizer's stages or of
# LLVM in the runtime (nm), and the runtime exports only the axon_* C ABI.
# Usage: isolation.sh libaxon_runtime.so example_binary python_module.so
set -euo pipefail
RT=$1
EXAMPLE=$2
PYMOD=$3
status=0
for f in "$RT" "$EXAMPLE" "$PYMOD"; do
  deps=$(ldd "$f")
  if echo "$deps" | grep -Ei 'libLLVM|libz3|libcvc5|libtbb|libclang|libpoly'; then
    echo "FAIL: $f links a synthesizer dependency (above)"
    status=1
  fi
done
grep -q 'libaxon_runtime\.so' <<< "$(ldd "$EXAMPLE")" || { echo "FAIL: $EXAMPLE does not link libaxon_runtime"; status=1; }
# Symbols of the synthesizer's own namespaces and of LLVM/solvers (demangled, defined or not).
if nm -C "$RT" | grep -E 'axon::(IndexProgram|Program|Isa|Schedule|Expr|interpret|expand|smt|synth|search|CpuBackend)|llvm::|z3::|cvc5::'; then
  echo "FAIL: $RT contains synthesizer, LLVM or solver symbols (above)"
  status=1
fi
exported=$(nm -D --defined-only "$RT" | awk '{print $3}')
bad=$(echo "$exported" | grep -v '^axon_' || true)
if [ -n "$bad" ]; then
  echo "FAIL: $RT exports symbols outside the axon_* C ABI:"
  echo "$bad"
  status=1
fi
grep -qx axon_run <<< "$exported" || { echo "FAIL: $RT does not export axon_run"; status=1; }
[ $status -eq 0 ] && echo "ok: $(echo "$exported" | wc -l) exported axon_* functions; no LLVM, Z3, cvc5, TBB or synthesizer code"
exit $status
