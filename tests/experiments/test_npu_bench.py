#!/usr/bin/python3
"""Tests of scripts/npu_bench.py (the NPU benchmark harness, docs/npu-results.md): once against the
real axon-synth on one small program (whatever the NPU backend does today, the row is filled and
the expert baseline is the simulator's figure), and against a stand-in main job
(fake_npu_synth.py) for every path a backend can take: a winner, a winner whose reported time
sim does not re-derive, a failure, a hang, a winner faster than the fp32 ceiling over the expert.

  AXON_SYNTH=build/tools/axon-synth /usr/bin/python3 tests/experiments/test_npu_bench.py -v
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BENCH = ROOT / "scripts" / "npu_bench.py"
FAKE = pathlib.Path(__file__).resolve().parent / "fake_npu_synth.py"
REAL = os.environ.get("AXON_SYNTH", str(ROOT / "build" / "tools" / "axon-synth"))
SMALL = "experiments/suites/nkibench/rmsnorm_qkv_m128_k512_n512.tp"
SMALL_EXPERT = "sim/programs/rmsnorm_qkv_m128_k512_n512.json"


def sim_total(program):
    r = subprocess.run([REAL, "sim", program, "--isa", "targets/npu.json", "--json"], cwd=ROOT,
                       capture_output=True, text=True, check=True)
    return json.loads(r.stdout)["total_ns"]


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="npu_bench_test_"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def bench(self, *args, fake=None, program=None, timeout=None):
        env = dict(os.environ)
        binary = REAL
        if fake:
            env.update(NPU_BENCH_REAL=REAL, FAKE_MODE=fake, FAKE_PROGRAM=str(ROOT / (program or SMALL_EXPERT)))
            binary = str(FAKE)
        cmd = ["/usr/bin/python3", str(BENCH), "--bin", binary, "--out", str(self.tmp / "out"),
               "--work", str(self.tmp / "work")] + (["--timeout", str(timeout)] if timeout else []) + list(args)
        r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        rows = []
        if (self.tmp / "out" / "results.jsonl").exists():
            rows = [json.loads(l) for l in (self.tmp / "out" / "results.jsonl").read_text().splitlines()]
        return r, rows


class RealBinary(Base):
    def test_small_program_fills_its_row(self):
        # A short time budget keeps the test quick once the NPU backend synthesizes for real.
        r, rows = self.bench(SMALL, "--time-budget", "3")
        self.assertIn(r.returncode, (0, 1), r.stderr)
        self.assertEqual(len(rows), 1)
        row = rows[0]
        self.assertEqual(row["kernel"], "nkibench/rmsnorm_qkv_m128_k512_n512")
        self.assertEqual(row["clock"], "simulated")
        self.assertEqual(row["class"], "multi-op")
        self.assertEqual(row["dims"], {"M": 128, "N": 512, "K": 512})
        # b3: the expert at this shape, the simulator's own figure.
        self.assertEqual(row["expert"]["program"], SMALL_EXPERT)
        self.assertEqual(row["expert"]["total_ns"], sim_total(SMALL_EXPERT))
        self.assertIsNone(row["compiler"]["program"])
        s = row["synthesis"]
        if s["status"] == "ok":  # the NPU backend is in: the winner is re-derived by sim
            self.assertTrue(row["winner"]["rederived_equal"], row["winner"])
            self.assertEqual(r.returncode, 0, row.get("failures"))
        else:  # not yet: the tool's exact message
            self.assertEqual(s["status"], "failed")
            self.assertTrue(s["message"])
            self.assertEqual(r.returncode, 0, r.stderr)
        md = (self.tmp / "out" / "results.md").read_text()
        self.assertIn("simulated", md)
        self.assertIn("#### nkibench/rmsnorm_qkv_m128_k512_n512", md)

    def test_replica_needs_the_same_math_and_shape(self):
        r, rows = self.bench("--dry-run", "experiments/suites/nkibench/rmsnorm_matmul.tp",
                             "experiments/suites/nkibench/rmsnorm_matmul_nkibench.tp", "experiments/suites/ops/matmul.tp")
        self.assertEqual(r.returncode, 0, r.stderr)
        by = {row["kernel"]: row for row in rows}
        self.assertIsNone(by["nkibench/rmsnorm_matmul"]["compiler"]["program"])
        self.assertIn("rmsnorm_matmul_nkibench.tp", by["nkibench/rmsnorm_matmul"]["compiler"]["why_not"])
        self.assertEqual(by["nkibench/rmsnorm_matmul"]["expert"]["program"], "sim/programs/rmsnorm_qkv.json")
        self.assertEqual(by["nkibench/rmsnorm_matmul_nkibench"]["compiler"]["program"], "sim/programs/nki_rmsnorm_matmul.json")
        self.assertIn("f32[2048, 2048]", by["ops/matmul"]["compiler"]["why_not"])
        self.assertEqual(by["ops/matmul"]["class"], "single-op")

    def test_bad_program_is_usage_error(self):
        r, _ = self.bench("experiments/suites/nkibench/no_such.tp")
        self.assertEqual(r.returncode, 2)
        self.assertIn("no_such.tp: not a .tp file", r.stderr)


class Signature(Base):
    def test_inout_and_scalar_tensors_match_the_npu_programs(self):
        # adamw.tp: inouts (an NPU program writes `p@1`) and scalar inputs (one element there).
        sys.path.insert(0, str(ROOT / "scripts"))
        import npu_bench
        sig = npu_bench.signature(REAL, "experiments/suites/nkibench/adamw.tp")
        self.assertEqual(sig["tensors"]["p@1"], ("output", "f32", [10944, 2048]))
        self.assertEqual(sig["tensors"]["lr"], ("input", "f32", []))
        tensors = [{"name": n, "kind": k, "dtype": d, "shape": sh or [1]} for n, (k, d, sh) in sig["tensors"].items()]
        prog = self.tmp / "p.json"
        prog.write_text(json.dumps({"tensors": tensors + [{"name": "_t1", "kind": "scratch", "dtype": "f32", "shape": [4]}]}))
        self.assertEqual(npu_bench.signature_difference(sig, prog), "")
        tensors[0]["shape"] = [10944, 2047]
        prog.write_text(json.dumps({"tensors": tensors}))
        self.assertIn("f32[10944, 2047]", npu_bench.signature_difference(sig, prog))


class FakeBackend(Base):
    def test_winner_fills_every_column(self):
        r, rows = self.bench(SMALL, fake="ok")
        self.assertEqual(r.returncode, 0, r.stderr)
        row = rows[0]
        total = sim_total(SMALL_EXPERT)
        self.assertTrue(row["winner"]["rederived_equal"])
        self.assertEqual(row["winner"]["sim"]["total_ns"], total)
        self.assertEqual(row["winner"]["sim"]["audit_mismatches"], 0)
        self.assertAlmostEqual(row["speedups"]["per_op"], 2.0)
        self.assertAlmostEqual(row["speedups"]["expert"], 1.0)  # the stand-in's winner is the expert
        self.assertAlmostEqual(row["speedups"]["unfused"], 1.5)
        self.assertTrue(row["unfused"]["source"].startswith("fastest measured candidate that fuses nothing"))
        self.assertEqual(row["check_dims"], [{"M": 3, "N": 5, "K": 7}, {"M": 4, "N": 6, "K": 8}])
        self.assertEqual(row["max_scaled_error"], 0.001)
        ag = json.loads((self.tmp / "out" / "aggregates.json").read_text())
        self.assertEqual(ag["synthesized"], 1)
        self.assertAlmostEqual(ag["multi-op over per_op"]["geomean"], 2.0)
        self.assertEqual(ag["multi-op over compiler"]["kernels"], 0)
        md = (self.tmp / "out" / "results.md").read_text()
        self.assertIn("re-derived by `sim`: equal", md)
        self.assertIn("M 3, N 5, K 7; M 4, N 6, K 8", md)
        self.assertEqual(ag["missing"]["count"], 0)

    def test_render_rewrites_the_same_tables_from_the_results(self):
        r, _ = self.bench(SMALL, fake="ok")
        self.assertEqual(r.returncode, 0, r.stderr)
        md = (self.tmp / "out" / "results.md").read_text()
        (self.tmp / "out" / "results.md").unlink()
        r, _ = self.bench("--render", fake="ok")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual((self.tmp / "out" / "results.md").read_text(), md)

    def test_resume_keeps_the_rows_of_a_stopped_run(self):
        r, rows = self.bench(SMALL, fake="ok")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse((self.tmp / "out" / "results.partial.jsonl").exists())  # a finished run removes it
        (self.tmp / "out" / "results.partial.jsonl").write_text(json.dumps(rows[0]) + "\n")
        r, again = self.bench(SMALL, "--resume", fake="fail")  # would fail if it ran again
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(again[0]["synthesis"]["status"], "ok")
        self.assertIn("kept from", r.stderr)
        r, again = self.bench(SMALL, fake="fail")  # without --resume: run again
        self.assertEqual(again[0]["synthesis"]["status"], "failed")

    def test_unrederived_time_fails_the_run(self):
        r, rows = self.bench(SMALL, fake="wrong_time")
        self.assertEqual(r.returncode, 1)
        self.assertFalse(rows[0]["winner"]["rederived_equal"])
        self.assertIn("differs from the re-derived", " ".join(rows[0]["failures"]))

    def test_failure_keeps_the_exact_message(self):
        r, rows = self.bench(SMALL, fake="fail")
        self.assertEqual(r.returncode, 0, r.stderr)
        s = rows[0]["synthesis"]
        self.assertEqual((s["status"], s["exit"]), ("failed", 2))
        self.assertIn("error: no lowering for rope on targets/npu.json (fake)", s["message"])
        self.assertNotIn("winner", rows[0])
        self.assertIn("no lowering for rope", (self.tmp / "out" / "results.md").read_text())

    def test_no_valid_candidate_gives_the_candidates_reasons(self):
        r, rows = self.bench(SMALL, fake="no_candidate")
        self.assertEqual(r.returncode, 0, r.stderr)
        s = rows[0]["synthesis"]
        self.assertEqual((s["status"], s["exit"]), ("failed", 3))
        self.assertIn("no valid candidate (exit 3): 0 candidates ranked, 1 compile failures", s["message"])
        self.assertIn("illegal NPU plan: no lowering (fake)", s["message"])

    def test_hang_is_stopped_by_the_timeout(self):
        r, rows = self.bench(SMALL, fake="hang", timeout=2)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(rows[0]["synthesis"]["status"], "timed out")

    def test_winner_above_the_fp32_ceiling_fails_the_run(self):
        # A "winner" for rmsnorm_matmul at 4096 x 1024 x 2048 that is really the 128 x 512 x 512
        # program: far faster than the expert allows, and not this program.
        r, rows = self.bench("experiments/suites/nkibench/rmsnorm_matmul.tp", fake="ok", program=SMALL_EXPERT)
        self.assertEqual(r.returncode, 1)
        fails = " ".join(rows[0]["failures"])
        self.assertIn("above the fp32 tensor-bound ceiling", fails)
        self.assertIn("not this program", fails)
        c = rows[0]["ceiling"]
        self.assertAlmostEqual(c["ceiling"], sim_total("sim/programs/rmsnorm_qkv.json") / c["expert_tensor_bound_ns"])
        self.assertGreater(c["ceiling"], 1.0)

    def test_update_doc_rewrites_only_between_the_markers(self):
        docs = self.tmp / "docs"
        docs.mkdir()
        for d in ("PERFORMANCE.md", "npu-results.md"):
            shutil.copyfile(ROOT / "docs" / d, docs / d)
        r, _ = self.bench(SMALL, "--update-doc", "--docs", str(docs), fake="ok")
        self.assertEqual(r.returncode, 0, r.stderr)
        for d in ("PERFORMANCE.md", "npu-results.md"):
            before, after = (ROOT / "docs" / d).read_text(), (docs / d).read_text()
            begin, end = "<!-- npu_bench:begin", "<!-- npu_bench:end -->"
            self.assertEqual(before.split(begin)[0], after.split(begin)[0], d)
            self.assertEqual(before.split(end)[1], after.split(end)[1], d)
            self.assertIn("nkibench/rmsnorm_qkv_m128_k512_n512", after.split(begin)[1].split(end)[0])
        (docs / "npu-results.md").write_text("no markers\n")
        r, _ = self.bench(SMALL, "--update-doc", "--docs", str(docs), fake="ok")
        self.assertEqual(r.returncode, 2)
        self.assertIn("markers", r.stderr)


if __name__ == "__main__":
    unittest.main()
