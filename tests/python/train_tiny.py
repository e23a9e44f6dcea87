#!/usr/bin/python3
"""A tiny training run through synthesized kernels (forward+backward, Adam): prints the loss,
the axon-synth calls made and the numpy fallbacks; exits 1 if the loss did not fall or a program
fell back to numpy. Used by test_second_run.sh."""
import sys
import warnings

import numpy as np

import axon
import axon.nn as nn
import axon.nn.functional as F

warnings.simplefilter("error", axon.SynthesisWarning)
axon.manual_seed(1)
rng = np.random.default_rng(1)
x = rng.uniform(-1, 1, (40, 16)).astype(np.float32)
y = (x[:, :4].argmax(1)).astype(np.int64)
model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4))
opt = axon.optim.Adam(model.parameters(), lr=1e-2)
losses = []
for epoch in range(5):
    for xb, yb in axon.datasets.DatasetIterator(x, y, 16):  # 16, 16 and a padded 8
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
print(f"loss {losses[0]:.4f} -> {losses[-1]:.4f}; {axon.stats}")
sys.exit(0 if losses[-1] < losses[0] and axon.stats["numpy_fallbacks"] == 0 else 1)
