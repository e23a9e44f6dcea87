#!/usr/bin/env bash
# The side-by-side CPU benchmark (issue 7): for each kernel, in one run, the synthesized kernel
# (axon-synth's main job, cache cold), our op-by-op baseline (same run), PyTorch eager and, for
# matmuls, oneDNN's sgemm, all with the same thread count (AXON_BENCH_THREADS, default every core;
# our kernels use the target's cores), plus the machine's memcpy bandwidth with as many threads for
# the memory-bound kernels. Prints a markdown table; "GB/s" counts each input read once and each
# output written once, over the runtime time ("ours, runtime ms").
# Two figures of ours: "ours ms" is the search's own measurement (inputs rotated through copies
# larger than the caches), the one its ratio to the baseline uses; "ours, runtime ms" is the
# installed kernel run through the runtime's Python module on PyTorch's input arrays, timed in
# alternation with PyTorch (experiments/cpu_bench/torch_eager.py --ours), which "vs PyTorch" uses:
# both from the same minutes of a machine whose bandwidth and clock drift between runs. A 2-thread
# memcpy of 256 MiB runs in the same blocks, and "% of memcpy" is against that copy (the line at
# the top is the standalone axon-bench-ref copy, for reference).
#   scripts/setup_bench.sh            # oneDNN and PyTorch (once)
#   scripts/bench_cpu.sh [targets/avx2.json] [out-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
ISA=${1:-targets/avx2.json}
OUT=${2:-build/bench-cpu}
BUILD=${AXON_BUILD_DIR:-build}
BIN=$BUILD/tools/axon-synth
REF=$BUILD/experiments/cpu_bench/axon-bench-ref
THREADS=${AXON_BENCH_THREADS:-$(nproc)}
export OMP_NUM_THREADS=$THREADS DNNL_MAX_CPU_ISA=${DNNL_MAX_CPU_ISA:-AVX2}
mkdir -p "$OUT"
have_torch=0; /usr/bin/python3 -c "import torch" 2>/dev/null && have_torch=1
echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc --all) cores; target $ISA; $THREADS threads"
COPY=""
if [ -x "$REF" ]; then COPY=$($REF copy 256 "$THREADS"); echo "memcpy bandwidth (256 MiB, read+write, $THREADS threads): $COPY GB/s"; fi
echo
echo "| kernel | dims | ours ms | op-by-op baseline ms | ours, runtime ms | PyTorch eager ms | oneDNN ms | vs baseline | vs PyTorch | vs oneDNN | GB/s (% of memcpy) | synthesis s |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
run() {  # name torch-kind program dims...
  local name=$1 kind=$2 prog=$3; shift 3
  local args=() tdims=()
  for d in "$@"; do args+=(--dim "$d"); done
  # PyTorch needs every dim: take them from the program's where-line, with overrides.
  local where
  where=$("$BIN" ir "$prog" "${args[@]}" | head -1 | sed 's/^where //; s/ //g')
  IFS=',' read -ra tdims <<< "$where"
  local t0 t1
  t0=$(date +%s.%N)
  "$BIN" --isa "$ISA" "$prog" "${args[@]}" --no-cache -o "$OUT/$name" > "$OUT/$name.log" 2>&1 || true
  t1=$(date +%s.%N)
  local torch_ms="" rt_ms="" copy_gbps="" dnnl_ms="" pair=""
  rm -rf "$OUT/$name.lib"
  if [ $have_torch -eq 1 ] && "$BIN" library install "$OUT/$name" "$OUT/$name.lib" --name "$name" > "$OUT/$name.install.log" 2>&1; then
    pair=$(PYTHONPATH=$BUILD/python /usr/bin/python3 experiments/cpu_bench/torch_eager.py "$kind" "$THREADS" "${tdims[@]}" \
             --ours "$OUT/$name.lib" "$name" --copy 256 2> "$OUT/$name.torch.log" || true)
    read -r torch_ms rt_ms copy_gbps <<< "$pair" || true
  fi
  if [ "$kind" = matmul ] && [ -x "$REF" ]; then
    local M N K
    for d in "${tdims[@]}"; do case $d in M=*) M=${d#M=};; N=*) N=${d#N=};; K=*) K=${d#K=};; esac; done
    dnnl_ms=$($REF sgemm "$M" "$N" "$K" || true)
  fi
  local bytes
  bytes=$("$BIN" check "$prog" "${args[@]}" | /usr/bin/python3 -c '
import re, sys
dims = dict(kv.split("=") for kv in sys.argv[1].split(","))
dims = {k: int(v) for k, v in dims.items()}
total = 0
for line in sys.stdin:
    m = re.match(r"\s+(input|inout|output)\s+\S+: \w+\[(.*)\]", line)
    if m:
        n = 1
        for d in m.group(2).split(","):
            n *= int(eval(d, {}, dims))
        total += 4 * n
print(total)' "$where")
  /usr/bin/python3 - "$OUT/$name/report.json" "$name" "$t0" "$t1" "${where}" "$torch_ms" "$dnnl_ms" "$bytes" "${copy_gbps:-$COPY}" "$rt_ms" "$have_torch" <<'PY'
import json, sys
path, name, t0, t1, dims, torch_ms, dnnl_ms, nbytes, copy, rt_ms, have_torch = sys.argv[1:12]
syn = float(t1) - float(t0)
try:
    r = json.load(open(path))
    ours = r["best"]["time_ns"]["median"] / 1e6
    base = r["baseline"]["time_ns"]["median"] / 1e6
except Exception as e:
    print(f"| {name} | {dims} | failed ({e}) | | | | | | | | | {syn:.1f} |"); sys.exit()
ratio = lambda ref, of: f"{float(ref) / float(of):.2f}x" if ref and of else "-"
cell = lambda x: f"{float(x):.3f}" if x else "-"
gbs = float(nbytes) / ((float(rt_ms) if rt_ms else ours) * 1e6)  # the run timed beside the copy
bw = f"{gbs:.1f} ({100 * gbs / float(copy):.0f}%)" if copy else f"{gbs:.1f}"
rt_cell = cell(rt_ms) if rt_ms or have_torch != "1" else f"failed (see {name}.install.log, {name}.torch.log)"
print(f"| {name} | {dims} | {ours:.3f} | {base:.3f} | {rt_cell} | {cell(torch_ms)} | {cell(dnnl_ms)} | {base / ours:.2f}x "
      f"| {ratio(torch_ms, rt_ms)} | {ratio(dnnl_ms, ours)} | {bw} | {syn:.1f} |")
PY
}
run matmul_1024 matmul experiments/suites/ops/matmul.tp M=1024 K=1024 N=1024
run matmul_2048 matmul experiments/suites/ops/matmul.tp M=2048 K=2048 N=2048
run rmsnorm_matmul_1024 rmsnorm_matmul experiments/suites/nkibench/rmsnorm_matmul.tp M=1024 K=1024 N=1024
run rmsnorm_matmul_nki rmsnorm_matmul experiments/suites/nkibench/rmsnorm_matmul.tp
run softmax_4096 softmax experiments/suites/ops/softmax.tp
run layernorm_4096 layernorm experiments/suites/ops/layernorm.tp
run gelu_tanh_4096 gelu_tanh experiments/bench/gelu_tanh.tp
run swiglu_m1024 swiglu experiments/suites/nkibench/swiglu.tp M=1024
run attention_8x512x64 attention experiments/bench/attention.tp
