#!/usr/bin/python3
"""Training agrees with a reference on the same initialization and batches: an MLP 784-256-10
(cross-entropy) on Fashion-MNIST, step-1 loss to 1e-6 relative, step-1 gradients to 1e-5, the loss
of steps 1-100 to 1e-4; with Adam, AdamW and SGD (momentum, weight decay, the decay schedule).

The reference is PyTorch autograd (Debian's python3-torch) when it is installed, and always a
float64 numpy implementation written out by hand here (so the suite checks correctness without
torch). AXON_EXECUTOR=kernels runs axon through synthesized kernels (ctest: python_training_kernels,
label slow); otherwise the float32 numpy executor. Without the dataset package, random data."""
import os
import sys
import unittest

import numpy as np

import axon
import axon.nn as nn
import axon.nn.functional as F

try:
    import torch
except ImportError:  # the numpy reference still runs
    torch = None

STEPS = int(os.environ.get("AXON_TEST_STEPS", "100"))
BATCH = 128
SIZES = (784, 256, 10)


def data():
    try:
        (x, y), _ = axon.datasets.fashion_mnist()
        return x[: STEPS * BATCH], y[: STEPS * BATCH]
    except FileNotFoundError:
        rng = np.random.default_rng(0)
        return rng.uniform(0, 1, (STEPS * BATCH, 784)).astype(np.float32), rng.integers(0, 10, STEPS * BATCH)


def batches(x, y):
    # A shuffled order fixed up front, shared by axon and the references.
    order = np.random.default_rng(5).permutation(len(x))
    for k in range(STEPS):
        idx = order[k * BATCH:(k + 1) * BATCH]
        yield x[idx], y[idx]


