#!/usr/bin/python3
"""Gradient checks of every op of axon (float64, the numpy executor): the reverse-mode gradients
against central finite differences, to 1e-6; padded batch rows get zero gradient; and every
program the checks run (forward and backward) passes `axon-synth check` with the batch dim
symbolic and bound, when axon-synth is built (AXON_SYNTH or build/tools/axon-synth)."""
import os
import sys
import unittest

import numpy as np

import axon
import axon.nn.functional as F
from axon import _kernels, _program

TOL = 1e-6
EPS = 1e-6


def finite_difference(f, arrays, k):
    """d f / d arrays[k] by central differences (f returns a float)."""
    a = arrays[k]
    g = np.zeros_like(a)
    it = np.nditer(a, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = a[i]
        a[i] = old + EPS
        fp = f()
        a[i] = old - EPS
        fm = f()
        a[i] = old
        g[i] = (fp - fm) / (2 * EPS)
    return g


class GradCheck(unittest.TestCase):
    checked_programs = 0

    @classmethod
    def setUpClass(cls):
        axon.set_default_dtype(np.float64)
        cls.synth = _kernels.synth_binary()

    @classmethod
    def tearDownClass(cls):
        axon.set_default_dtype(np.float32)

    def check(self, fn, *arrays, batch=None, n=None):
        """FN maps tensors to a tensor; its loss is sum(FN(...) * R) for a fixed random R. Checks
        the gradient of every float input. BATCH=cap: the inputs are batch tensors of N rows."""
        rng = np.random.default_rng(11)
        arrays = [np.array(a, dtype=np.float64) for a in arrays]

        def tensors(req):
            ts = []
            for a in arrays:
                if batch:
                    ts.append(axon.tensor(a[:n], requires_grad=req, batch=True, capacity=batch))
                else:
                    ts.append(axon.tensor(a, requires_grad=req))
            return ts

        out = fn(*tensors(False))
        r = rng.uniform(-1, 1, out.shape)
        rmat = r

        def loss_of(ts):
            o = fn(*ts)
            if o.ndim == 0:
                return o * float(rmat)
            rt = axon.tensor(rmat, batch=batch is not None and "B" in o._shape,
                             capacity=batch) if o.ndim else None
            return (o * rt).sum()

        def f():
            return loss_of(tensors(False)).item()

        ts = tensors(True)
        _program.trace = []
        loss = loss_of(ts)
        loss.backward()
        progs, _program.trace = _program.trace, None
        for k, t in enumerate(ts):
            got = t.grad.numpy()
            want = finite_difference(f, arrays, k)
            if batch:
                want = want[:n]
                full = t.grad._value
                self.assertTrue(np.all(full[n:] == 0), "padded rows must get zero gradient")
            err = np.max(np.abs(got - want)) if got.size else 0.0
            self.assertLessEqual(err, TOL, f"input {k}: max |analytic - finite difference| = {err:.3g}")
        if self.synth:
            for p in progs:
                _kernels.check(p)
                GradCheck.checked_programs += 1
        return progs

    def r(self, *shape, lo=-1.0, hi=1.0, seed=0):
        return np.random.default_rng(seed + sum(shape)).uniform(lo, hi, shape)

    # indexing
    def test_gather_take_slice(self):
        """Row gathers (x[idx], embedding), gather along the last dim, nll_loss, and integer /
        slice indexing: the gradients are scatters and zero-padded slices."""
        a = self.r(5, 4)
        idx = np.array([3, 0, 3, -1, 2])  # a repeated row and a negative index
        self.check(lambda x: x[idx], a)
        self.check(lambda x: F.embedding(axon.tensor(idx[:4] % 5), x) * 2.0, a)
        gi = np.array([[1, 1, 0], [3, 2, 3], [0, 0, 0], [2, 3, 1], [1, 0, 2]])
        self.check(lambda x: x.gather(-1, gi), a)
        self.check(lambda x: x.gather(1, axon.tensor(gi)).exp(), a)
        self.check(lambda x: F.nll_loss(F.log_softmax(x), np.array([1, 3, 0, 2, 2])), a)
        self.check(lambda x: F.nll_loss(x, np.array([1, 3, 0, 2, 2]), reduction="sum"), a)
        self.check(lambda x: x[1:4, 2], a)
        self.check(lambda x: x[3] * x[:, 1:3].sum(), a)
        self.check(lambda x: x[-2:], a)
        # batch inputs: class ids from a padded batch, the batch dim kept by ':'
        w = self.r(4, 3, seed=5)
        ids = np.array([2, 0, 3, 3, 1, 0])
        wv = axon.tensor(self.r(3, seed=8))
        self.check(lambda x: (F.embedding(axon.tensor(ids[:4], batch=True, capacity=6), x)
                              * wv).sum(), w)
        self.check(lambda x: F.nll_loss(F.log_softmax(x),
                                        axon.tensor(ids[:4] % 3, batch=True, capacity=6)),
                   self.r(6, 3, seed=6), batch=6, n=4)
        self.check(lambda x: x[:, 1:] * x[:, 0:2], self.r(6, 3, seed=7), batch=6, n=4)

    # elementwise
    def test_add_sub_mul_div_broadcast(self):
        a, b = self.r(3, 4), self.r(4, seed=1)
        self.check(lambda x, y: x + y, a, b)
        self.check(lambda x, y: x - y, a, b)
        self.check(lambda x, y: x * y, a, b)
        self.check(lambda x, y: x / y, a, self.r(4, lo=0.5, hi=2))
        self.check(lambda x, y: 2.0 - x * y / 3.0, a, self.r(3, 1, seed=2))

    def test_unary(self):
        a = self.r(3, 5)
        pos = self.r(3, 5, lo=0.3, hi=2)
        self.check(lambda x: -x, a)
        self.check(lambda x: x.exp(), a)
        self.check(lambda x: x.log(), pos)
        self.check(lambda x: x.tanh(), a)
        self.check(lambda x: x.erf(), a)
        self.check(lambda x: x.sqrt(), pos)
        self.check(lambda x: x.rsqrt(), pos)
        self.check(lambda x: x.sigmoid(), a)
        self.check(lambda x: x ** 2, a)
        self.check(lambda x: x ** 3, a)
        self.check(lambda x: x ** 0.5, pos)
        # relu away from its kink
        b = a.copy()
        b[np.abs(b) < 0.05] = 0.3
        self.check(lambda x: F.relu(x), b)

    def test_activations(self):
        a = self.r(4, 6)
        self.check(lambda x: F.gelu(x), a)
        self.check(lambda x: F.gelu(x, approximate="tanh"), a)
        self.check(lambda x: F.silu(x), a)

    def test_reductions(self):
        a = self.r(3, 4, 5)
        self.check(lambda x: x.sum(), a)
        self.check(lambda x: x.sum(1), a)
        self.check(lambda x: x.sum((0, 2), keepdim=True), a)
        self.check(lambda x: x.mean(-1), a)
        self.check(lambda x: x.mean(), a)

    def test_matmul_linear_transpose(self):
        self.check(lambda a, b: a @ b, self.r(3, 4), self.r(4, 5, seed=1))
        self.check(lambda a, b: a @ b, self.r(2, 3, 4), self.r(4, 5, seed=1))
        self.check(lambda a, b: a @ b, self.r(3, 4), self.r(4, seed=1))
        self.check(lambda a, w, c: F.linear(a, w, c), self.r(3, 4), self.r(5, 4, seed=1),
                   self.r(5, seed=2))
        self.check(lambda a, b: a.T @ b, self.r(4, 3), self.r(4, 5, seed=1))

    def test_softmax(self):
        a = self.r(3, 6) * 3
        self.check(lambda x: F.softmax(x, -1), a)
        self.check(lambda x: F.log_softmax(x, -1), a)
        self.check(lambda x: F.softmax(x, -1), self.r(6))

    def test_cross_entropy(self):
        x = self.r(5, 4) * 2
        idx = np.array([0, 3, 1, 1, 2])
        self.check(lambda a: F.cross_entropy(a, axon.tensor(idx)), x)
        self.check(lambda a: F.cross_entropy(a, axon.tensor(idx), reduction="sum"), x)
        onehot = np.eye(4)[idx]
        self.check(lambda a: F.cross_entropy(a, axon.tensor(onehot)), x)
        probs = np.abs(self.r(5, 4, seed=3)) + 0.1
        probs /= probs.sum(1, keepdims=True)
        self.check(lambda a: F.cross_entropy(a, axon.tensor(probs)), x)

    def test_mse_layer_norm_rms_norm(self):
        self.check(lambda a, b: F.mse_loss(a, b), self.r(3, 4), self.r(3, 4, seed=1))
        self.check(lambda a, w, b: F.layer_norm(a, 6, w, b), self.r(4, 6), self.r(6, seed=1),
                   self.r(6, seed=2))
        self.check(lambda a: F.layer_norm(a, (6,)), self.r(4, 6))
        self.check(lambda a, w: F.rms_norm(a, 6, w), self.r(4, 6), self.r(6, seed=1))

    def test_reshape_flatten_dropout(self):
        a = self.r(2, 3, 4)
        self.check(lambda x: x.reshape(4, 6), a)
        self.check(lambda x: x.reshape(-1), a)
        self.check(lambda x: x.flatten(1) * x.reshape(2, 12).exp(), a)
        self.check(lambda x: F.flatten(x, 0, 1).sum(0), a)
        self.check(lambda x: F.dropout(x, 0.3, seed=5), self.r(6, 7))
        self.check(lambda x: F.dropout(x * x, 0.5, seed=6).reshape(42), self.r(6, 7))
        # batch tensors: the batch dim stays, the rest is regrouped; padded rows get zero
        x = self.r(8, 3, 4)
        self.check(lambda a: a.flatten(1), x, batch=8, n=5)
        self.check(lambda a: a.reshape(5, 2, 6).sum(1), x, batch=8, n=5)
        self.check(lambda a: F.dropout(a.flatten(1), 0.25, seed=2).mean(0), x, batch=8, n=5)

    def test_batch_padding(self):
        # 5 valid rows of a batch of 8: padded rows weigh 0 in every reduction over the batch.
        x = self.r(8, 4) * 2
        w = self.r(3, 4, seed=1)
        idx = np.array([0, 2, 1, 1, 2, 0, 0, 0])

        def model(a):
            return F.cross_entropy(F.linear(F.relu(a) + 0.1, axon.tensor(w)),
                                   axon.tensor(idx[:5], batch=True, capacity=8))
        self.check(model, x, batch=8, n=5)
        # the same split into forward and backward programs of at most 2 nodes each
        old = {k: os.environ.get(k) for k in ("AXON_FUSE_MAX_NODES", "AXON_SPLIT_MAX_NODES")}
        os.environ["AXON_FUSE_MAX_NODES"], os.environ["AXON_SPLIT_MAX_NODES"] = "0", "2"
        try:
            progs = self.check(model, x, batch=8, n=5)
        finally:
            for k, v in old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        self.assertGreater(len(progs), 4)
        self.assertLessEqual(max(len(p.order) for p in progs), 2)
        self.check(lambda a: F.mse_loss(a, a * 0.5 + 1.0), x, batch=8, n=5)
        self.check(lambda a: a.mean(0), x, batch=8, n=5)
        self.check(lambda a: F.layer_norm(a, 4).sum(), x, batch=8, n=5)


if __name__ == "__main__":
    r = unittest.main(argv=[sys.argv[0]], verbosity=2, exit=False)
    print(f"programs checked with axon-synth check: {GradCheck.checked_programs}")
    sys.exit(0 if r.result.wasSuccessful() else 1)
