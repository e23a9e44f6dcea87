#!/usr/bin/python3
"""How far float32 training can be reproduced at all: PyTorch in float32 against PyTorch in
float64 (and axon against both), same initialization, same batches, 100 steps of the 784-256-10
MLP of test_training.py. A measurement for docs/training.md (issue 24's 1e-4 loss target over
steps 1-100), never run as a test.

  drift_f32.py [--steps 100] [--opts adam adamw sgd] [--perturb 1e-7] [--seeds 5]

--perturb also trains PyTorch float32 from the init times (1 + u*P), u uniform in [-1, 1] (one
float32 rounding of the weights, about), --seeds times: how far PyTorch float32 itself drifts
from its float64 run when nothing but the last bit of the initialization changes."""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("AXON_EXECUTOR", "numpy")
import test_training as tt  # noqa: E402  (data, batches, run_axon's setup, torch_run)

HYPER = {"adam": dict(lr=1e-3, weight_decay=0.0), "adamw": dict(lr=1e-3, weight_decay=1e-2),
         "sgd": dict(lr=0.05, momentum=0.9, weight_decay=1e-4, gamma=0.5, decay_every=30)}


def torch_losses(init, opt, hyper, x, y, dtype):
    """tt.torch_run, in DTYPE (the data cast to it too)."""
    params = [np.asarray(p, dtype) for p in init]
    steps = ((np.asarray(a, dtype), b) for a, b in tt.batches(x, y))
    return tt.torch_run(params, opt, hyper, steps)[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--opts", nargs="+", default=["adam", "adamw", "sgd"])
    ap.add_argument("--perturb", type=float, default=1e-7)
    ap.add_argument("--seeds", type=int, default=5)
    args = ap.parse_args()
    tt.STEPS = args.steps
    x, y = tt.data()
    case = tt.TrainingAgreement()
    case.x, case.y = x, y
    for opt in args.opts:
        h = HYPER[opt]
        init, axon_l, _ = case.run_axon(opt, h)
        t32 = torch_losses(init, opt, h, x, y, np.float32)
        t64 = torch_losses(init, opt, h, x, y, np.float64)
        pert_drift = []
        for seed in range(1, args.seeds + 1):
            rng = np.random.default_rng(seed)
            pert = [(p.astype(np.float64) * (1 + args.perturb * rng.uniform(-1, 1, p.shape))).astype(np.float32)
                    for p in init]
            pert_drift.append(float(np.abs(torch_losses(pert, opt, h, x, y, np.float32) - t64).max()))

        def d(a, b):
            e = np.abs(a - b)
            return f"{e.max():.2e} (step {int(e.argmax()) + 1})"
        print(f"{opt}: max |loss difference| over steps 1-{args.steps}: "
              f"torch f32 vs torch f64 {d(t32, t64)}; axon f32 vs torch f64 {d(axon_l, t64)}; "
              f"axon f32 vs torch f32 {d(axon_l, t32)}; torch f32 from the init perturbed by "
              f"{args.perturb:g} relative vs torch f64, {args.seeds} perturbations: "
              + ", ".join(f"{v:.1e}" for v in pert_drift)
              + f" ({sum(v > 1e-4 for v in pert_drift)} above 1e-4)", flush=True)


main()
