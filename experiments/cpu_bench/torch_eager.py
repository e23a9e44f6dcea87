#!/usr/bin/python3
"""PyTorch eager timings for the side-by-side CPU benchmark (scripts/bench_cpu.sh).

Usage: /usr/bin/python3 torch_eager.py KERNEL THREADS DIM=VALUE...
Prints the median time in ms of the kernel written as PyTorch eager code (fp32, CPU).
"""
import statistics
import sys
import time

import torch


def kernels(d):
    def rand(*shape):
        return torch.rand(*shape, dtype=torch.float32) - 0.5

    if d["kind"] == "matmul":
        a, b = rand(d["M"], d["K"]), rand(d["K"], d["N"])
        return lambda: a @ b
    if d["kind"] == "rmsnorm_matmul":
        x, g, w = rand(d["M"], d["K"]), rand(d["K"]), rand(d["K"], d["N"])
        return lambda: (x * torch.rsqrt((x * x).mean(-1, keepdim=True) + 1e-6) * g) @ w
    if d["kind"] == "softmax":
        x = rand(d["M"], d["N"])
        return lambda: torch.softmax(x, dim=-1)
    if d["kind"] == "layernorm":
        x, g, b = rand(d["M"], d["N"]), rand(d["N"]), rand(d["N"])
        return lambda: torch.nn.functional.layer_norm(x, (d["N"],), g, b, 1e-5)
    if d["kind"] == "gelu_tanh":
        x = rand(d["M"], d["N"])
        return lambda: torch.nn.functional.gelu(x, approximate="tanh")
    if d["kind"] == "swiglu":
        x, wg, wu = rand(d["M"], d["K"]), rand(d["K"], d["N"]), rand(d["K"], d["N"])
        return lambda: torch.nn.functional.silu(x @ wg) * (x @ wu)
    if d["kind"] == "attention":
        q, k, v = rand(d["H"], d["S"], d["D"]), rand(d["H"], d["S"], d["D"]), rand(d["H"], d["S"], d["D"])
        return lambda: torch.softmax(q @ k.transpose(1, 2) / d["D"] ** 0.5, dim=-1) @ v
    raise SystemExit(f"unknown kernel {d['kind']}")


def main():
    kind, threads = sys.argv[1], int(sys.argv[2])
    d = {"kind": kind}
    for a in sys.argv[3:]:
        k, v = a.split("=")
        d[k] = int(v)
    torch.set_num_threads(threads)
    f = kernels(d)
    with torch.no_grad():
        for _ in range(2):
            f()
        times = []
        deadline = time.perf_counter() + 10
        while len(times) < 11 and (len(times) < 3 or time.perf_counter() < deadline):
            t0 = time.perf_counter()
            f()
            times.append((time.perf_counter() - t0) * 1e3)
    print(f"{statistics.median(times):.4f}")


if __name__ == "__main__":
    main()
