#!/usr/bin/python3
"""Refits the NPU simulator's DMA constants from the calibration data (docs/npu-calibration.md).

The data are sim/programs/calibration/measured.json: measured latencies of the NKI tutorial's matmul
schedules and of NKIBench's Neuron-compiler baselines, each simulated by its program in
sim/programs/. The one free constant is `dma_engine_elems_per_ns` (elements one DMA engine
moves per ns: the published 27.2 GB/s per engine binds no transfer of the data, which move about
as many elements per second in bf16 as in fp32); every other number of the DMA cost in
targets/npu.json has a published source.
The fit minimises the largest relative error over the rows whose role is "fit" (ties: the RMS
error), over a grid, and reports every row.

usage: fit_dma.py [--sim build/tests/sim/sim_cli] [--isa targets/npu.json]
                  [--elems 3.3,3.4,...] [--jobs 2] [--write]
       fit_dma.py --table          # only simulate every row with the ISA as it is
"""
import argparse
import concurrent.futures as cf
import json
import math
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FREE = ("dma_engine_elems_per_ns",)


def simulate(sim, isa, program):
    out = subprocess.run([sim, os.path.join(ROOT, "sim", "programs", program + ".json"), isa, "--json"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{program}: the simulator failed (exit {out.returncode}):\n{out.stderr}")
    return json.loads(out.stdout)["total_ns"] / 1e6


def with_constants(isa_text, values):
    for k, v in values.items():
        isa_text, n = re.subn(r'("%s":\s*)[-0-9.eE]+' % re.escape(k), r"\g<1>%g" % v, isa_text)
        if n != 1:
            sys.exit(f"constant {k} appears {n} times in the ISA file; expected once")
    return isa_text


def run_all(sim, isa_text, rows, jobs):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        f.write(isa_text)
        path = f.name
    try:
        with cf.ThreadPoolExecutor(jobs) as ex:
            return list(ex.map(lambda r: simulate(sim, path, r["program"]), rows))
    finally:
        os.unlink(path)


def score(rows, ms):
    errs = [m / r["measured_ms"] - 1 for r, m in zip(rows, ms)]
    fit = [abs(e) for r, e in zip(rows, errs) if r["role"] == "fit"]
    return max(fit), math.sqrt(sum(e * e for e in fit) / len(fit)), errs


def table(rows, ms, errs):
    lines = ["| program | measured | simulated | error | role |", "|---|---|---|---|---|"]
    for r, m, e in zip(rows, ms, errs):
        lines.append(f"| {r['program']} | {r['measured_ms']:.3f} ms | {m:.3f} ms | {100 * e:+.1f}% | {r['role']} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sim", default=os.path.join(ROOT, "build", "tests", "sim", "sim_cli"))
    ap.add_argument("--isa", default=os.path.join(ROOT, "targets", "npu.json"))
    ap.add_argument("--data", default=os.path.join(ROOT, "sim", "programs", "calibration", "measured.json"))
    ap.add_argument("--elems", default="3.0,3.1,3.2,3.3,3.4,3.5,3.6,3.7,3.8,3.9,4.0")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--table", action="store_true", help="simulate with the ISA as it is; no fit")
    ap.add_argument("--write", action="store_true", help="write the best constants into the ISA file")
    a = ap.parse_args()
    rows = json.load(open(a.data))["rows"]
    isa_text = open(a.isa).read()
    if a.table:
        ms = run_all(a.sim, isa_text, rows, a.jobs)
        worst, rms, errs = score(rows, ms)
        print(table(rows, ms, errs))
        print(f"fit rows: largest error {100 * worst:.1f}%, RMS {100 * rms:.1f}%")
        return
    best = None
    for r in (float(x) for x in a.elems.split(",")):
        vals = {"dma_engine_elems_per_ns": r}
        ms = run_all(a.sim, with_constants(isa_text, vals), rows, a.jobs)
        worst, rms, errs = score(rows, ms)
        print(f"elements {r:g}/ns per engine: largest fit error {100 * worst:.1f}%, "
              f"RMS {100 * rms:.1f}%", flush=True)
        if best is None or (worst, rms) < best[0]:
            best = ((worst, rms), vals, ms, errs)
    (worst, rms), vals, ms, errs = best
    print("\nbest: " + ", ".join(f"{k} = {v:g}" for k, v in vals.items()) +
          f" (largest fit error {100 * worst:.1f}%, RMS {100 * rms:.1f}%)")
    print(table(rows, ms, errs))
    if a.write:
        open(a.isa, "w").write(with_constants(isa_text, vals))
        print(f"wrote {a.isa}")


if __name__ == "__main__":
    main()
