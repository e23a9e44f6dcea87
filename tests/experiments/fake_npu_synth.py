#!/usr/bin/python3
"""A stand-in for axon-synth in tests of scripts/npu_bench.py: `sim`, `ir` and `check` run the real
binary ($NPU_BENCH_REAL); the main job (`--isa T PROG.tp -o OUT --json ...`) acts as the NPU backend
would, as $FAKE_MODE says:
  ok          OUT/program.json = $FAKE_PROGRAM (a real NPU program), report.json with its simulated
              time as the winner, a per-op baseline twice as slow, two plans that fuse nothing in
              candidates.jsonl 1.5x and 1.7x as slow, check dims and a max error; the report on
              stdout
  wrong_time  as ok, but the report's winner time is 10% below what sim re-derives
  fail        exit 2 with a "no lowering" message on stderr
  no_candidate  exit 3 with the report on stdout (no valid candidate, the reason in its baseline)
  hang        sleeps (the harness's per-program timeout must stop it)
"""
import json
import os
import shutil
import subprocess
import sys
import time

REAL = os.environ["NPU_BENCH_REAL"]
args = sys.argv[1:]
if args and args[0] in ("sim", "ir", "check"):
    os.execv(REAL, [REAL] + args)

mode = os.environ.get("FAKE_MODE", "ok")
isa = args[args.index("--isa") + 1]
out = args[args.index("-o") + 1]
prog = next(a for a in args if a.endswith(".tp"))
if mode == "fail":
    print(f"{prog}:5:1: error: no lowering for rope on {isa} (fake)", file=sys.stderr)
    sys.exit(2)
if mode == "no_candidate":  # exit 3: the report on stdout, every candidate failed
    os.makedirs(out, exist_ok=True)
    base = {"id": 0, "kind": "baseline", "status": "compile_error", "detail": "illegal NPU plan: no lowering (fake)"}
    with open(os.path.join(out, "candidates.jsonl"), "w") as f:
        f.write(json.dumps(base) + "\n")
    print(json.dumps({"schema_version": 1, "baseline": base, "best": None,
                      "search": {"candidates_ranked": 0, "compile_failures": 1, "stop_reason": "measured all"}}))
    print("[search    0.0s] as written, candidate 0 (baseline): compile_error", file=sys.stderr)
    sys.exit(3)
if mode == "hang":
    time.sleep(60)
    sys.exit(0)
os.makedirs(out, exist_ok=True)
shutil.copyfile(os.environ["FAKE_PROGRAM"], os.path.join(out, "program.json"))
r = subprocess.run([REAL, "sim", os.path.join(out, "program.json"), "--isa", isa, "--json"],
                   capture_output=True, text=True, check=True)
total = json.loads(r.stdout)["total_ns"]
reported = total * (0.9 if mode == "wrong_time" else 1.0)


def cand(i, kind, ns, groups=((0, 1),)):
    # schedule: the NPU backend's plan JSON, reduced to what the harness reads (two statements)
    return {"id": i, "kind": kind, "status": "ok", "max_scaled_error": 0.001,
            "schedule": {"stmts": [{}, {}], "groups": [list(g) for g in groups]},
            "time_ns": {"median": ns, "min": ns, "max": ns, "repeats": 1, "clock": "simulated"}}


report = {"schema_version": 1, "device": {"target": "npu", "clock": "simulated"},
          "baseline": cand(0, "baseline", 2 * total),
          "best": dict(cand(3, "searched", reported), variant="as written",
                  check_dims=[{"M": 3, "N": 5, "K": 7}, {"M": 4, "N": 6, "K": 8}]),
          "seconds": {"parse + check": 0.01, "search (compile, check, time)": 1.5}}
with open(os.path.join(out, "report.json"), "w") as f:
    json.dump(report, f)
with open(os.path.join(out, "candidates.jsonl"), "w") as f:
    for c in (report["baseline"], cand(1, "searched", 1.5 * total, ((0,), (1,))),
              cand(2, "searched", 1.7 * total, ((0,), (1,))), report["best"]):
        f.write(json.dumps(c) + "\n")
print(json.dumps(report, indent=1))
