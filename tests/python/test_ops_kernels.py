#!/usr/bin/python3
"""Every op through synthesized kernels against PyTorch autograd (<= 1e-4): one model that uses
linear, layer_norm, gelu (both forms), silu, tanh, sigmoid, rms_norm, exp, log, sqrt, rsqrt, div,
softmax, log_softmax, mse_loss, cross_entropy, reshape/flatten and dropout on a padded batch; its loss and every parameter
gradient; and a second model with the indexing ops (embedding, slices, gather, nll_loss). A program that falls back to numpy fails the test. Without python3-torch, the float64
numpy executor is the reference. (ctest: python_ops_kernels, label slow.)"""
import sys
import unittest
import warnings

import numpy as np

import axon
import axon.nn.functional as F

try:
    import torch
except ImportError:
    torch = None

rng = np.random.default_rng(7)
X = rng.uniform(-1, 1, (13, 12)).astype(np.float32)  # 13 valid rows of a batch of 16
Y = rng.integers(0, 10, 13)
P = {"w1": rng.uniform(-0.3, 0.3, (24, 12)), "b1": rng.uniform(-0.1, 0.1, 24),
     "g": rng.uniform(0.5, 1.5, 24), "beta": rng.uniform(-0.1, 0.1, 24),
     "r": rng.uniform(0.5, 1.5, 24), "w2": rng.uniform(-0.3, 0.3, (10, 24)),
     "b2": rng.uniform(-0.1, 0.1, 10)}
P = {k: v.astype(np.float32) for k, v in P.items()}


def model(F, p, x, y, onehot, lib):
    h = F.linear(x.reshape(x.shape[0], 3, 4).flatten(1), p["w1"], p["b1"])
    h = F.layer_norm(h, (24,), p["g"], p["beta"])
    a = F.gelu(h) + F.silu(h) * lib.sigmoid(h) - lib.tanh(h) * 0.5
    a = F.rms_norm(a, (24,), p["r"]) if lib.rms else a * lib.rsqrt((a * a).mean(-1, keepdim=True) + 1e-6) * p["r"]
    a = F.gelu(a, approximate="tanh") + lib.sqrt(a * a + 1.0) - lib.log(a * a + 2.0) / 3.0
    a = lib.dropout(a)
    z = F.linear(a, p["w2"], p["b2"])
    loss = F.cross_entropy(z, y)
    loss = loss + F.mse_loss(F.softmax(z, -1), onehot) + (lib.exp(F.log_softmax(z, -1)) * onehot).mean()
    return loss


class AxonLib:
    rms = True
    sigmoid, tanh = staticmethod(lambda t: t.sigmoid()), staticmethod(lambda t: t.tanh())
    rsqrt, sqrt = staticmethod(lambda t: t.rsqrt()), staticmethod(lambda t: t.sqrt())
    log, exp = staticmethod(lambda t: t.log()), staticmethod(lambda t: t.exp())
    dropout = staticmethod(lambda t: F.dropout(t, DROP_P, seed=DROP_SEED))


DROP_P, DROP_SEED = 0.2, 9


def dropout_mask():
    """The keep mask axon's dropout draws from DROP_SEED (its uniform draws >= p) for [16, 24]."""
    u = np.random.default_rng(DROP_SEED).random((16, 24)).astype(np.float32)
    return u[:13] >= np.float32(DROP_P)


def run_axon(dtype):
    axon.set_default_dtype(dtype)
    try:
        p = {k: axon.nn.Parameter(v) for k, v in P.items()}
        x = axon.tensor(X, batch=True, capacity=16)
        y = axon.tensor(Y, batch=True, capacity=16)
        onehot = axon.tensor(np.eye(10, dtype=np.float32)[Y], batch=True, capacity=16)
        loss = model(F, p, x, y, onehot, AxonLib)
        loss.backward()
        return loss.item(), {k: v.grad.numpy().astype(np.float64) for k, v in p.items()}
    finally:
        axon.set_default_dtype(np.float32)


# Indexing: embedding rows at batch token ids, slices, gather along the last dim, nll_loss and
# integer/slice indexing of a parameter.
IDS = rng.integers(0, 7, 13)
GI = rng.integers(0, 5, (13, 2))
Q = {"emb": rng.uniform(-1, 1, (7, 6)), "w": rng.uniform(-0.5, 0.5, (5, 4)),
     "b": rng.uniform(-0.1, 0.1, 5)}
Q = {k: v.astype(np.float32) for k, v in Q.items()}


