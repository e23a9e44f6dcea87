#!/usr/bin/python3
"""Training figures for docs/PERFORMANCE.md ("training"); a benchmark, never run as a test.

  bench_training.py accuracy [--seeds 5] [--epochs 10]
      784-256-10, Adam 1e-3, batch 128: test accuracy per epoch of axon (synthesized kernels) and
      PyTorch from the same initialization and the same batches; mean of the last 3 epochs.
  bench_training.py profile [--steps 50]
      where a step's time goes at 784-256-10 batch 128 (Adam): per kernel (median per step), the
      Python phases (recording the graph, autodiff, building programs, running them) and the
      functions with the most own time (cProfile).
  bench_training.py pycost [--steps 300]
      Python's own CPU time per step (784-256-10 batch 128, Adam) with the kernel calls
      answered by stubs: the library's work without the kernels.
  bench_training.py speed [--steps 50] [--blocks 5]
      per-step time of axon and PyTorch (each thread count in --threads, best taken), alternating
      blocks of steps, at 784-256-10 batch 128 and 784-512-256-10 batch 512; axon's time in
      kernels, the rest being Python.
PYTHONPATH=python:build/python; AXON_LIBRARY_DIR as for training."""
import argparse
import time

import numpy as np
import torch

import axon
import axon.nn as nn
import axon.nn.functional as F


def mlp(sizes):
    layers = []
    for k in range(len(sizes) - 1):
        layers += [nn.Linear(sizes[k], sizes[k + 1])] + ([nn.ReLU()] if k < len(sizes) - 2 else [])
    return nn.Sequential(*layers)


def torch_mlp(params):
    ps = [torch.tensor(p, requires_grad=True) for p in params]

    def f(x):
        h = x
        for k in range(0, len(ps), 2):
            h = h @ ps[k].T + ps[k + 1]
            if k < len(ps) - 2:
                h = torch.relu(h)
        return h
    return ps, f


def accuracy(args):
    (xtr, ytr), (xte, yte) = axon.datasets.fashion_mnist()
    xte_t = torch.tensor(xte)
    rows = []
    for seed in range(args.seeds):
        axon.manual_seed(seed)
        model = mlp((784, 256, 10))
        ps, f = torch_mlp([p.numpy().copy() for p in model.parameters()])
        opt = axon.optim.Adam(model.parameters(), lr=1e-3)
        topt = torch.optim.Adam(ps, lr=1e-3)
        rng = np.random.default_rng(1000 + seed)
        acc_a, acc_t = [], []
        for epoch in range(args.epochs):
            order = rng.permutation(len(xtr))
            xs, ys = xtr[order], ytr[order]
            for x, y in axon.datasets.DatasetIterator(xs, ys, 128):
                loss = F.cross_entropy(model(x), y)
                opt.zero_grad()
                loss.backward()
                opt.step()
            for k in range(0, len(xs), 128):
                tl = torch.nn.functional.cross_entropy(f(torch.tensor(xs[k:k + 128])),
                                                       torch.tensor(ys[k:k + 128]))
                topt.zero_grad()
                tl.backward()
                topt.step()
            correct = 0
            with axon.no_grad():
                for x, y in axon.datasets.DatasetIterator(xte, yte, 1000):
                    correct += int((model(x).numpy().argmax(1) == y.numpy()).sum())
            acc_a.append(correct / len(xte))
            with torch.no_grad():
                acc_t.append(float((f(xte_t).argmax(1).numpy() == yte).mean()))
            print(f"seed {seed} epoch {epoch + 1}: axon {acc_a[-1]:.4f} pytorch {acc_t[-1]:.4f}", flush=True)
        a3, t3 = np.mean(acc_a[-3:]), np.mean(acc_t[-3:])
        rows.append((seed, a3, t3))
        print(f"seed {seed}: last-3-epoch mean accuracy axon {100 * a3:.2f}% pytorch {100 * t3:.2f}%", flush=True)
    a = np.array([r[1] for r in rows])
    t = np.array([r[2] for r in rows])
    print(f"mean over {len(rows)} seeds: axon {100 * a.mean():.2f}% (min {100 * a.min():.2f}%), "
          f"pytorch {100 * t.mean():.2f}% (min {100 * t.min():.2f}%); difference "
          f"{100 * (a.mean() - t.mean()):+.2f} points; axon kernels: {axon.stats}")


