#!/usr/bin/python3
"""Runs axon-synth's main job on every program of a benchmark suite and collects the results.

Usage:
  scripts/run_suite.py --isa targets/avx512.json experiments/suites/nkibench [more suites or .tp files]
                       [-o OUT] [--time-budget S] [--bin build/tools/axon-synth] [--no-cache]

For each program (cache cold with --no-cache), OUT/<suite>/<program>/ holds the main job's outputs
and its log. OUT gets:
  results.jsonl  one JSON object per program, written as each finishes: program, suite, dims,
                 exit code, best and baseline medians (ms), speedup over the op-by-op baseline,
                 winning variant, candidates measured, stop reason, wall seconds of the run;
  table.md       the same as a markdown table, with the target and the machine;
  speedup.png    speedup over the baseline per program (needs python3-matplotlib; without it the
                 script says so and writes no plot).
Exits non-zero if any program's run failed (the table says which and why).
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import time


def programs(paths):
    for p in map(pathlib.Path, paths):
        if p.is_dir():
            yield from ((p.name, f) for f in sorted(p.glob("*.tp")))
        elif p.suffix == ".tp":
            yield (p.parent.name, p)
        else:
            sys.exit(f"run_suite: {p}: neither a suite folder nor a .tp file")


def machine():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return f"{line.split(':', 1)[1].strip()}, {os.cpu_count()} cores"
    except OSError:
        pass
    return f"{os.cpu_count()} cores"


def run_one(args, suite, prog, out):
    d = out / suite / prog.stem
    d.mkdir(parents=True, exist_ok=True)
    cmd = [args.bin, "--isa", args.isa, str(prog), "-o", str(d)]
    if args.time_budget:
        cmd += ["--time-budget", str(args.time_budget)]
    if args.no_cache:
        cmd.append("--no-cache")
    t0 = time.monotonic()
    with open(d / "log.txt", "w") as log:
        try:
            rc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT).returncode
        except OSError as e:
            sys.exit(f"run_suite: cannot run {args.bin}: {e}")
    row = {"suite": suite, "program": str(prog), "exit": rc, "seconds": round(time.monotonic() - t0, 1)}
    last_line = ((d / "log.txt").read_text().strip().splitlines() or [f"exit {rc}"])[-1]
    if rc != 0:
        row["error"] = f"exit {rc}: {last_line}"
    try:
        r = json.loads((d / "report.json").read_text())
    except (OSError, json.JSONDecodeError) as e:
        row.setdefault("error", f"no report.json ({e})")
        return row
    row["dims"] = r.get("inputs", {}).get("dims")
    best, base = r.get("best"), r.get("baseline")
    if best:
        row["best_ms"] = best["time_ns"]["median"] / 1e6
        row["variant"] = best.get("variant")
    if base:
        row["baseline_status"] = base["status"]
        if "time_ns" in base:
            row["baseline_ms"] = base["time_ns"]["median"] / 1e6
    if "speedup_over_baseline" in r:
        row["speedup"] = r["speedup_over_baseline"]
    row["measured"] = r.get("search", {}).get("measured")
    row["stop_reason"] = r.get("search", {}).get("stop_reason")
    return row


def table(rows, args):
    lines = [f"Target `{args.isa}`, {machine()}; time budget {args.time_budget or 'none'} s"
             f"{', cache cold' if args.no_cache else ''}.", "",
             "| suite | program | best ms | baseline ms | vs baseline | variant | measured | stop | run s |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        name = pathlib.Path(r["program"]).stem
        if "error" in r:
            lines.append(f"| {r['suite']} | {name} | failed: {r['error']} | | | | | | {r['seconds']} |")
            continue
        base = f"{r['baseline_ms']:.3f}" if "baseline_ms" in r else r.get("baseline_status", "-")
        sp = f"{r['speedup']:.2f}x" if "speedup" in r else "-"
        lines.append(f"| {r['suite']} | {name} | {r['best_ms']:.3f} | {base} | {sp} | {r.get('variant', '')} "
                     f"| {r.get('measured', '')} | {r.get('stop_reason', '')} | {r['seconds']} |")
    return "\n".join(lines) + "\n"


def plot(rows, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("run_suite: no plot: python3-matplotlib is not installed (scripts/setup_bench.sh installs it)",
              file=sys.stderr)
        return
    pts = [(f"{r['suite']}/{pathlib.Path(r['program']).stem}", r["speedup"]) for r in rows if "speedup" in r]
    if not pts:
        print("run_suite: no plot: no program has a speedup over a measured baseline", file=sys.stderr)
        return
    fig, ax = plt.subplots(figsize=(max(6, 0.45 * len(pts)), 5))
    ax.bar([n for n, _ in pts], [s for _, s in pts])
    ax.axhline(1.0, color="gray", linewidth=0.8)
    ax.set_yscale("log")
    ax.set_ylabel("speedup over the baseline")
    ax.tick_params(axis="x", labelrotation=75, labelsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    print(f"run_suite: {path}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="+", help="suite folders (every .tp in them) or .tp files")
    ap.add_argument("--isa", required=True)
    ap.add_argument("-o", "--out", default="build/suite")
    ap.add_argument("--time-budget", type=float, default=0)
    ap.add_argument("--bin", default=os.environ.get("AXON_SYNTH", "build/tools/axon-synth"))
    ap.add_argument("--no-cache", action="store_true")
    args = ap.parse_args()
    if not os.access(args.bin, os.X_OK):
        sys.exit(f"run_suite: {args.bin}: no axon-synth there (build first: scripts/build.sh, or pass --bin)")
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    with open(out / "results.jsonl", "w") as jl:
        for suite, prog in programs(args.paths):
            row = run_one(args, suite, prog, out)
            rows.append(row)
            jl.write(json.dumps(row) + "\n")
            jl.flush()
            status = f"{row['best_ms']:.3f} ms" if "best_ms" in row else "failed"
            if "speedup" in row:
                status += f", {row['speedup']:.2f}x the baseline"
            print(f"[{len(rows)}] {suite}/{prog.stem}: {status} ({row['seconds']} s)", file=sys.stderr)
    (out / "table.md").write_text(table(rows, args))
    sys.stdout.write(table(rows, args))
    plot(rows, out / "speedup.png")
    sys.exit(1 if any("error" in r for r in rows) else 0)


if __name__ == "__main__":
    main()
