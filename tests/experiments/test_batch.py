#!/usr/bin/python3
"""Tests of experiments/batch.py. Every class but MeasureLockE2E runs against a fake axon-synth
(fake_axon_synth.py); ctest runs one class per test (tests/experiments/CMakeLists.txt):

  /usr/bin/python3 tests/experiments/test_batch.py Plan -v
"""
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BATCH = ROOT / "experiments" / "batch.py"
FAKE = pathlib.Path(__file__).resolve().parent / "fake_axon_synth.py"
PY = "/usr/bin/python3"

# Fields of a result that differ between two runs of the same job (where, when, how long).
VOLATILE = {"host", "machine", "worker", "started", "started_utc", "finished", "finished_utc", "seconds",
            "loadavg_start", "cmd"}


def normalized(results_jsonl):
    out = []
    for line in pathlib.Path(results_jsonl).read_text().splitlines():
        row = json.loads(line)
        row["result"] = {k: v for k, v in row["result"].items() if k not in VOLATILE}
        out.append(row)
    return out


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="axon_batch_test_"))
        self.log = self.tmp / "fake.log"
        self.env = dict(os.environ, FAKE_AXON_LOG=str(self.log))
        self.env.pop("AXON_SYNTH", None)
        self.lock = self.tmp / "measure.lock"
        (self.tmp / "t1.json").write_text('{"name": "t1", "backends": ["llvm"]}\n')
        (self.tmp / "t2.json").write_text('{"name": "t2", "backends": ["llvm"]}\n')

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def programs(self, suite, texts):
        d = self.tmp / suite
        d.mkdir(exist_ok=True)
        for name, body in texts.items():
            (d / f"{name}.tp").write_text(f"# {suite}/{name}\n{body}\nwhere N = 8\n")
        return d

    def plan(self, matrix, name="t", timing=True, path=None, **extra):
        p = path or self.tmp / f"{name}.json"
        p.write_text(json.dumps({"name": name, "timing": timing, "matrix": matrix, **extra}))
        return p

    def batch(self, *args, check=True, env=None, timeout=300):
        p = subprocess.run([PY, str(BATCH), *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                           env=env or self.env, timeout=timeout)
        if check and p.returncode != 0:
            self.fail(f"batch.py {' '.join(map(str, args))} exited {p.returncode}:\n{p.stdout}\n{p.stderr}")
        return p

    def jobs(self, run):
        return [json.loads(l) for l in (pathlib.Path(run) / "jobs.jsonl").read_text().splitlines()]

    def ids_by_label(self, run):
        return {(j["suite"], j["name"], j["target"].split("/")[-1], j["options"]["name"], j["seed"]): j["id"]
                for j in self.jobs(run)}

    def starts(self):
        """ident -> how many times the fake main job started."""
        n = {}
        if self.log.exists():
            for line in self.log.read_text().splitlines():
                what, ident, _ = line.split()
                if what == "start":
                    n[ident] = n.get(ident, 0) + 1
        return n

    def results(self, run):
        return {f.stem: json.loads(f.read_text()) for f in (pathlib.Path(run) / "results").glob("*.json")}


class Plan(Base):
    def matrix(self, reverse=False):
        a = self.programs("suiteA", {"p0": "x", "p1": "y", "p2": "z"})
        b = self.programs("suiteB", {"q0": "u", "q1": "v"})
        m = {"programs": [str(a), str(b)], "targets": [str(self.tmp / "t1.json"), str(self.tmp / "t2.json")],
             "options": [[], {"name": "budget", "args": ["--time-budget", "5"]}], "seeds": [1, 2]}
        if reverse:
            m = {k: list(reversed(v)) for k, v in m.items()}
        return m

    def test_expands_the_whole_matrix(self):
        run = self.tmp / "run"
        p = self.batch("plan", self.plan(self.matrix()), "-o", run, "--bin", FAKE)
        jobs = self.jobs(run)
        self.assertEqual(len(jobs), 5 * 2 * 2 * 2, p.stdout)
        self.assertEqual(len({j["id"] for j in jobs}), 40)
        self.assertEqual({j["suite"] for j in jobs}, {"suiteA", "suiteB"})
        self.assertEqual({j["options"]["name"] for j in jobs}, {"default", "budget"})
        self.assertTrue(all(re.fullmatch(r"[0-9a-f]{20}", j["id"]) for j in jobs))

    def test_ids_are_stable_under_reordering_and_extension(self):
        a, b = self.tmp / "a", self.tmp / "b"
        self.batch("plan", self.plan(self.matrix(), name="x"), "-o", a, "--bin", FAKE)
        self.batch("plan", self.plan(self.matrix(reverse=True), name="x", path=self.tmp / "r.json"), "-o", b, "--bin", FAKE)
        self.assertEqual(self.ids_by_label(a), self.ids_by_label(b))
        self.assertNotEqual([j["id"] for j in self.jobs(a)], [j["id"] for j in self.jobs(b)])  # the order did change
        # Extended: another seed and another matrix; every earlier job keeps its id.
        m = self.matrix()
        m["seeds"].append(3)
        c = self.tmp / "c"
        self.batch("plan", self.plan([{"programs": [str(self.tmp / "suiteB" / "q0.tp")], "targets": m["targets"]}, m],
                                     name="x", path=self.tmp / "e.json"), "-o", c, "--bin", FAKE)
        old, new = self.ids_by_label(a), self.ids_by_label(c)
        for k, v in old.items():
            self.assertEqual(new[k], v, k)
        self.assertEqual(len(new), 60)  # the added matrix repeats one job of the first
        self.assertEqual(len(self.jobs(c)), 62)

    def test_ids_follow_the_content(self):
        a = self.tmp / "a"
        plan = self.plan(self.matrix())
        self.batch("plan", plan, "-o", a, "--bin", FAKE)
        before = self.ids_by_label(a)
        # The program's text, the target's content (not its formatting), the version.
        (self.tmp / "suiteA" / "p1.tp").write_text("# changed\n")
        t1 = self.tmp / "t1.json"
        t1.write_text(json.dumps(json.loads(t1.read_text()), indent=4))
        self.batch("plan", plan, "-o", a, "--bin", FAKE)
        after = self.ids_by_label(a)
        changed = {k for k in before if before[k] != after[k]}
        self.assertEqual({k[1] for k in changed}, {"p1"})
        self.assertEqual(len(changed), 8)
        t1.write_text('{"name": "t1", "backends": ["llvm"], "clock_ghz": 3}')
        self.batch("plan", plan, "-o", a, "--bin", FAKE)
        self.assertEqual({k[2] for k, v in self.ids_by_label(a).items() if after[k] != v}, {"t1.json"})
        env = dict(self.env, FAKE_AXON_VERSION="axon-synth 0.0-fake-2")
        self.batch("plan", plan, "-o", a, "--bin", FAKE, env=env)
        self.assertFalse(set(self.ids_by_label(a).values()) & set(after.values()))

    def test_bad_plans_name_the_place(self):
        m = self.matrix()
        m["baselines"] = ["op-by-op", "tensorflow"]
        p = self.batch("plan", self.plan(m), "-o", self.tmp / "r", "--bin", FAKE, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("/matrix/baselines/1: unknown baseline 'tensorflow'", p.stderr)
        m = self.matrix()
        m["programs"].append("no/such/folder")
        p = self.batch("plan", self.plan(m), "-o", self.tmp / "r", "--bin", FAKE, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("/matrix/programs/2/path: no/such/folder: neither a suite folder nor a .tp file", p.stderr)
        m = self.matrix()
        m["options"] = [["-o", "x"]]
        p = self.batch("plan", self.plan(m), "-o", self.tmp / "r", "--bin", FAKE, check=False)
        self.assertIn("/matrix/options/0: -o is set by the batch tool", p.stderr)
        bad = self.tmp / "bad.json"
        bad.write_text('{"name": "x",\n "matrix": [}')
        p = self.batch("plan", bad, "-o", self.tmp / "r", "--bin", FAKE, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertRegex(p.stderr, r"bad\.json:2:\d+: not JSON")
        p = self.batch("plan", self.plan(self.matrix()), "-o", self.tmp / "r", "--bin", self.tmp / "nope", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("cannot run axon-synth", p.stderr)


class Resume(Base):
    def test_a_killed_worker_is_resumed_with_exactly_the_unfinished_jobs(self):
        hold = self.tmp / "hold"
        hold.write_text("")
        d = self.programs("s", {f"p{i}": "# fake: sleep 0.2" if i != 2 else f"# fake: hold {hold}" for i in range(6)})
        run = self.tmp / "run"
        self.batch("plan", self.plan({"programs": [str(d)], "targets": [str(self.tmp / "t1.json")]}), "-o", run, "--bin", FAKE)
        order = [j["name"] for j in self.jobs(run)]
        self.assertEqual(order, [f"p{i}" for i in range(6)])
        w = subprocess.Popen([PY, str(BATCH), "worker", str(run), "-j", "1", "--measure-lock", str(self.lock)],
                             cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 120
        while "p2::1" not in self.starts() and time.time() < deadline:
            time.sleep(0.05)
        self.assertIn("p2::1", self.starts())
        pid = int([l for l in self.log.read_text().splitlines() if l.startswith("start p2")][0].split()[2])
        w.send_signal(signal.SIGKILL)
        w.wait()
        # The killed worker's main job dies with it (no orphan writing into the run folder).
        deadline = time.time() + 10
        while time.time() < deadline and os.path.exists(f"/proc/{pid}") and "Z" not in (
                pathlib.Path(f"/proc/{pid}/stat").read_text().split()[2] if os.path.exists(f"/proc/{pid}/stat") else "Z"):
            time.sleep(0.05)
        self.assertFalse(os.path.exists(f"/proc/{pid}") and pathlib.Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z",
                         "the main job outlived its killed worker")
        done = {r["job"]["name"] for r in self.results(run).values()}
        self.assertEqual(done, {"p0", "p1"})
        st = self.batch("status", run, check=False)
        self.assertEqual(st.returncode, 3)
        self.assertIn("2 ok, 0 failed, 0 not available, 0 running, 4 missing", st.stdout)
        hold.unlink()
        self.batch("worker", run, "-j", "2", "--measure-lock", self.lock)
        self.assertEqual(self.starts(), {"p0::1": 1, "p1::1": 1, "p2::1": 2, "p3::1": 1, "p4::1": 1, "p5::1": 1})
        self.assertEqual(len(self.results(run)), 6)
        self.assertTrue(all(r["status"] == "ok" for r in self.results(run).values()))
        # Everything done: the same command runs nothing.
        self.batch("run", run)
        self.assertEqual(sum(self.starts().values()), 7)

    def test_failures_retry_failed_and_force(self):
        d = self.programs("s", {"ok": "", "bad": "# fake: exit 3", "flaky": f"# fake: fail-once {self.tmp / 'flaked'}"})
        npu = self.tmp / "npu.json"
        npu.write_text('{"name": "npu", "backends": ["npu"]}')
        self.programs("n", {"unsupported": "# fake: exit 2"})
        plan = self.plan([{"programs": [str(d)], "targets": [str(self.tmp / "t1.json")]},
                          {"programs": [str(self.tmp / "n")], "targets": [str(npu)]}])
        run = self.tmp / "run"
        p = self.batch("run", plan, "-o", run, "--bin", FAKE, "--measure-lock", self.lock, check=False)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        res = {r["job"]["name"]: r for r in self.results(run).values()}
        self.assertEqual(res["ok"]["status"], "ok")
        self.assertEqual((res["bad"]["status"], res["bad"]["exit"]), ("failed", 3))
        self.assertIn("s/bad.tp: error: fake failure", res["bad"]["log_tail"][-1])
        self.assertEqual(res["flaky"]["status"], "failed")
        self.assertEqual(res["unsupported"]["status"], "not available")
        self.assertIn("not available yet", res["unsupported"]["why"])
        # The timing plan's main jobs got the measuring lock.
        self.assertEqual(res["ok"]["cmd"][-2:], ["--measure-lock", str(self.lock)])
        self.batch("run", plan, "-o", run, "--bin", FAKE, check=False)
        self.assertEqual(self.starts(), {"ok::1": 1, "bad::1": 1, "flaky::1": 1, "unsupported::1": 1})
        self.batch("run", plan, "-o", run, "--bin", FAKE, "--retry-failed", check=False)
        self.assertEqual(self.starts(), {"ok::1": 1, "bad::1": 2, "flaky::1": 2, "unsupported::1": 2})
        res = {r["job"]["name"]: r for r in self.results(run).values()}
        self.assertEqual(res["flaky"]["status"], "ok")
        self.batch("run", plan, "-o", run, "--bin", FAKE, "--force", check=False)
        self.assertEqual(self.starts(), {"ok::1": 2, "bad::1": 3, "flaky::1": 3, "unsupported::1": 3})


class Concurrent(Base):
    def test_concurrent_workers_never_lose_or_duplicate_a_result(self):
        d = self.programs("s", {f"p{i:02d}": f"# fake: sleep {0.1 + 0.05 * (i % 4)}" for i in range(16)})
        run = self.tmp / "run"
        self.batch("plan", self.plan({"programs": [str(d)], "targets": [str(self.tmp / "t1.json")], "seeds": [1, 2]}),
                   "-o", run, "--bin", FAKE)
        ws = [subprocess.Popen([PY, str(BATCH), "worker", str(run), "-j", "2", "--measure-lock", ""], cwd=ROOT, env=self.env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(4)]
        outs = [w.communicate(timeout=300)[0] for w in ws]
        self.assertTrue(all(w.returncode == 0 for w in ws), outs)
        starts = self.starts()
        self.assertEqual(len(starts), 32)
        self.assertEqual(set(starts.values()), {1}, "a job ran twice")
        self.assertEqual(len(self.results(run)), 32)
        ran = sum(int(re.search(r"ran (\d+)", o).group(1)) for o in outs)
        self.assertEqual(ran, 32)
        self.assertGreater(sum(1 for o in outs if not re.search(r"ran 0 ", o)), 1, "only one worker did anything")
        self.assertEqual([f for f in (run / "results").iterdir() if f.name.startswith(".")], [])  # no temporaries left
        self.batch("merge", run)
        rows = (run / "results.jsonl").read_text().splitlines()
        self.assertEqual(len(rows), 32)
        self.assertEqual(len({json.loads(r)["job"]["id"] for r in rows}), 32)


class Merge(Base):
    def test_merged_shards_equal_an_unsharded_run(self):
        a = self.programs("sa", {f"p{i}": "" for i in range(5)})
        b = self.programs("sb", {f"q{i}": "" for i in range(4)})
        plan = self.plan({"programs": [str(a), str(b)], "targets": [str(self.tmp / "t1.json"), str(self.tmp / "t2.json")]},
                         timing=False)
        whole = self.tmp / "whole"
        self.batch("run", plan, "-o", whole, "--bin", FAKE)
        self.batch("merge", whole)
        # Three shards, each in a folder of its own (as on three machines), merged into a fourth.
        ids = []
        for k in range(3):
            self.batch("run", plan, "-o", self.tmp / f"shard{k}", "--bin", FAKE, "--shard", f"{k}/3")
            ids.append(set(self.results(self.tmp / f"shard{k}")))
        self.assertEqual(sum(map(len, ids)), 18)
        self.assertEqual(len(set.union(*ids)), 18)  # disjoint, and together every job
        self.assertTrue(all(5 <= len(s) <= 7 for s in ids), [len(s) for s in ids])
        merged = self.tmp / "merged"
        self.batch("plan", plan, "-o", merged, "--bin", FAKE)
        self.batch("merge", merged, *[self.tmp / f"shard{k}" for k in range(3)])
        self.assertEqual(normalized(merged / "results.jsonl"), normalized(whole / "results.jsonl"))
        self.assertEqual(len(normalized(whole / "results.jsonl")), 18)
        # Shards run one after another into one folder: the same.
        same = self.tmp / "same"
        for k in range(3):
            self.batch("run", plan, "-o", same, "--bin", FAKE, "--shard", f"{k}/3")
        self.batch("merge", same)
        self.assertEqual(normalized(same / "results.jsonl"), normalized(whole / "results.jsonl"))
        st = self.batch("status", same, "--shards", "3")
        self.assertIn("18 ok", st.stdout)
        self.assertRegex(st.stdout, r"shard 2/3: \d ok, 0 failed")


class Report(Base):
    def run_plan(self, run, env=None):
        d = self.programs("s", {f"p{i}": f"# {i}" for i in range(6)})
        e = self.programs("e", {"x": "# fake: exit 3"})
        plan = self.plan({"programs": [str(d), str(e)], "targets": [str(self.tmp / "t1.json")]}, timing=False, name="rep")
        self.batch("run", plan, "-o", run, "--bin", FAKE, env=env, check=False)
        self.batch("merge", run, env=env)

    def test_tables_summary_and_tagged_figures(self):
        run = self.tmp / "run"
        self.run_plan(run)
        self.batch("report", run)
        rep = run / "report"
        info = json.loads((run / "run.json").read_text())
        md = (rep / "report.md").read_text()
        self.assertIn(f"run {info['run_id']} · axon-synth 0.0-fake", md)
        for f in ("s__t1.md", "s__t1.csv", "e__t1.md", "e__t1.csv"):
            self.assertTrue((rep / f).is_file(), f)
        lines = (rep / "s__t1.csv").read_text().splitlines()
        self.assertEqual(lines[0].split(",")[:7], ["kernel", "dims", "options", "seed", "ours ms", "op-by-op baseline ms", "vs baseline"])
        self.assertEqual(len(lines), 7)
        self.assertIn("failed: exit 3", (rep / "e__t1.md").read_text())
        # The geomean and the win/loss/tie counts, recomputed from the results.
        sp = [r["main"]["speedup"] for r in self.results(run).values() if r["status"] == "ok"]
        gm = 1.0
        for s in sp:
            gm *= s
        gm **= 1 / len(sp)
        summary = json.loads((rep / "summary.json").read_text())["summary"]
        row = [s for s in summary if s["suite"] == "s" and s["baseline"] == "op-by-op"][0]
        self.assertEqual(row["geomean speed-up"], f"{gm:.2f}x")
        self.assertEqual(int(row["wins"]), sum(1 for s in sp if s > 1.05))
        self.assertEqual(int(row["losses"]), sum(1 for s in sp if s < 1 / 1.05))
        self.assertEqual(int(row["wins"]) + int(row["losses"]) + int(row["ties (within 5%)"]), 6)
        self.assertIn("## Rewrite discovery and proofs", md)
        figures = json.loads((rep / "summary.json").read_text())["figures"]
        self.assertEqual(set(figures), {"speedup.png", "speedup_distribution.png", "synthesis_time_vs_speedup.png",
                                        "estimate_vs_measured.png"})
        for f in figures:
            data = (rep / f).read_bytes()
            self.assertTrue(data.startswith(b"\x89PNG"))
            self.assertIn(info["run_id"].encode(), data)  # the tag, also in the PNG's text chunk
            self.assertIn(b"axon-synth 0.0-fake", data)

    def test_diff_of_two_runs_beyond_the_noise(self):
        old, new = self.tmp / "old", self.tmp / "new"
        self.run_plan(old)
        self.log.unlink()
        env = dict(self.env, FAKE_AXON_SCALE_p1="2", FAKE_AXON_SCALE_p4="0.5", FAKE_AXON_SCALE_p5="1.02")
        self.run_plan(new, env=env)
        self.batch("report", new, "--diff", old)
        md = (new / "report" / "report.md").read_text()
        verdicts = dict(re.findall(r"\| s/(p\d) \|[^\n]*\| (faster|slower|same) \|", md))
        self.assertEqual(verdicts, {"p0": "same", "p1": "slower", "p2": "same", "p3": "same", "p4": "faster", "p5": "same"})
        self.assertTrue((new / "report" / "diff.png").is_file())


class Slurm_script(Base):
    """--slurm against stand-ins for sbatch and squeue (the real thing: slurm_test.sh)."""

    def setUp(self):
        super().setUp()
        bin_ = self.tmp / "bin"
        bin_.mkdir()
        (bin_ / "sbatch").write_text(f"""#!/bin/bash
echo "$@" >> {self.tmp}/sbatch.calls
n=$(wc -l < {self.tmp}/sbatch.calls)
echo $((1000 + n))
""")
        (bin_ / "squeue").write_text(f"#!/bin/bash\ncat {self.tmp}/queue 2>/dev/null; true\n")
        for f in bin_.iterdir():
            f.chmod(0o755)
        self.env["PATH"] = f"{bin_}:{self.env['PATH']}"

    def test_array_throttle_exclusive_dependency_and_resubmission(self):
        d = self.programs("s", {f"p{i}": "" for i in range(7)})
        plan = self.plan({"programs": [str(d)], "targets": [str(self.tmp / "t1.json")]},
                         slurm={"partition": "debug", "time": "00:10:00"})
        run = self.tmp / "run"
        self.batch("run", plan, "-o", run, "--bin", FAKE, "--slurm", "--shards", "3", "--throttle", "2")
        calls = (self.tmp / "sbatch.calls").read_text().splitlines()
        self.assertEqual(calls[0], f"--parsable --array=0,1,2%2 {run}/slurm/array.sh")
        self.assertEqual(calls[1], f"--parsable --dependency=afterany:1001 {run}/slurm/report.sh")
        array = (run / "slurm" / "array.sh").read_text()
        self.assertIn("#SBATCH --exclusive", array)
        self.assertIn("#SBATCH --partition=debug", array)
        self.assertIn("#SBATCH --time=00:10:00", array)
        self.assertIn('worker ' + str(run) + ' --shard "$SLURM_ARRAY_TASK_ID/3"', array)
        self.assertIn("batch.py merge", (run / "slurm" / "report.sh").read_text())
        sub = [json.loads(l) for l in (run / "slurm" / "submissions.jsonl").read_text().splitlines()]
        self.assertEqual((sub[0]["array_job"], sub[0]["report_job"], sub[0]["tasks"]), ("1001", "1002", [0, 1, 2]))
        # Still in the queue: no second submission.
        (self.tmp / "queue").write_text("1001_1 RUNNING\n1002 PENDING\n")
        p = self.batch("run", plan, "-o", run, "--bin", FAKE, "--slurm", "--shards", "3", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("still in the queue (1001_1 RUNNING, 1002 PENDING)", p.stderr)
        # Shards 0 and 2 ran, shard 1 was cancelled: the resubmission is shard 1 alone.
        (self.tmp / "queue").unlink()
        for k in (0, 2):
            self.batch("worker", run, "--shard", f"{k}/3", "--measure-lock", "")
        self.batch("run", plan, "-o", run, "--bin", FAKE, "--slurm", "--shards", "3", "--throttle", "2")
        calls = (self.tmp / "sbatch.calls").read_text().splitlines()
        self.assertEqual(calls[2], f"--parsable --array=1%2 {run}/slurm/array.sh")
        self.assertEqual(calls[3], f"--parsable --dependency=afterany:1003 {run}/slurm/report.sh")
        self.batch("worker", run, "--shard", "1/3", "--measure-lock", "")
        p = self.batch("run", plan, "-o", run, "--bin", FAKE, "--slurm", "--shards", "3")
        self.assertIn("nothing submitted", p.stdout)
        self.assertEqual(len((self.tmp / "sbatch.calls").read_text().splitlines()), 4)
        # A plan that does not time asks for no exclusive nodes.
        plan2 = self.plan({"programs": [str(d)], "targets": [str(self.tmp / "t2.json")]}, timing=False, name="u")
        self.batch("run", plan2, "-o", self.tmp / "run2", "--bin", FAKE, "--slurm", "--shards", "2")
        self.assertNotIn("--exclusive", (self.tmp / "run2" / "slurm" / "array.sh").read_text())


class MeasureLockE2E(Base):
    """The real main job: its timings wait for the measuring lock, its compilation does not."""

    def test_the_main_job_measures_only_under_the_lock(self):
        import fcntl
        binary = os.environ.get("AXON_SYNTH", str(ROOT / "build/tools/axon-synth"))
        if not os.access(binary, os.X_OK):
            self.fail(f"{binary}: no axon-synth (build it, or set AXON_SYNTH)")
        fd = os.open(self.lock, os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        out = self.tmp / "out"
        env = dict(self.env, AXON_CACHE_DIR=str(self.tmp / "cache"))
        t0 = time.monotonic()
        p = subprocess.Popen([binary, "--isa", "targets/avx2.json", "experiments/suites/ops/add.tp", "--dim", "M=64",
                              "--dim", "N=64", "--no-cache", "--time-budget", "2", "-j", "1", "--measure-lock", str(self.lock),
                              "-o", str(out)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        # The job compiles and checks its first candidate, then waits for the lock and says so.
        head = []
        while True:
            line = p.stdout.readline()
            self.assertNotEqual(line, "", "the main job ended without waiting for the lock:\n" + "".join(head))
            head.append(line)
            if "waiting for the measuring lock" in line:
                break
        t_wait = time.monotonic()
        time.sleep(2.0)
        self.assertIsNone(p.poll(), "the main job finished while the lock was held by another")
        log_while_held = (out / "candidates.jsonl").read_text() if (out / "candidates.jsonl").exists() else ""
        os.close(fd)  # release
        log, _ = p.communicate(timeout=300)
        log = "".join(head) + log
        self.assertEqual(p.returncode, 0, log)
        self.assertEqual(log_while_held, "", "a candidate was measured while another process held the lock")
        r = json.loads((out / "report.json").read_text())
        wait = r["seconds"]["search.measure_lock_wait"]
        self.assertGreater(wait, 2.0, r["seconds"])
        self.assertLess(wait, time.monotonic() - t0)
        self.assertGreaterEqual(r["seconds"]["search.measure"], wait)
        self.assertGreater(time.monotonic() - t_wait, wait - 0.5)


if __name__ == "__main__":
    unittest.main()