def speed(args):
    from axon import _kernels

    _kernels.cpu_clock = True
    (xtr, ytr), _ = axon.datasets.fashion_mnist()
    for sizes, batch, opt_name in (((784, 256, 10), 128, "adam"), ((784, 512, 256, 10), 512, "sgd")):
        axon.manual_seed(0)
        model = mlp(sizes)
        init = [p.numpy().copy() for p in model.parameters()]
        if opt_name == "adam":
            opt = axon.optim.Adam(model.parameters(), lr=1e-3)
        else:
            opt = axon.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, gamma=0.7, decay_every=100)
        ps, f = torch_mlp(init)
        topt = torch.optim.Adam(ps, lr=1e-3) if opt_name == "adam" else torch.optim.SGD(ps, lr=0.01, momentum=0.9)
        batches = list(axon.datasets.DatasetIterator(xtr[: batch * args.steps], ytr[: batch * args.steps], batch))
        tb = [(torch.tensor(xtr[k * batch:(k + 1) * batch]), torch.tensor(ytr[k * batch:(k + 1) * batch]))
              for k in range(args.steps)]

        def axon_block():
            axon.stats["kernel_seconds"] = axon.stats["kernel_cpu_seconds"] = 0.0
            c0, t0 = time.thread_time(), time.perf_counter()
            for x, y in batches:
                loss = F.cross_entropy(model(x), y)
                opt.zero_grad()
                loss.backward()
                opt.step()
                loss.item()
            n = len(batches)
            return ((time.perf_counter() - t0) / n, axon.stats["kernel_seconds"] / n,
                    (time.thread_time() - c0) / n, axon.stats.get("kernel_cpu_seconds", 0.0) / n)

        def torch_block():
            c0, t0 = time.thread_time(), time.perf_counter()
            for x, y in tb:
                loss = torch.nn.functional.cross_entropy(f(x), y)
                topt.zero_grad()
                loss.backward()
                topt.step()
                loss.item()
            return (time.perf_counter() - t0) / len(tb), (time.thread_time() - c0) / len(tb)

        axon_block()  # synthesis / warm-up
        a = []
        t = {n: [] for n in args.threads}
        for _ in range(args.blocks):
            a.append(axon_block())
            for n in args.threads:
                torch.set_num_threads(n)
                t[n].append(torch_block())
        best = min(args.threads, key=lambda n: np.median([w for w, _ in t[n]]))
        am, km, acpu, kcpu = np.median(a, axis=0)
        tm, tcpu = np.median(t[best], axis=0)
        print(f"{'-'.join(map(str, sizes))} batch {batch} {opt_name}: axon {1e3 * am:.2f} ms/step "
              f"(kernels {1e3 * km:.2f} ms, Python {100 * (am - km) / am:.0f}%), PyTorch "
              f"{1e3 * tm:.2f} ms/step ({best} threads; "
              + ", ".join(f"{n}: {1e3 * np.median([w for w, _ in t[n]]):.2f}" for n in args.threads)
              + f"); axon/PyTorch {am / tm:.2f}x", flush=True)
        # CPU time of the main thread (thread_time; kernels and Python run there): what a step costs without the
        # waits for a core that a loaded machine adds to wall time. Meaningful with
        # single-threaded kernels (AXON_THREADS=1) and PyTorch at 1 thread.
        t1cpu = np.median([c for _, c in t[1]], axis=0) if 1 in t else float("nan")
        print(f"    CPU time: axon {1e3 * acpu:.2f} ms/step (kernels {1e3 * kcpu:.2f} ms, Python "
              f"{100 * (acpu - kcpu) / acpu:.0f}%), PyTorch 1 thread {1e3 * t1cpu:.2f} ms/step; "
              f"axon/PyTorch {acpu / t1cpu:.2f}x; block medians of {args.blocks} blocks", flush=True)