class Reference64:
    """The MLP, its gradients and the optimizers in float64 numpy."""

    def __init__(self, params, opt, hyper):
        self.p = [p.astype(np.float64) for p in params]  # w1, b1, w2, b2 (PyTorch layout)
        self.opt, self.h = opt, hyper
        self.state = [[np.zeros_like(p) for p in self.p] for _ in range(2)]
        self.t = 0

    def loss_grads(self, x, y):
        w1, b1, w2, b2 = self.p
        x = x.astype(np.float64)
        h = x @ w1.T + b1
        a = np.maximum(h, 0)
        z = a @ w2.T + b2
        m = z.max(1, keepdims=True)
        lse = m + np.log(np.exp(z - m).sum(1, keepdims=True))
        n = len(x)
        loss = np.mean(lse[:, 0] - z[np.arange(n), y])
        dz = np.exp(z - lse)
        dz[np.arange(n), y] -= 1
        dz /= n
        gw2, gb2 = dz.T @ a, dz.sum(0)
        dh = (dz @ w2) * (h > 0)
        gw1, gb1 = dh.T @ x, dh.sum(0)
        return loss, [gw1, gb1, gw2, gb2]

    def step(self, grads):
        self.t += 1
        h = self.h
        for k, (p, g) in enumerate(zip(self.p, grads)):
            if self.opt == "sgd":
                lr = h["lr"] * h["gamma"] ** ((self.t - 1) // h["decay_every"])
                g = g + h["weight_decay"] * p
                buf = self.state[0][k] = h["momentum"] * self.state[0][k] + g
                p -= lr * buf
            else:
                b1, b2 = 0.9, 0.999
                if self.opt == "adamw":
                    p *= 1 - h["lr"] * h["weight_decay"]
                else:
                    g = g + h["weight_decay"] * p
                m = self.state[0][k] = b1 * self.state[0][k] + (1 - b1) * g
                v = self.state[1][k] = b2 * self.state[1][k] + (1 - b2) * g * g
                p -= h["lr"] * (m / (1 - b1 ** self.t)) / (np.sqrt(v / (1 - b2 ** self.t)) + 1e-8)


def torch_run(params, opt, hyper, steps_data):
    torch.manual_seed(0)
    torch.set_num_threads(1)
    ps = [torch.tensor(p, requires_grad=True) for p in params]
    if opt == "sgd":
        o = torch.optim.SGD(ps, lr=hyper["lr"], momentum=hyper["momentum"],
                            weight_decay=hyper["weight_decay"])
        sched = torch.optim.lr_scheduler.StepLR(o, hyper["decay_every"], hyper["gamma"])
    elif opt == "adam":
        o, sched = torch.optim.Adam(ps, lr=hyper["lr"], weight_decay=hyper["weight_decay"]), None
    else:
        o, sched = torch.optim.AdamW(ps, lr=hyper["lr"], weight_decay=hyper["weight_decay"]), None
    losses, grads1 = [], None
    for x, y in steps_data:
        xt, yt = torch.tensor(x), torch.tensor(y)
        h = torch.relu(xt @ ps[0].T + ps[1])
        loss = torch.nn.functional.cross_entropy(h @ ps[2].T + ps[3], yt)
        o.zero_grad()
        loss.backward()
        if grads1 is None:
            grads1 = [p.grad.detach().numpy().copy() for p in ps]
        o.step()
        if sched:
            sched.step()
        losses.append(loss.item())
    return np.array(losses), grads1


class TrainingAgreement(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.x, cls.y = data()

    def run_axon(self, opt_name, hyper):
        axon.manual_seed(0)
        model = nn.Sequential(nn.Linear(*SIZES[:2]), nn.ReLU(), nn.Linear(*SIZES[1:]))
        init = [p.numpy().copy() for p in model.parameters()]
        if opt_name == "sgd":
            opt = axon.optim.SGD(model.parameters(), lr=hyper["lr"], momentum=hyper["momentum"],
                                 weight_decay=hyper["weight_decay"], gamma=hyper["gamma"],
                                 decay_every=hyper["decay_every"], min_lr=0.0)
        elif opt_name == "adam":
            opt = axon.optim.Adam(model.parameters(), lr=hyper["lr"], weight_decay=hyper["weight_decay"])
        else:
            opt = axon.optim.AdamW(model.parameters(), lr=hyper["lr"], weight_decay=hyper["weight_decay"])
        losses, grads1 = [], None
        for x, y in batches(self.x, self.y):
            xb = axon.tensor(x, batch=True, capacity=BATCH)
            yb = axon.tensor(y, batch=True, capacity=BATCH)
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            if grads1 is None:
                grads1 = [p.grad.numpy().copy() for p in model.parameters()]
            opt.step()
            losses.append(loss.item())
        return init, np.array(losses), grads1

    def compare(self, name, losses, grads1, ref_losses, ref_grads1, loss_tol=1e-4):
        rel1 = abs(losses[0] - ref_losses[0]) / abs(ref_losses[0])
        gerr = max(float(np.max(np.abs(g - r))) for g, r in zip(grads1, ref_grads1))
        lerr = float(np.max(np.abs(losses - ref_losses)))
        print(f"  vs {name}: step-1 loss rel {rel1:.2e}, step-1 grads {gerr:.2e}, "
              f"loss steps 1-{len(losses)} {lerr:.2e} (final {losses[-1]:.4f} vs {ref_losses[-1]:.4f})")
        self.assertLessEqual(rel1, 1e-6, f"step-1 loss vs {name}")
        self.assertLessEqual(gerr, 1e-5, f"step-1 gradients vs {name}")
        self.assertLessEqual(lerr, loss_tol, f"loss over {len(losses)} steps vs {name}")

    def agree(self, opt_name, hyper, loss_tol=1e-4):
        init, losses, grads1 = self.run_axon(opt_name, hyper)
        ref = Reference64(init, opt_name, hyper)
        ref_losses, ref_grads1 = [], None
        for x, y in batches(self.x, self.y):
            loss, grads = ref.loss_grads(x, y)
            if ref_grads1 is None:
                ref_grads1 = grads
            ref.step(grads)
            ref_losses.append(loss)
        print(f"\n{opt_name} ({axon._config.executor}):")
        self.compare("numpy float64", losses, grads1, np.array(ref_losses), ref_grads1, loss_tol)
        if torch is None:
            print("  PyTorch comparison skipped: python3-torch is not installed (scripts/setup.sh)")
        else:
            tl, tg = torch_run(init, opt_name, hyper, batches(self.x, self.y))
            self.compare("PyTorch", losses, grads1, tl, tg, loss_tol)

    def test_adam(self):
        # 1e-3, not the issue's 1e-4: at step 37 sample 80's pre-activation of hidden unit 203
        # is -2.4e-8 in float64, against a dot product whose terms sum to 8.8 in magnitude (float32
        # resolves it to ~5e-7), so which side of the ReLU kink a float32 run lands on is chance;
        # landing on the other side moves the loss by 4.6e-4. PyTorch float32 itself, started
        # from its initialization rounded differently in the last bit (5 draws), lands there in
        # 3 of 5 (tests/python/drift_f32.py; docs/training.md, "Reproducibility"). The update
        # itself is checked exactly in test_optimizer_steps_match_pytorch.
        self.agree("adam", dict(lr=1e-3, weight_decay=0.0), loss_tol=1e-3)

    def test_adamw(self):
        # Drifted 1.9e-3 by step 100 while the optimizer computed 1 - beta2 in float32 (PyTorch
        # rounds its float64 value once): docs/training.md, "Reproducibility".
        self.agree("adamw", dict(lr=1e-3, weight_decay=1e-2))

    @unittest.skipIf(torch is None, "python3-torch is not installed")
    def test_optimizer_steps_match_pytorch(self):
        """Ten steps of each optimizer from identical float32 parameters and gradients (sizes
        1e-6 to 1e-2): the parameters agree with PyTorch's float32 update to 2e-5 of the learning
        rate (2e-8 here, under 3 float32 ulps of parameters of size ~0.1; measured 7.5e-9, one
        ulp). Failed with 1.5e-4 (Adam) and 8.9e-5 (AdamW) of the learning rate when the program
        computed 1 - beta2 from a float32 beta2. Through kernels the bound is 2e-4 of the
        learning rate: a synthesized kernel may reassociate the update (proven equal in real
        arithmetic, not in float32; measured 6.0e-5 for AdamW)."""
        rng = np.random.default_rng(3)
        shapes = [(37, 19), (19,), (5, 37)]
        for name, hyper in (("adam", dict(lr=1e-3, weight_decay=1e-2)),
                            ("adamw", dict(lr=1e-3, weight_decay=1e-2)),
                            ("sgd", dict(lr=0.05, momentum=0.9, weight_decay=1e-4))):
            init = [rng.normal(0, 0.1, s).astype(np.float32) for s in shapes]
            ps = [axon.nn.Parameter(p.copy()) for p in init]
            if name == "sgd":
                opt = axon.optim.SGD(ps, **hyper)
                tps = [torch.tensor(p, requires_grad=True) for p in init]
                topt = torch.optim.SGD(tps, **hyper)
            else:
                opt = (axon.optim.Adam if name == "adam" else axon.optim.AdamW)(ps, **hyper)
                tps = [torch.tensor(p, requires_grad=True) for p in init]
                topt = (torch.optim.Adam if name == "adam" else torch.optim.AdamW)(tps, **hyper)
            worst = 0.0
            for step in range(10):
                grads = [(rng.normal(0, 1, s) * 10.0 ** rng.integers(-6, -1, s)).astype(np.float32)
                         for s in shapes]
                for p, tp, g in zip(ps, tps, grads):
                    p.grad = axon.tensor(g)
                    tp.grad = torch.tensor(g)
                opt.step()
                topt.step()
                worst = max(worst, max(float(np.abs(p.numpy() - tp.detach().numpy()).max())
                                       for p, tp in zip(ps, tps)))
            print(f"\n{name} ({axon._config.executor}): 10 steps from identical gradients, max "
                  f"|parameter difference| {worst:.2e} ({worst / hyper['lr']:.2e} of lr)")
            bound = 2e-4 if axon._config.executor == "kernels" else 2e-5
            self.assertLessEqual(worst, bound * hyper["lr"], name)

    def test_sgd_momentum_decay(self):
        self.agree("sgd", dict(lr=0.05, momentum=0.9, weight_decay=1e-4, gamma=0.5, decay_every=30))


if __name__ == "__main__":
    r = unittest.main(argv=[sys.argv[0]], verbosity=2, exit=False)
    sys.exit(0 if r.result.wasSuccessful() else 1)
