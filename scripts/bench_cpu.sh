#!/usr/bin/env bash
# Runs the main job on the CPU benchmark kernels and prints a markdown table: the op-by-op
# baseline's time, the synthesized kernel's time (both medians measured in the same run), the
# speed-up and the synthesis time. Usage: scripts/bench_cpu.sh [targets/avx2.json] [out-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
ISA=${1:-targets/avx2.json}
OUT=${2:-build/bench-cpu}
BIN=${AXON_BUILD_DIR:-build}/tools/axon-synth
mkdir -p "$OUT"
run() {  # name program dims...
  local name=$1 prog=$2; shift 2
  local args=()
  for d in "$@"; do args+=(--dim "$d"); done
  local t0=$(date +%s.%N)
  "$BIN" --isa "$ISA" "$prog" "${args[@]}" -o "$OUT/$name" > "$OUT/$name.log" 2>&1 || true
  local t1=$(date +%s.%N)
  /usr/bin/python3 - "$OUT/$name/report.json" "$name" "$t0" "$t1" "$*" <<'PY'
import json, sys
path, name, t0, t1, dims = sys.argv[1:6]
try:
    r = json.load(open(path))
except Exception as e:
    print(f"| {name} | {dims} | failed: {e} | | | |"); sys.exit()
b = r.get("baseline", {}).get("time_ns", {}).get("median")
w = (r.get("best") or {}).get("time_ns", {}).get("median")
sp = r.get("speedup_over_baseline")
fmt = lambda x: f"{x/1e6:.3f}" if x else "-"
print(f"| {name} | {dims or 'as in file'} | {fmt(b)} | {fmt(w)} | {sp:.2f}x | {float(t1)-float(t0):.1f} |" if sp else f"| {name} | {dims} | {fmt(b)} | {fmt(w)} | - | {float(t1)-float(t0):.1f} |")
PY
}
echo "| kernel | dims | baseline ms | ours ms | speed-up | synthesis s |"
echo "|---|---|---|---|---|---|"
run matmul_1024 experiments/suites/ops/matmul.tp M=1024 K=1024 N=1024
run matmul_2048 experiments/suites/ops/matmul.tp M=2048 K=2048 N=2048
run rmsnorm_matmul_1024 experiments/suites/nkibench/rmsnorm_matmul.tp M=1024 K=1024 N=1024
run rmsnorm_matmul_nki experiments/suites/nkibench/rmsnorm_matmul.tp
run softmax_4096 experiments/suites/ops/softmax.tp
run layernorm_4096 experiments/suites/ops/layernorm.tp
run gelu_tanh_4096 experiments/bench/gelu_tanh.tp
run swiglu_m1024 experiments/suites/nkibench/swiglu.tp M=1024
run attention_8x512x64 experiments/bench/attention.tp
