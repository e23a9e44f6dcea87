#!/usr/bin/python3
"""The axon API (numpy executor): shape errors at the user's file:line:col with a caret, before
anything runs; lazy evaluation; batches and padding; modules, optimizers and datasets;
inspect_ir's graph level."""
import os
import sys
import unittest

import numpy as np

import axon
import axon.nn as nn
import axon.nn.functional as F
from axon import _program

axon.set_executor("numpy")


class ShapeErrors(unittest.TestCase):
    def test_matmul_mismatch_points_at_the_call(self):
        a = axon.tensor(np.zeros((3, 4), np.float32))
        b = axon.tensor(np.zeros((5, 2), np.float32))
        with self.assertRaises(axon.ShapeError) as cm:
            c = a @ b  # the caret goes under 'a @ b'
        msg = str(cm.exception)
        line = sys._getframe().f_lineno - 2
        self.assertIn(f"{__file__}:{line}:17: error: shape mismatch in 'matmul': K is 4 in 'a' but 5 in 'b'", msg)
        self.assertIn("\n              c = a @ b  # the caret", msg)
        self.assertIn("\n" + " " * 18 + "^^^^^\n", msg)
        self.assertIn("hint: signature: matmul", msg)

    def test_linear_and_broadcast_errors(self):
        model = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(3, 2))
        x = axon.tensor(np.zeros((2, 8), np.float32))
        with self.assertRaises(axon.ShapeError) as cm:
            model(x)
        self.assertIn("test_api.py", str(cm.exception))
        self.assertIn("the input has 4 features but the weight takes 3", str(cm.exception))
        with self.assertRaises(axon.ShapeError) as cm:
            axon.tensor(np.zeros((2, 3))) + axon.tensor(np.zeros((4,)))
        self.assertIn("shapes do not broadcast in 'add': dim 3 against 4", str(cm.exception))

    def test_cross_entropy_errors(self):
        x = axon.tensor(np.zeros((4, 3), np.float32))
        with self.assertRaises(axon.ShapeError) as cm:
            F.cross_entropy(x, axon.tensor(np.array([0, 1, 3, 0])))
        self.assertIn("class index 3 is out of range for 3 classes", str(cm.exception))
        with self.assertRaises(axon.ShapeError):
            F.cross_entropy(x, axon.tensor(np.array([0, 1])))

    def test_errors_come_before_running(self):
        _program.trace = []
        try:
            with self.assertRaises(axon.ShapeError):
                axon.tensor(np.ones((2, 2))) @ axon.tensor(np.ones((3, 3)))
            self.assertEqual(_program.trace, [])
        finally:
            _program.trace = None


class Lazy(unittest.TestCase):
    def test_values_materialize_on_demand(self):
        a = axon.tensor(np.arange(6, dtype=np.float32).reshape(2, 3))
        _program.trace = []
        try:
            b = (a * 2 + 1).sum(1)
            self.assertEqual(_program.trace, [])
            np.testing.assert_allclose(b.numpy(), [9, 27])
            self.assertEqual(len(_program.trace), 1)
            self.assertEqual(b.item() if b.ndim == 0 else float(b.numpy()[0]), 9.0)
            self.assertEqual(len(_program.trace), 1, "a value is computed once")
            self.assertIn("tensor([ 9., 27.])", repr(b))
        finally:
            _program.trace = None

    def test_batches_pad_and_weigh_rows(self):
        x = np.arange(10, dtype=np.float32).reshape(5, 2)
        it = axon.datasets.DatasetIterator(x, np.arange(5), batch_size=2)
        batches = list(it)
        self.assertEqual(len(batches), 3)
        xb, yb = batches[-1]
        self.assertEqual(xb.shape, (1, 2))
        self.assertEqual(xb._value.shape, (2, 2), "stored padded to the batch size")
        np.testing.assert_allclose(xb.mean(0).numpy(), [8, 9])
        np.testing.assert_allclose(xb.sum().numpy(), 17)
        # the same program (so the same kernel) serves the full and the partial batch
        texts = set()
        for xb, _ in batches:
            texts.add(_program.Program([xb.mean(0)]).text())
        self.assertEqual(len(texts), 1)

    def test_backward_needs_a_scalar(self):
        w = nn.Parameter(np.ones((2, 2), np.float32))
        with self.assertRaises(axon.ShapeError):
            (w * 2).backward()


