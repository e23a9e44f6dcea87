#!/usr/bin/python3
"""Calls an installed rmsnorm_matmul kernel from Python (the axon_runtime module) and checks it
against numpy:  y = (x / sqrt(mean(x^2, axis=1) + 1e-6) * g) @ w.

    axon-synth --isa targets/avx2.json experiments/suites/nkibench/rmsnorm_matmul.tp --library=axon-lib
    PYTHONPATH=build/python /usr/bin/python3 examples/rmsnorm_matmul.py axon-lib
"""
import sys

import numpy as np

import axon_runtime

lib = axon_runtime.open(sys.argv[1] if len(sys.argv) > 1 else "axon-lib")
# The shapes of the installed kernel, from the library.
entry = next(k for k in lib.kernels() if k["name"] == "rmsnorm_matmul")
shapes = {a["name"]: a["shape"] for a in entry["arguments"]}

rng = np.random.default_rng(7)
x = rng.uniform(-1, 1, shapes["x"]).astype(np.float32)
g = rng.uniform(-1, 1, shapes["g"]).astype(np.float32)
w = rng.uniform(-1, 1, shapes["w"]).astype(np.float32)

y = lib.run("rmsnorm_matmul", x=x, g=g, w=w)

xd = x.astype(np.float64)
ref = (xd / np.sqrt(np.mean(xd * xd, axis=1, keepdims=True) + 1e-6) * g) @ w
err = np.max(np.abs(y - ref) / (1e-4 + 1e-3 * np.abs(ref)))
print(f"{entry['id']}: y{list(y.shape)} computed; y[0, 0] = {y[0, 0]:.6f}; "
      f"max scaled error vs numpy {err:.3g} (tolerance 1)")
sys.exit(0 if err <= 1 else 1)