def profile(args):
    import cProfile
    import pstats

    from axon import _kernels

    (xtr, ytr), _ = axon.datasets.fashion_mnist()
    axon.manual_seed(0)
    model = mlp((784, 256, 10))
    opt = axon.optim.Adam(model.parameters(), lr=1e-3)
    batches = list(axon.datasets.DatasetIterator(xtr[: 128 * args.steps], ytr[: 128 * args.steps], 128))
    phases = {"record forward": 0.0, "zero_grad": 0.0, "backward": 0.0, "step": 0.0, "item": 0.0}
    python = dict.fromkeys(phases, 0.0)  # the phase's time outside the kernels
    ks = axon.stats

    def block(timed):
        for x, y in batches:
            k0 = ks["kernel_seconds"]
            t0 = time.perf_counter()
            loss = F.cross_entropy(model(x), y)
            t1 = time.perf_counter()
            opt.zero_grad()
            t2 = time.perf_counter()
            loss.backward()
            t3 = time.perf_counter()
            k3 = ks["kernel_seconds"]
            opt.step()
            t4 = time.perf_counter()
            k4 = ks["kernel_seconds"]
            loss.item()
            t5 = time.perf_counter()
            if timed:
                for k, a, b, kt in (("record forward", t0, t1, 0), ("zero_grad", t1, t2, 0),
                                    ("backward", t2, t3, k3 - k0), ("step", t3, t4, k4 - k3),
                                    ("item", t4, t5, 0)):
                    phases[k] += b - a
                    python[k] += b - a - kt

    block(False)  # synthesis / warm-up
    _kernels.profile = {}
    t0 = time.perf_counter()
    block(True)
    total = (time.perf_counter() - t0) / len(batches)
    print(f"784-256-10 batch 128 adam: {1e3 * total:.3f} ms/step over {len(batches)} steps")
    for k, v in phases.items():
        print(f"  phase {k:15s} {1e3 * v / len(batches):.3f} ms, of which outside kernels "
              f"{1e3 * python[k] / len(batches):.3f} ms")
    ksum = 0.0
    for name, ts in _kernels.profile.items():
        per = np.median(ts) * len(ts) / len(batches)
        ksum += sum(ts) / len(batches)
        print(f"  kernel {name}: {len(ts) / len(batches):.0f} run(s)/step, median {1e3 * np.median(ts):.3f} ms")
    print(f"  kernels total {1e3 * ksum:.3f} ms/step; Python {100 * (total - ksum) / total:.0f}% of the step")
    _kernels.profile = None
    pr = cProfile.Profile()
    pr.enable()
    block(False)
    pr.disable()
    pstats.Stats(pr).sort_stats("tottime").print_stats(25)


def pycost(args):
    """Python's own CPU time per step at 784-256-10 batch 128 (Adam) with every kernel call
    answered from a stub that returns the first real call's outputs: the library's work per
    step without the kernels (and without the cache misses they cause in a real loop)."""
    from axon import _kernels

    (xtr, ytr), _ = axon.datasets.fashion_mnist()
    axon.manual_seed(0)
    model = mlp((784, 256, 10))
    opt = axon.optim.Adam(model.parameters(), lr=1e-3)
    batches = list(axon.datasets.DatasetIterator(xtr[: 128 * args.steps], ytr[: 128 * args.steps], 128))

    def block(bs):
        for x, y in bs:
            loss = F.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss.item()

    block(batches[:3])  # synthesis / warm-up

    class Stub:
        def __init__(self, lib):
            self.lib, self.outs = lib, {}

        def run(self, name, **kw):
            if name not in self.outs:
                self.outs[name] = self.lib.run(name, **kw)
            return self.outs[name]

    for k, v in list(_kernels._mem.items()):
        if v[0] == "kernel":
            _kernels._mem[k] = ("kernel", Stub(v[1]))
    getattr(_kernels, "_generation", [0])[0] += 1  # programs look their kernels up again
    block(batches[:3])
    c0 = time.thread_time()
    block(batches)
    print(f"784-256-10 batch 128 adam: Python {1e6 * (time.thread_time() - c0) / len(batches):.1f} us "
          f"CPU per step with stub kernels, over {len(batches)} steps", flush=True)


ap = argparse.ArgumentParser()
ap.add_argument("what", choices=["accuracy", "speed", "profile", "pycost"])
ap.add_argument("--seeds", type=int, default=5)
ap.add_argument("--epochs", type=int, default=10)
ap.add_argument("--steps", type=int, default=50)
ap.add_argument("--blocks", type=int, default=5)
ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
args = ap.parse_args()
{"accuracy": accuracy, "speed": speed, "profile": profile, "pycost": pycost}[args.what](args)