class Fallback(unittest.TestCase):
    def test_failed_synthesis_warns_and_runs_in_numpy(self):
        import tempfile
        import warnings
        from axon import _kernels
        old = {k: os.environ.get(k) for k in ("AXON_SYNTH", "AXON_LIBRARY_DIR")}
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["AXON_SYNTH"] = "/bin/false"  # a synthesis that fails
            os.environ["AXON_LIBRARY_DIR"] = tmp
            axon.set_executor("kernels")
            _kernels.reset()
            try:
                a = axon.tensor(np.arange(6, dtype=np.float32).reshape(2, 3))
                with warnings.catch_warnings(record=True) as w:
                    warnings.simplefilter("always")
                    v = (a * 3.0 + 1.0).sum(1).numpy()
                np.testing.assert_allclose(v, [12, 39])
                msgs = [str(x.message) for x in w if issubclass(x.category, axon.SynthesisWarning)]
                self.assertEqual(len(msgs), 1, msgs)
                self.assertIn("running it with the numpy executor", msgs[0])
                self.assertEqual(axon.stats["numpy_fallbacks"], 1)
            finally:
                axon.set_executor("numpy")
                _kernels.reset()
                for k, v in old.items():
                    if v is None:
                        os.environ.pop(k, None)
                    else:
                        os.environ[k] = v


class StaleLibrary(unittest.TestCase):
    def test_a_kernel_reinstalled_by_another_process_is_reloaded(self):
        """When the runtime cannot run a kernel of the library as opened (another process
        installed it again and its old object file is gone), the library is reopened and the
        kernel run from it, without a fallback; the reopened library serves later calls."""
        import warnings
        from axon import _kernels
        rt = _kernels.runtime_module()
        if rt is None:
            self.skipTest("axon_runtime is not built")
        prog = _program.Program([axon.tensor(np.ones(3, np.float32)).exp()])
        name = _kernels.kernel_name(prog)
        out = prog.targets[0]
        calls = []

        class Lib:
            def __init__(self, tag, fail):
                self.tag, self.fail = tag, fail

            def run(self, kname, **args):
                calls.append(self.tag)
                if self.fail:
                    raise rt.Error(f"{kname}: cannot read the object (No such file or directory)")
                return np.full(3, 7.0, np.float32)

        stale, fresh = Lib("stale", True), Lib("fresh", False)
        saved = _kernels._open_library
        try:
            _kernels.reset()
            _kernels._mem[name] = ("kernel", stale)

            def reopen(refresh=False):
                _kernels._lib[0], _kernels._lib[1] = fresh, {name}
                return fresh
            _kernels._open_library = reopen
            with warnings.catch_warnings():
                warnings.simplefilter("error", axon.SynthesisWarning)
                env = _kernels.run(prog)
                np.testing.assert_array_equal(env[id(out)], [7, 7, 7])
                _kernels.run(prog)
            self.assertEqual(calls, ["stale", "fresh", "fresh"])
            self.assertEqual(axon.stats["numpy_fallbacks"], 0)
        finally:
            _kernels._open_library = saved
            _kernels.reset()


