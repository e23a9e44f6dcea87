#!/usr/bin/python3
"""axon.export: a trained MLP's inference kernel, weights, predict.c and the runtime in a folder
under 2 MB; `env -i ./predict` gives outputs bit-identical to the same kernel run from Python,
and the same accuracy. Usage: test_export.py WORKDIR (PYTHONPATH, AXON_SYNTH set by ctest)."""
import os
import shutil
import subprocess
import sys
import unittest

import numpy as np

import axon
import axon.nn as nn
import axon.nn.functional as F

WORK = sys.argv[1] if len(sys.argv) > 1 else "/tmp/axon-export-test"


class Export(unittest.TestCase):
    def test_export_runs_without_python(self):
        shutil.rmtree(WORK, ignore_errors=True)
        os.makedirs(WORK)
        os.environ.setdefault("AXON_CACHE_DIR", os.path.join(WORK, "cache"))
        rng = np.random.default_rng(0)
        x = rng.uniform(-1, 1, (300, 20)).astype(np.float32)
        y = (x[:, :5].argmax(1)).astype(np.int64)
        axon.manual_seed(0)
        model = nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 5))
        opt = axon.optim.Adam(model.parameters(), lr=1e-2)
        axon.set_executor("numpy")  # train quickly; the export synthesizes its own kernel
        for _ in range(20):
            for xb, yb in axon.datasets.DatasetIterator(x, y, 100):
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
        axon.set_executor("kernels")
        out = os.path.join(WORK, "model")
        name = axon.export(model, x[:64], out)
        subprocess.run(["make", "-s", "-C", out], check=True)
        size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs
                   if f != "predict.c")
        self.assertLess(size, 2 << 20, f"the export folder is {size} bytes")
        xs = x[:50]
        xs.tofile(os.path.join(WORK, "in.f32"))
        subprocess.run(["env", "-i", os.path.join(out, "predict"), os.path.join(WORK, "in.f32"),
                        os.path.join(WORK, "out.f32")], check=True)
        got = np.fromfile(os.path.join(WORK, "out.f32"), np.float32).reshape(50, 5)
        # The same kernel from Python (the export's library), on the same padded batch.
        from axon import _kernels
        import json
        rt = _kernels.runtime_module()
        with open(os.path.join(out, "model.json")) as f:
            meta = json.load(f)
        lib = rt.open(os.path.join(out, "lib"))
        args = {meta["input"]: np.zeros((64, 20), np.float32)}
        args[meta["input"]][:50] = xs
        weights = np.fromfile(os.path.join(out, "weights.bin"), np.float32)
        off = 0
        for w in meta["weights"]:
            n = int(np.prod(w["shape"]))
            args[w["name"]] = np.ascontiguousarray(weights[off: off + n].reshape(w["shape"]))
            off += n
        ref = lib.run(name, **args)[:50]
        self.assertTrue(np.array_equal(got.view(np.uint32), ref.view(np.uint32)),
                        "predict's outputs are bit-identical to Python's")
        ps = [p.numpy().astype(np.float64) for p in model.parameters()]
        logits = np.maximum(xs @ ps[0].T + ps[1], 0) @ ps[2].T + ps[3]
        self.assertLessEqual(float(np.max(np.abs(got - logits))), 1e-4)
        self.assertEqual((got.argmax(1) == y[:50]).mean(), (logits.argmax(1) == y[:50]).mean())
        print(f"export: {size} bytes; predict matches Python bit for bit; accuracy "
              f"{(got.argmax(1) == y[:50]).mean():.2f}")


if __name__ == "__main__":
    r = unittest.main(argv=[sys.argv[0]], verbosity=2, exit=False)
    sys.exit(0 if r.result.wasSuccessful() else 1)
