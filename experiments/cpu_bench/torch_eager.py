#!/usr/bin/python3
"""PyTorch eager timings for the side-by-side CPU benchmark (scripts/bench_cpu.sh).

Usage: /usr/bin/python3 torch_eager.py KERNEL THREADS DIM=VALUE... [--ours LIBRARY NAME [--copy MIB]]

Prints the median time in ms of the kernel written as PyTorch eager code (fp32, CPU). With
--ours, the kernel NAME installed in the axon kernel LIBRARY (axon-synth --library) runs on the
same input arrays through the runtime's Python module (axon_runtime, PYTHONPATH=build/python),
timed in alternation with PyTorch (blocks of runs, below), and the line is
"TORCH_MS OURS_MS": both medians come from the same minutes of machine time, so a machine whose
memory bandwidth or clock drifts between runs moves both alike. Our output is also compared with
PyTorch's (max scaled error, on stderr); a mismatch is an error. (oneDNN is not timed here: in
one process with PyTorch, the two OpenMP thread pools and ours took the 2 cores from each other
and doubled the times; bench_cpu.sh times it in a process of its own.) With --copy, a memcpy of
MIB MiB split across THREADS threads (glibc's memcpy through ctypes, which releases the GIL) joins
the blocks, and its bandwidth, read plus write bytes per second in GB/s as axon-bench-ref copy
prints it, is printed third: the copy bandwidth of the same minutes, for the memory-bound goal.
"""
import statistics
import sys
import time

import torch


# In alternation, a contestant runs in blocks: untimed runs for WARMUP_S first, then timed runs
# for BLOCK_S (at least 3), then the other contestant; ROUNDS blocks each. Single runs in
# alternation were unfair to whoever came second: PyTorch's thread pools keep spinning on the
# cores after a call (OpenBLAS's workers busy-wait up to 2^28 cycles, about 0.07 s here), and a
# pause to let them sleep instead left the cores idle long enough that the next run started slow
# (our rmsnorm_matmul at 1024: 10.8 ms back to back, 21 ms after 0.1 s idle, on this VM).
WARMUP_S, BLOCK_S, ROUNDS = 0.15, 0.4, 3


def timed_block(f, times):
    start = time.perf_counter()
    while True:
        f()
        if time.perf_counter() - start >= WARMUP_S:
            break
    start = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        f()
        times.append((time.perf_counter() - t0) * 1e3)
        if len(times) >= 3 and time.perf_counter() - start >= BLOCK_S:
            break


def kernels(d):
    """The kernel's inputs (by the .tp program's names) and its PyTorch eager function."""
    def rand(*shape):
        return torch.rand(*shape, dtype=torch.float32) - 0.5

    if d["kind"] == "matmul":
        i = {"a": rand(d["M"], d["K"]), "b": rand(d["K"], d["N"])}
        return i, lambda: i["a"] @ i["b"]
    if d["kind"] == "rmsnorm_matmul":
        i = {"x": rand(d["M"], d["K"]), "g": rand(d["K"]), "w": rand(d["K"], d["N"])}
        x, g, w = i["x"], i["g"], i["w"]
        return i, lambda: (x * torch.rsqrt((x * x).mean(-1, keepdim=True) + 1e-6) * g) @ w
    if d["kind"] == "softmax":
        i = {"x": rand(d["M"], d["N"])}
        return i, lambda: torch.softmax(i["x"], dim=-1)
    if d["kind"] == "layernorm":
        i = {"x": rand(d["M"], d["N"]), "g": rand(d["N"]), "b": rand(d["N"])}
        return i, lambda: torch.nn.functional.layer_norm(i["x"], (d["N"],), i["g"], i["b"], 1e-5)
    if d["kind"] == "gelu_tanh":
        i = {"x": rand(d["M"], d["N"])}
        return i, lambda: torch.nn.functional.gelu(i["x"], approximate="tanh")
    if d["kind"] == "swiglu":
        i = {"x": rand(d["M"], d["K"]), "wg": rand(d["K"], d["N"]), "wu": rand(d["K"], d["N"])}
        return i, lambda: torch.nn.functional.silu(i["x"] @ i["wg"]) * (i["x"] @ i["wu"])
    if d["kind"] == "attention":
        i = {"q": rand(d["H"], d["S"], d["D"]), "k": rand(d["H"], d["S"], d["D"]), "v": rand(d["H"], d["S"], d["D"])}
        return i, lambda: torch.softmax(i["q"] @ i["k"].transpose(1, 2) / d["D"] ** 0.5, dim=-1) @ i["v"]
    raise SystemExit(f"unknown kernel {d['kind']}")


