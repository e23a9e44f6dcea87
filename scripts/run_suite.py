#!/usr/bin/python3
"""Runs axon-synth's main job on every program of some suites: a thin wrapper over
experiments/batch.py (docs/experiments.md), kept for its command line.

Usage:
  scripts/run_suite.py --isa targets/avx512.json experiments/suites/nkibench [more suites or .tp files]
                       [-o OUT] [--time-budget S] [--bin build/tools/axon-synth] [--no-cache] [-j N]

Writes a one-matrix plan to OUT/suite-plan.json (the paths x the target, with the flags as its
options) and runs `batch.py run PLAN -o OUT --report`: OUT/results/<job>.json per program (a rerun
skips finished ones; --force and --retry-failed pass through), OUT/results.jsonl, and
OUT/report/ (report.md and a CSV per suite, speedup.png and the other figures). Exits non-zero if
any program's run failed.
"""
import argparse
import json
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "experiments"))
import batch  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="+", help="suite folders (every .tp in them) or .tp files")
    ap.add_argument("--isa", required=True)
    ap.add_argument("-o", "--out", default="build/suite")
    ap.add_argument("--time-budget", type=float, default=0)
    ap.add_argument("--bin", default=os.environ.get("AXON_SYNTH", "build/tools/axon-synth"))
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="main jobs at once (default 1: the timings stay quiet)")
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--retry-failed", action="store_true")
    a = ap.parse_args()
    args = (["--time-budget", f"{a.time_budget:g}"] if a.time_budget else []) + (["--no-cache"] if a.no_cache else [])
    out = pathlib.Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    plan = {"name": "suite", "timing": True,
            "matrix": {"programs": [str(pathlib.Path(p).resolve()) for p in a.paths], "targets": [str(pathlib.Path(a.isa).resolve())],
                       "options": [{"name": " ".join(args) or "default", "args": args}]}}
    (out / "suite-plan.json").write_text(json.dumps(plan, indent=2) + "\n")
    binary = str(pathlib.Path(a.bin).resolve()) if os.path.exists(a.bin) else a.bin
    cmd = ["run", str(out / "suite-plan.json"), "-o", str(out), "--bin", binary, "-j", str(a.jobs), "--report"]
    cmd += ["--force"] if a.force else []
    cmd += ["--retry-failed"] if a.retry_failed else []
    return batch.main(cmd)


if __name__ == "__main__":
    sys.exit(main())
