#!/usr/bin/python3
"""The runtime's Python binding passes f16 (numpy float16) and bf16 (the bits as a uint16 view)
arrays: a kernel with f16 and bf16 inputs and outputs, synthesized here into a fresh library.
Usage: test_runtime_dtypes.py AXON_SYNTH TARGET_JSON WORKDIR (PYTHONPATH=build/python)."""
import os
import shutil
import subprocess
import sys
import unittest

import numpy as np

import axon_runtime

SYNTH, TARGET, WORK = sys.argv[1:4]

PROGRAM = """where N = 64
input a: f16[N]
input b: bf16[N]
output y: f16[N] = a * 2.0
output z: bf16[N] = b + 1.0
"""


def bf16_bits(x):
    """float32 -> bf16 bits (round to nearest even) as uint16."""
    u = x.astype(np.float32).view(np.uint32)
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)


def bf16_value(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32)


class Dtypes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(WORK, ignore_errors=True)
        os.makedirs(WORK)
        tp = os.path.join(WORK, "halves.tp")
        with open(tp, "w") as f:
            f.write(PROGRAM)
        r = subprocess.run([SYNTH, "--isa", TARGET, tp, "--time-budget", "2", "-o",
                            os.path.join(WORK, "out"), f"--library={WORK}/lib"],
                           capture_output=True, text=True,
                           env={**os.environ, "AXON_CACHE_DIR": os.path.join(WORK, "cache")})
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        cls.lib = axon_runtime.open(os.path.join(WORK, "lib"))

    def test_f16_and_bf16(self):
        a = np.linspace(-2, 2, 64).astype(np.float16)
        b = bf16_bits(np.linspace(-3, 3, 64))
        out = self.lib.run("halves", a=a, b=b)
        self.assertEqual(out["y"].dtype, np.float16)
        self.assertEqual(out["z"].dtype, np.uint16)
        self.assertTrue(np.array_equal(out["y"], a * np.float16(2)))
        want = bf16_value(bf16_bits(bf16_value(b) + 1))
        self.assertLessEqual(float(np.max(np.abs(bf16_value(out["z"]) - want))), 1e-6)
        self.assertEqual(out["y"].ctypes.data % 64, 0)

    def test_wrong_dtypes_are_refused(self):
        a = np.zeros(64, np.float16)
        b = np.zeros(64, np.uint16)
        for kw, msg in [(dict(a=a.astype(np.float32), b=b), "takes f16[64] (numpy float16), got float32[64]"),
                        (dict(a=a, b=b.astype(np.int16)), "takes bf16[64] (numpy uint16), got int16[64]"),
                        (dict(a=a, b=b.astype(np.float16)), "got float16[64]")]:
            with self.assertRaises(axon_runtime.Error) as cm:
                self.lib.run("halves", **kw)
            self.assertIn(msg, str(cm.exception))
            self.assertEqual(cm.exception.code, "signature_mismatch")


if __name__ == "__main__":
    r = unittest.main(argv=[sys.argv[0]], verbosity=2, exit=False)
    sys.exit(0 if r.result.wasSuccessful() else 1)