def our_kernel(library, name, inputs):
    """A function running the installed kernel on the inputs' numpy views, and its output array."""
    import numpy as np

    import axon_runtime

    lib = axon_runtime.open(library)
    entry = next((k for k in lib.kernels() if k["name"] == name), None)
    if entry is None:
        raise SystemExit(f"{library}: no kernel named {name}")
    outs = [a for a in entry["arguments"] if a["role"] == "output"]
    if len(outs) != 1:
        raise SystemExit(f"{library}: {name} has {len(outs)} outputs; the benchmark compares one")
    # Allocated by PyTorch, like its own outputs (64-byte aligned, as its inputs are).
    y = torch.empty(outs[0]["shape"], dtype=torch.float32).numpy()
    arrays = {k: v.numpy() for k, v in inputs.items()}
    arrays[outs[0]["name"]] = y
    return (lambda: lib.run(name, **arrays)), y


def parallel_copy(mib, threads):
    """A function copying MIB MiB with `threads` threads, and the bytes it reads plus writes."""
    import ctypes
    import threading

    import numpy as np

    n = mib << 20
    src, dst = np.ones(n, dtype=np.uint8), np.zeros(n, dtype=np.uint8)
    chunk = (n + threads - 1) // threads
    parts = [(lo, min(n, lo + chunk)) for lo in range(0, n, chunk)]

    def run():
        ts = [threading.Thread(target=ctypes.memmove, args=(dst.ctypes.data + lo, src.ctypes.data + lo, hi - lo))
              for lo, hi in parts]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    return run, 2 * n


def main():
    args = sys.argv[1:]
    ours = None
    if "--ours" in args:
        at = args.index("--ours")
        ours = args[at + 1:at + 3]
        if len(ours) != 2:
            raise SystemExit("--ours needs LIBRARY NAME")
        del args[at:at + 3]
    copy_mib = None
    if "--copy" in args:
        at = args.index("--copy")
        copy_mib = int(args[at + 1])
        del args[at:at + 2]
        if not ours:
            raise SystemExit("--copy needs --ours")
    kind, threads = args[0], int(args[1])
    d = {"kind": kind}
    for a in args[2:]:
        k, v = a.split("=")
        d[k] = int(v)
    torch.set_num_threads(threads)
    inputs, f = kernels(d)
    contestants = [f]
    if ours:
        g, y = our_kernel(ours[0], ours[1], inputs)
        contestants.append(g)
    if copy_mib:
        copy, copy_bytes = parallel_copy(copy_mib, threads)
        contestants.append(copy)
    with torch.no_grad():
        for _ in range(2):
            for c in contestants:
                c()
        if ours:
            ref = f().numpy()
            err = float(abs(y - ref).max() / (1e-4 + 1e-3 * abs(ref).max()))
            print(f"{ours[1]}: max scaled error against PyTorch {err:.3g}", file=sys.stderr)
            if not err <= 1:
                raise SystemExit(f"{ours[1]}: our output differs from PyTorch's (scaled error {err:.3g})")
        times = [[] for _ in contestants]
        if ours:
            for _ in range(ROUNDS):
                for c, t in zip(contestants, times):
                    block = []
                    timed_block(c, block)
                    t.extend(block)
        else:
            deadline = time.perf_counter() + 10
            while len(times[0]) < 11 and (len(times[0]) < 3 or time.perf_counter() < deadline):
                t0 = time.perf_counter()
                f()
                times[0].append((time.perf_counter() - t0) * 1e3)
    medians = [statistics.median(t) for t in times]
    if copy_mib:
        medians[-1] = copy_bytes / (medians[-1] * 1e-3) / 1e9
    print(" ".join(f"{m:.4f}" for m in medians))


if __name__ == "__main__":
    main()