class Threads(unittest.TestCase):
    def test_thread_limit_gives_a_one_core_target_and_other_names(self):
        """AXON_THREADS=1: axon-synth gets a copy of the target JSON with one core (nothing else
        changed), and kernels get other names than unlimited ones; a bad value is refused."""
        import json
        from axon import _kernels

        target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "targets",
                              "zen4.json")
        prog = _program.Program([axon.tensor(np.ones(3, np.float32)).exp()])
        old = {k: os.environ.get(k) for k in ("AXON_THREADS", "AXON_TARGET", "XDG_CACHE_HOME")}
        import tempfile
        try:
            with tempfile.TemporaryDirectory() as tmp:
                os.environ["XDG_CACHE_HOME"] = tmp
                os.environ["AXON_TARGET"] = target
                os.environ.pop("AXON_THREADS", None)
                self.assertEqual(_kernels.synth_target(), target)
                unlimited = _kernels.kernel_name(prog)
                os.environ["AXON_THREADS"] = "1"
                one = _kernels.synth_target()
                self.assertTrue(one.startswith(tmp))
                a, b = json.load(open(target)), json.load(open(one))
                cores = [e for e in b["engines"] if e["kind"] == "core"]
                self.assertEqual([e["count"] for e in cores], [1])
                for e in a["engines"]:
                    if e["kind"] == "core":
                        e["count"] = 1
                self.assertEqual(a, b, "only the core count differs")
                self.assertEqual(_kernels.synth_target(), one, "the same copy every time")
                self.assertNotEqual(_kernels.kernel_name(prog), unlimited)
                os.environ["AXON_THREADS"] = "two"
                with self.assertRaises(axon.AxonError):
                    _kernels.synth_target()
        finally:
            for k, v in old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