def index_model(F, p, ids, y, gi):
    e = F.embedding(ids, p["emb"])
    h = e[:, 1:5] * e[:, 0:4]
    z = F.linear(h, p["w"], p["b"])
    loss = F.nll_loss(F.log_softmax(z, -1), y) + z.gather(1, gi).mean()
    return loss + 0.1 * p["w"][2].sum() + (p["w"][1:3, :2] * p["w"][3:5, 2:]).sum()


class OpsKernels(unittest.TestCase):
    def test_indexing_against_reference(self):
        warnings.simplefilter("error", axon.SynthesisWarning)

        def run(dtype):
            axon.set_default_dtype(dtype)
            try:
                p = {k: axon.nn.Parameter(v) for k, v in Q.items()}
                bt = lambda a: axon.tensor(a, batch=True, capacity=16)  # noqa: E731
                loss = index_model(F, p, bt(IDS), bt(Y % 5), bt(GI))
                loss.backward()
                return loss.item(), {k: v.grad.numpy().astype(np.float64) for k, v in p.items()}
            finally:
                axon.set_default_dtype(np.float32)

        loss, grads = run(np.float32)
        if torch is not None:
            tp = {k: torch.tensor(v, requires_grad=True) for k, v in Q.items()}
            tl = index_model(torch.nn.functional, tp, torch.tensor(IDS), torch.tensor(Y % 5),
                             torch.tensor(GI))
            tl.backward()
            ref_loss, ref = tl.item(), {k: v.grad.numpy().astype(np.float64) for k, v in tp.items()}
            name = "PyTorch autograd"
        else:
            print("PyTorch comparison skipped: python3-torch is not installed; float64 numpy reference")
            axon.set_executor("numpy")
            try:
                ref_loss, ref = run(np.float64)
            finally:
                axon.set_executor("kernels")
            name = "float64 numpy"
        worst = max(float(np.max(np.abs(grads[k] - ref[k]))) for k in Q)
        print(f"indexing: loss {loss:.6f} vs {name} {ref_loss:.6f}; max gradient difference "
              f"{worst:.2e}; kernels: {axon.stats}")
        self.assertLessEqual(abs(loss - ref_loss), 1e-4 * max(1, abs(ref_loss)))
        for k in Q:
            err = float(np.max(np.abs(grads[k] - ref[k])))
            self.assertLessEqual(err, 1e-4, f"gradient of {k}: {err:.3g} from {name}")

    def test_all_ops_against_reference(self):
        warnings.simplefilter("error", axon.SynthesisWarning)
        loss, grads = run_axon(np.float32)
        print(f"kernels: {axon.stats}")
        if torch is not None:
            class TorchLib:
                rms = False
                sigmoid, tanh, rsqrt, sqrt = torch.sigmoid, torch.tanh, torch.rsqrt, torch.sqrt
                log, exp = torch.log, torch.exp
                # PyTorch's dropout with axon's mask: the same draws, PyTorch's definition
                # (x * mask / (1 - p)) and its autograd
                dropout = staticmethod(
                    lambda t: t * torch.tensor(dropout_mask(), dtype=t.dtype) / (1 - DROP_P))
            tp = {k: torch.tensor(v, requires_grad=True) for k, v in P.items()}
            tl = model(torch.nn.functional, tp, torch.tensor(X), torch.tensor(Y),
                       torch.tensor(np.eye(10, dtype=np.float32)[Y]), TorchLib)
            tl.backward()
            ref_loss, ref = tl.item(), {k: v.grad.numpy().astype(np.float64) for k, v in tp.items()}
            name = "PyTorch autograd"
        else:
            print("PyTorch comparison skipped: python3-torch is not installed; float64 numpy reference")
            axon.set_executor("numpy")
            try:
                ref_loss, ref = run_axon(np.float64)
            finally:
                axon.set_executor("kernels")
            name = "float64 numpy"
        self.assertLessEqual(abs(loss - ref_loss), 1e-4 * max(1, abs(ref_loss)))
        worst = max(float(np.max(np.abs(grads[k] - ref[k]))) for k in P)
        print(f"loss {loss:.6f} vs {name} {ref_loss:.6f}; max gradient difference {worst:.2e}")
        for k in P:
            err = float(np.max(np.abs(grads[k] - ref[k])))
            self.assertLessEqual(err, 1e-4, f"gradient of {k}: {err:.3g} from {name}")


if __name__ == "__main__":
    r = unittest.main(argv=[sys.argv[0]], verbosity=2, exit=False)
    sys.exit(0 if r.result.wasSuccessful() else 1)
