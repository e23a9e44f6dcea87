#!/usr/bin/python3
"""The Python binding (axon_runtime) on the fixture library: results against numpy, outputs
allocated or passed in, inout arrays updated in place, each error with its code, threads.
Usage: test_python.py LIB (with PYTHONPATH pointing at build/python)."""
import json
import os
import shutil
import sys
import tempfile
import threading
import unittest

import numpy as np

import axon_runtime

LIB = sys.argv[1] if len(sys.argv) > 1 else "axon-lib"


def rmsnorm_matmul_ref(x, g, w):
    xd = x.astype(np.float64)
    return (xd / np.sqrt(np.mean(xd * xd, axis=1, keepdims=True) + 1e-6) * g) @ w


def close(y, ref, atol=1e-4, rtol=1e-3):
    return float(np.max(np.abs(y - ref) / (atol + rtol * np.abs(ref)))) <= 1


class PythonRuntime(unittest.TestCase):
    def setUp(self):
        self.lib = axon_runtime.open(LIB)
        rng = np.random.default_rng(3)
        self.x = rng.uniform(-1, 1, (64, 32)).astype(np.float32)
        self.g = rng.uniform(-1, 1, 32).astype(np.float32)
        self.w = rng.uniform(-1, 1, (32, 48)).astype(np.float32)

    def test_lists_kernels(self):
        names = sorted(k["name"] for k in self.lib.kernels())
        self.assertEqual(names, ["adamw", "add", "rmsnorm_matmul"])
        k = next(k for k in self.lib.kernels() if k["name"] == "rmsnorm_matmul")
        self.assertEqual([a["name"] for a in k["arguments"]], ["x", "g", "w", "y"])
        self.assertEqual(k["arguments"][3]["role"], "output")
        self.assertEqual(k["arguments"][0]["shape"], (64, 32))

    def test_rmsnorm_matmul_matches_numpy(self):
        y = self.lib.run("rmsnorm_matmul", x=self.x, g=self.g, w=self.w)
        self.assertEqual(y.shape, (64, 48))
        self.assertEqual(y.dtype, np.float32)
        self.assertTrue(y.flags["C_CONTIGUOUS"] and y.flags["WRITEABLE"])
        self.assertEqual(y.ctypes.data % 64, 0, "outputs the runtime allocates are 64-byte aligned")
        self.assertTrue(close(y, rmsnorm_matmul_ref(self.x, self.g, self.w)))

    def test_output_passed_in_is_written(self):
        y = np.zeros((64, 48), np.float32)
        out = self.lib.run("rmsnorm_matmul", x=self.x, g=self.g, w=self.w, y=y)
        self.assertIs(out, y)
        self.assertTrue(close(y, rmsnorm_matmul_ref(self.x, self.g, self.w)))

    def test_adamw_updates_in_place(self):
        rng = np.random.default_rng(5)
        p, m, v, g = (rng.uniform(0.5, 1, (16, 40)).astype(np.float32) for _ in range(4))
        hp = {k: np.float32(val) for k, val in
              dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, wd=0.01, bc1=0.1, bc2=0.001).items()}
        # Rank-0 inputs as 0-d arrays and as numpy scalars of the same dtype.
        scalars = {k: (np.array(val, dtype=np.float32) if k < "c" else val) for k, val in hp.items()}
        p0, m0, v0 = p.copy(), m.copy(), v.copy()
        out = self.lib.run("adamw", p=p, m=m, v=v, g=g, **scalars)
        self.assertIsNone(out)
        m_ref = 0.9 * m0.astype(np.float64) + 0.1 * g
        v_ref = 0.999 * v0.astype(np.float64) + 0.001 * g.astype(np.float64) ** 2
        p_ref = p0 * (1 - 1e-3 * 0.01) - 1e-3 * (m_ref / 0.1) / (np.sqrt(v_ref / 0.001) + 1e-8)
        self.assertTrue(close(m, m_ref, 1e-5, 1e-4))
        self.assertTrue(close(v, v_ref, 1e-5, 1e-4))
        self.assertTrue(close(p, p_ref, 1e-5, 1e-4))

    def test_rank0_inputs_keep_their_dtype(self):
        t = {k: np.ones((16, 40), np.float32) for k in "pmvg"}
        hp = {k: np.float32(0.5) for k in ["lr", "beta1", "beta2", "eps", "wd", "bc1", "bc2"]}
        self.assertIsNone(self.lib.run("adamw", **t, **hp))
        for bad, got in [(np.float64(0.1), "got float64[]"), (0.1, "must be a numpy array")]:
            with self.assertRaises(axon_runtime.Error) as cm:
                self.lib.run("adamw", **t, **{**hp, "lr": bad})
            self.assertIn("argument 'lr'", str(cm.exception))
            self.assertIn(got, str(cm.exception))

    def test_errors_have_codes_and_messages(self):
        def error(**kw):
            with self.assertRaises(axon_runtime.Error) as cm:
                self.lib.run("rmsnorm_matmul", **kw)
            return cm.exception

        e = error(x=self.x[:, :31].copy(), g=self.g, w=self.w)
        self.assertEqual(e.code, "signature_mismatch")
        self.assertIn("argument 'x': the kernel takes f32[64, 32] (numpy float32), got float32[64, 31]", str(e))
        e = error(x=self.x.astype(np.float64), g=self.g, w=self.w)
        self.assertIn("got float64[64, 32]", str(e))
        e = error(x=self.x, w=self.w)
        self.assertIn("argument 'g' (f32[32], input) is missing", str(e))
        e = error(x=self.x, g=self.g, w=self.w, z=self.w)
        self.assertIn("no argument 'z'", str(e))
        e = error(x=self.x.tolist(), g=self.g, w=self.w)
        self.assertIn("must be a numpy array", str(e))
        e = error(x=np.asfortranarray(self.x), g=self.g, w=self.w)
        self.assertEqual(e.code, "bad_argument")
        self.assertIn("C-contiguous", str(e))
        big = np.zeros((64 * 48,), np.float32)
        e = error(x=big[:64 * 32].reshape(64, 32), g=self.g, w=self.w, y=big.reshape(64, 48))
        self.assertEqual(e.code, "bad_argument")
        self.assertIn("argument 'y' (output) overlaps argument 'x'", str(e))
        with self.assertRaises(axon_runtime.Error) as cm:
            self.lib.run("softmax", x=self.x)
        self.assertEqual(cm.exception.code, "not_found")
        self.assertIn("no kernel named 'softmax'", str(cm.exception))
        with self.assertRaises(axon_runtime.Error) as cm:
            axon_runtime.open("/nonexistent/lib")
        self.assertEqual(cm.exception.code, "io")
        self.assertIsInstance(cm.exception, RuntimeError)

    def test_name_is_positional(self):
        # A kernel argument may be called "name": the kernel's name is the positional argument.
        with self.assertRaises(axon_runtime.Error) as cm:
            self.lib.run("add", name=self.x)
        self.assertIn("argument 'a' (f32[1, 8], input) is missing", str(cm.exception))
        with self.assertRaises(TypeError):
            self.lib.run(x=self.x)

    def test_threads(self):
        ref = self.lib.run("rmsnorm_matmul", x=self.x, g=self.g, w=self.w)
        bad = []

        def work():
            for _ in range(100):
                y = self.lib.run("rmsnorm_matmul", x=self.x, g=self.g, w=self.w)
                if not np.array_equal(y, ref):
                    bad.append(1)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(bad, [])

    def test_masked_arrays_are_refused(self):
        # The kernel cannot honour a mask; ignoring it silently would compute on masked-out data.
        xm = np.ma.masked_array(self.x, mask=self.x > 0.5)
        with self.assertRaises(axon_runtime.Error) as cm:
            self.lib.run("rmsnorm_matmul", x=xm, g=self.g, w=self.w)
        self.assertEqual(cm.exception.code, "bad_argument")
        self.assertIn("argument 'x' is a numpy masked array", str(cm.exception))

    def test_cpu_feature_failure_is_reported_as_such(self):
        # A copy of the library whose rmsnorm_matmul entry needs a CPU feature this CPU lacks
        # (or that the runtime cannot check): the code is cpu_feature, not signature_mismatch.
        lacking = next((f for f in ("xop", "fma4", "sse4a", "avx512fp16", "avx512bf16")
                        if axon_runtime.cpu_supports(f) == 0), "no-such-feature")
        with tempfile.TemporaryDirectory() as tmp:
            lib = os.path.join(tmp, "lib")
            shutil.copytree(LIB, lib)
            with open(os.path.join(lib, "manifest.json")) as f:
                m = json.load(f)
            for e in m["kernels"]:
                if e["name"] == "rmsnorm_matmul":
                    e["target"]["cpu_features"].append(lacking)
            with open(os.path.join(lib, "manifest.json"), "w") as f:
                json.dump(m, f)
            with self.assertRaises(axon_runtime.Error) as cm:
                axon_runtime.open(lib).run("rmsnorm_matmul", x=self.x, g=self.g, w=self.w)
            self.assertEqual(cm.exception.code, "cpu_feature")
            self.assertIn(lacking, str(cm.exception))

    def test_backend_without_a_loader_is_reported_as_such(self):
        # A copy of the library whose rmsnorm_matmul entry is of a backend this runtime has no
        # loader for: the code is no_loader, and the message names the backend and the kernel.
        with tempfile.TemporaryDirectory() as tmp:
            lib = os.path.join(tmp, "lib")
            shutil.copytree(LIB, lib)
            with open(os.path.join(lib, "manifest.json")) as f:
                m = json.load(f)
            for e in m["kernels"]:
                if e["name"] == "rmsnorm_matmul":
                    e["backend"] = "cuda"
                    kid = e["id"]
            with open(os.path.join(lib, "manifest.json"), "w") as f:
                json.dump(m, f)
            opened = axon_runtime.open(lib)
            self.assertEqual({k["name"]: k["backend"] for k in opened.kernels()}["rmsnorm_matmul"],
                             "cuda")
            with self.assertRaises(axon_runtime.Error) as cm:
                opened.run("rmsnorm_matmul", x=self.x, g=self.g, w=self.w)
            self.assertEqual(cm.exception.code, "no_loader")
            self.assertIn("no loader for backend cuda (kernel %s)" % kid, str(cm.exception))

    def test_npu_program_has_no_device(self):
        # A copy of the library whose rmsnorm_matmul entry is an NPU program (backend sim): the
        # runtime refuses it before reading its object (removed here), with code no_device and
        # the runtime's message.
        with tempfile.TemporaryDirectory() as tmp:
            lib = os.path.join(tmp, "lib")
            shutil.copytree(LIB, lib)
            with open(os.path.join(lib, "manifest.json")) as f:
                m = json.load(f)
            for e in m["kernels"]:
                if e["name"] == "rmsnorm_matmul":
                    e["backend"] = "sim"
                    e["object"]["kind"] = "npu_program"
                    os.remove(os.path.join(lib, e["object"]["path"]))
                    kid = e["id"]
            with open(os.path.join(lib, "manifest.json"), "w") as f:
                json.dump(m, f)
            with self.assertRaises(axon_runtime.Error) as cm:
                axon_runtime.open(lib).run("rmsnorm_matmul", x=self.x, g=self.g, w=self.w)
            self.assertEqual(cm.exception.code, "no_device")
            self.assertTrue(str(cm.exception).startswith(
                "simulated target: no device (kernel %s is an npu_program" % kid), str(cm.exception))

    def test_cpu_supports(self):
        self.assertEqual(axon_runtime.cpu_supports("no-such-feature"), -1)
        self.assertIn(axon_runtime.cpu_supports("avx2"), (0, 1))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