class Training(unittest.TestCase):
    def test_sgd_schedule(self):
        p = nn.Parameter(np.zeros(3, np.float32))
        opt = axon.optim.SGD([p], lr=1.0, gamma=0.5, decay_every=2, min_lr=0.2)
        lrs = [opt.current_lr(t) for t in range(8)]
        self.assertEqual(lrs, [1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2])
        p.grad = axon.tensor(np.ones(3, np.float32))
        opt.step()
        np.testing.assert_allclose(p.numpy(), [-1, -1, -1])

    def test_flat_buffers_and_zero_grad(self):
        model = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2))
        opt = axon.optim.Adam(model.parameters())
        ps = list(model.parameters())
        for p in ps:
            self.assertTrue(np.shares_memory(p._value, opt.flat.value))
            self.assertEqual(p._value.ctypes.data % 64, 0, "each parameter starts 64-byte aligned")
        x = axon.tensor(np.ones((4, 3), np.float32), batch=True)
        loss = F.cross_entropy(model(x), axon.tensor(np.array([0, 1, 1, 0]), batch=True))
        loss.backward()
        for p in ps:
            self.assertTrue(np.shares_memory(p.grad._value, opt.flat.grad), "written in place")
        opt.zero_grad()
        self.assertTrue(all(p.grad is None for p in ps))

    def test_backward_is_one_program_unless_large(self):
        """backward() computes the loss and every gradient as one program; a graph of more than
        AXON_FUSE_MAX_NODES computed nodes runs as a forward and a backward program, and each
        of those in pieces of at most AXON_SPLIT_MAX_NODES nodes."""
        model = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2))
        x = axon.tensor(np.ones((4, 3), np.float32), batch=True)
        y = axon.tensor(np.array([0, 1, 1, 0]), batch=True)
        counts = {}
        keys = ("AXON_FUSE_MAX_NODES", "AXON_SPLIT_MAX_NODES")
        old = {k: os.environ.get(k) for k in keys}
        try:
            for fuse, split in (("64", "64"), ("3", "64"), ("3", "2")):
                os.environ["AXON_FUSE_MAX_NODES"], os.environ["AXON_SPLIT_MAX_NODES"] = fuse, split
                _program.trace = []
                loss = F.cross_entropy(model(x), y)
                loss.backward()
                counts[fuse, split] = [len(p.order) for p in _program.trace]
                grads = [p.grad.numpy().copy() for p in model.parameters()]
                if fuse == "64":
                    fused = (loss.item(), grads)
                else:
                    self.assertAlmostEqual(loss.item(), fused[0], places=6)
                    for a, b in zip(grads, fused[1]):
                        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
                model.zero_grad()
        finally:
            _program.trace = None
            for k, v in old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        self.assertEqual(len(counts["64", "64"]), 1, "loss and gradients in one program")
        self.assertEqual(len(counts["3", "64"]), 2, "forward and backward programs")
        self.assertEqual(counts["64", "64"][0], sum(counts["3", "64"]))
        pieces = counts["3", "2"]
        self.assertGreater(len(pieces), 4)
        self.assertLessEqual(max(pieces), 2, "no program above AXON_SPLIT_MAX_NODES")
        self.assertEqual(sum(pieces), counts["64", "64"][0], "every node computed once")

    def test_deep_mlp_splits_at_layer_boundaries(self):
        """A step too large for one program is cut at Module boundaries: with pieces of at most 8
        nodes, a 12-layer MLP runs as many programs, none of more than 8 nodes, no layer in two;
        the loss and gradients equal the one-program step's and PyTorch's."""
        sizes = [7] + [6] * 11 + [4]
        axon.manual_seed(2)
        layers = []
        for k in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[k], sizes[k + 1]))
            if k < len(sizes) - 2:
                layers.append(nn.ReLU())
        model = nn.Sequential(*layers)
        rng = np.random.default_rng(8)
        xs, ys = rng.normal(size=(5, 7)).astype(np.float32), rng.integers(0, 4, 5)

        def step(fuse, split):
            os.environ["AXON_FUSE_MAX_NODES"], os.environ["AXON_SPLIT_MAX_NODES"] = fuse, split
            _program.trace = []
            loss = F.cross_entropy(model(axon.tensor(xs, batch=True, capacity=8)),
                                   axon.tensor(ys, batch=True, capacity=8))
            loss.backward()
            progs, _program.trace = _program.trace, None
            out = loss.item(), [p.grad.numpy().copy() for p in model.parameters()]
            model.zero_grad()
            return out, progs

        keys = ("AXON_FUSE_MAX_NODES", "AXON_SPLIT_MAX_NODES", "AXON_REPLAY")
        old = {k: os.environ.get(k) for k in keys}
        try:
            os.environ["AXON_REPLAY"] = "0"
            (loss1, g1), one = step("1000", "1000")
            (loss2, g2), split = step("0", "8")
        finally:
            _program.trace = None
            for k, v in old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        self.assertEqual(len(one), 1)
        self.assertGreater(len(split), 10, "forward and backward each in several pieces")
        self.assertLessEqual(max(len(p.order) for p in split), 8)
        seen = {}
        for k, p in enumerate(split):
            for n in p.order:
                if n.layer is not None:
                    self.assertEqual(seen.setdefault((n.phase, n.layer), k), k,
                                     "a layer's nodes stay in one program")
        self.assertAlmostEqual(loss1, loss2, places=6)
        for a, b in zip(g1, g2):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
        try:
            import torch
        except ImportError:
            print("PyTorch comparison skipped: python3-torch is not installed")
            return
        ps = [torch.tensor(p.numpy(), requires_grad=True) for p in model.parameters()]
        h = torch.tensor(xs)
        for k in range(0, len(ps), 2):
            h = h @ ps[k].T + ps[k + 1]
            if k < len(ps) - 2:
                h = torch.relu(h)
        tl = torch.nn.functional.cross_entropy(h, torch.tensor(ys))
        tl.backward()
        self.assertLessEqual(abs(loss2 - tl.item()), 1e-6 * abs(tl.item()))
        for a, p in zip(g2, ps):
            np.testing.assert_allclose(a, p.grad.numpy(), rtol=0, atol=1e-5)

    def test_replayed_steps_equal_recorded_ones(self):
        """From the second step of the same graph structure on, backward() replays the first
        step's program on the new values: the losses and gradients are bit-identical to
        recording every step (AXON_REPLAY=0); a new structure, an accumulating gradient and a
        last partial batch are handled."""
        from axon import _autodiff, _kernels

        rng = np.random.default_rng(3)
        xs = rng.normal(size=(23, 6)).astype(np.float32)
        ys = rng.integers(0, 3, 23)

        def run(replay):
            os.environ["AXON_REPLAY"] = "1" if replay else "0"
            _autodiff._plans.clear()
            _kernels.stats["replays"] = 0
            axon.manual_seed(4)
            model = nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 3))
            opt = axon.optim.Adam(model.parameters(), lr=1e-2)
            out = []
            for epoch in range(2):
                for x, y in axon.datasets.DatasetIterator(xs, ys, 8):  # 8, 8, 7 rows
                    loss = F.cross_entropy(model(x), y)
                    opt.zero_grad()
                    loss.backward()
                    out.append((loss.item(), [p.grad.numpy().copy() for p in model.parameters()]))
                    opt.step()
            # Another structure (mse), then a second backward without zero_grad: accumulates.
            x = axon.tensor(xs[:8], batch=True)
            for _ in range(2):
                loss = F.mse_loss(model(x), axon.tensor(np.ones((8, 3), np.float32), batch=True))
                loss.backward()
            out.append((loss.item(), [p.grad.numpy().copy() for p in model.parameters()]))
            return out, _kernels.stats["replays"]

        old = os.environ.get("AXON_REPLAY")
        try:
            recorded, n0 = run(False)
            replayed, n1 = run(True)
        finally:
            if old is None:
                os.environ.pop("AXON_REPLAY", None)
            else:
                os.environ["AXON_REPLAY"] = old
        self.assertEqual(n0, 0)
        self.assertEqual(n1, 5, "steps 2-6 of the cross-entropy loop replay the first")
        self.assertEqual(len(recorded), len(replayed))
        for (la, ga), (lb, gb) in zip(recorded, replayed):
            self.assertEqual(la, lb)
            for a, b in zip(ga, gb):
                np.testing.assert_array_equal(a, b)

    def test_reshape_errors_and_dropout_modes(self):
        x = axon.tensor(np.ones((4, 3, 2), np.float32), batch=True, capacity=8)
        with self.assertRaises(axon.ShapeError) as e:
            x.reshape(8, 3)  # the batch dim must stay
        self.assertIn("test_api.py:", str(e.exception))
        self.assertIn("x.reshape(8, 3)", str(e.exception))
        with self.assertRaises(axon.ShapeError) as e:
            x.reshape(4, 5)
        self.assertIn("does not hold the 6 elements", str(e.exception))
        self.assertEqual(nn.Flatten()(x).shape, (4, 6))
        drop = nn.Sequential(nn.Flatten(), nn.Dropout(0.5))
        v = drop(x).numpy()
        self.assertEqual(v.shape, (4, 6))
        self.assertTrue(set(np.unique(v).tolist()) <= {0.0, 2.0}, "kept elements scaled by 2")
        self.assertGreater(int((v == 0).sum()), 0)
        drop.eval()
        np.testing.assert_array_equal(drop(x).numpy(), np.ones((4, 6), np.float32))
        a = F.dropout(x, 0.3, seed=4).numpy()
        np.testing.assert_array_equal(a, F.dropout(x, 0.3, seed=4).numpy(), "same seed, same mask")

    def test_fashion_mnist_loader(self):
        if not os.path.exists(axon.datasets.FASHION_MNIST_DIR):
            self.skipTest("dataset-fashion-mnist is not installed (scripts/setup.sh)")
        (xtr, ytr), (xte, yte) = axon.datasets.fashion_mnist()
        self.assertEqual(xtr.shape, (60000, 784))
        self.assertEqual(xte.shape, (10000, 784))
        self.assertEqual(sorted(set(ytr.tolist())), list(range(10)))
        self.assertLessEqual(float(xtr.max()), 1.0)

    def test_inspect_graph_level_names_the_python_line(self):
        x = axon.tensor(np.ones((4, 3), np.float32), batch=True, capacity=8)
        w = nn.Parameter(np.ones((2, 3), np.float32))
        y = F.relu(F.linear(x, w)).sum()
        text = axon.inspect_ir(y, axon.LoweringLevel.GRAPH)
        self.assertIn("where B", text)
        self.assertIn("sum(r0: 3)", text)
        self.assertIn("test_api.py:", text)
        self.assertIn("y = F.relu(F.linear(x, w)).sum()", text)
        from axon import _kernels
        if _kernels.synth_binary():
            index = axon.inspect_ir(y, axon.LoweringLevel.INDEX)
            self.assertIn("where B = 8", index)
            self.assertIn("t0[i, j] = sum(r0: 3) x0[i, r0] * x1[j, r0]", index)


if __name__ == "__main__":
    r = unittest.main(argv=[sys.argv[0]], verbosity=2, exit=False)
    sys.exit(0 if r.result.wasSuccessful() else 1)
