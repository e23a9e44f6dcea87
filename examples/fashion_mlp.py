#!/usr/bin/python3
"""Fashion-MNIST with a 784-256-10 MLP and Adam, trained through kernels synthesized by
axon-synth (the first run synthesizes and installs them into the kernel library; later runs
find them there).

    PYTHONPATH=python:build/python /usr/bin/python3 examples/fashion_mlp.py [--epochs 10] [--seed 0]
"""
import argparse
import time

import numpy as np

import axon
import axon.nn as nn
import axon.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument("--epochs", type=int, default=10)
ap.add_argument("--batch", type=int, default=128)
ap.add_argument("--lr", type=float, default=1e-3)
ap.add_argument("--seed", type=int, default=0)
args = ap.parse_args()

axon.manual_seed(args.seed)
(x_train, y_train), (x_test, y_test) = axon.datasets.fashion_mnist()
model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
opt = axon.optim.Adam(model.parameters(), lr=args.lr)
train = axon.datasets.DatasetIterator(x_train, y_train, args.batch, shuffle=True)
test = axon.datasets.DatasetIterator(x_test, y_test, 1000)


def accuracy():
    correct = 0
    with axon.no_grad():
        for x, y in test:
            correct += int((model(x).numpy().argmax(1) == y.numpy()).sum())
    return correct / len(x_test)


start = time.perf_counter()
for epoch in range(args.epochs):
    t0, total = time.perf_counter(), 0.0
    for x, y in train:
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item()
    dt = time.perf_counter() - t0
    print(f"epoch {epoch + 1}: loss {total / len(train):.4f}, test accuracy {accuracy():.4f} "
          f"({dt:.1f} s, {1e3 * dt / len(train):.2f} ms/step)", flush=True)
print(f"total {time.perf_counter() - start:.1f} s; kernels: {axon.stats}")
