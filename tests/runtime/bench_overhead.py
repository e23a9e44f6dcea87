#!/usr/bin/python3
"""Per-call time of lib.run() from Python on a tiny kernel (median of batches), with the output
allocated by the binding and passed in. Usage: bench_overhead.py LIB NAME"""
import sys
import time

import numpy as np

import axon_runtime

lib = axon_runtime.open(sys.argv[1])
name = sys.argv[2]
entry = next(k for k in lib.kernels() if k["name"] == name)
ins = {a["name"]: np.full(a["shape"], 0.5, np.float32) for a in entry["arguments"] if a["role"] == "input"}
outs = {a["name"]: np.zeros(a["shape"], np.float32) for a in entry["arguments"] if a["role"] == "output"}


def median_ns(kw, batches=101, calls=5000):
    run = lib.run
    times = []
    for _ in range(batches):
        t0 = time.perf_counter_ns()
        for _ in range(calls):
            run(name, **kw)
        times.append((time.perf_counter_ns() - t0) / calls)
    times.sort()
    return times[len(times) // 2]


alloc = median_ns(ins)
passed = median_ns({**ins, **outs})
print(f"Python: {entry['id']}: lib.run median {alloc:.0f} ns/call (outputs allocated), "
      f"{passed:.0f} ns/call (outputs passed in)")
