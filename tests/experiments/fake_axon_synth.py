#!/usr/bin/python3
"""A stand-in for axon-synth's main job, for the batch tool's tests (test_batch.py).

`--version` prints a version ($FAKE_AXON_VERSION or "axon-synth 0.0-fake"). The main job
(`--isa T PROG -o OUT [--seed N] [--dim K=V]... [--measure-lock F] [other flags]`) writes
OUT/report.json and OUT/candidates.jsonl with times derived from a hash of the program text, the
dims, the seed and the target, so the same job always reports the same figures. Lines of the
program steer it:
  # fake: sleep S          run S seconds first
  # fake: hold FILE        wait while FILE exists (at most 300 s)
  # fake: exit N           exit N after a line on stderr (2 with "not available yet" in it when N is 2
                           and the target's name contains "npu")
  # fake: fail-once FILE   exit 1 unless FILE exists, and create it (fails the first run only)
  # fake: scale X          multiply the reported times by X times $FAKE_AXON_SCALE_<program stem> (default 1)
$FAKE_AXON_LOG, when set, gets "start ID PID" and "end ID PID" lines (ID: program stem, dims, seed).
"""
import hashlib
import json
import os
import pathlib
import sys
import time


def main(argv):
    if argv[:1] == ["--version"]:
        print(os.environ.get("FAKE_AXON_VERSION", "axon-synth 0.0-fake"))
        return 0
    isa = out = prog = None
    seed, dims, lock = 1, {}, None
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--isa", "-o", "--seed", "--dim", "--measure-lock", "--time-budget", "--measure", "-j"):
            v = argv[i + 1]
            i += 2
            if a == "--isa": isa = v
            elif a == "-o": out = v
            elif a == "--seed": seed = int(v)
            elif a == "--dim": k, x = v.split("="); dims[k] = int(x)
            elif a == "--measure-lock": lock = v
            continue
        if not a.startswith("-"):
            prog = a
        i += 1
    if not (isa and prog and out):
        print("fake axon-synth: usage: --isa T PROG -o OUT", file=sys.stderr)
        return 2
    text = pathlib.Path(prog).read_text()
    ident = f"{pathlib.Path(prog).stem}:{','.join(f'{k}={v}' for k, v in sorted(dims.items()))}:{seed}"
    log = os.environ.get("FAKE_AXON_LOG")

    def note(what):
        if log:
            with open(log, "a") as f:
                f.write(f"{what} {ident} {os.getpid()}\n")

    note("start")
    scale = 1.0
    for line in text.splitlines():
        f = line.split()
        if f[:2] != ["#", "fake:"] or len(f) < 4:
            continue
        if f[2] == "sleep":
            time.sleep(float(f[3]))
        elif f[2] == "hold":
            t0 = time.monotonic()
            while os.path.exists(f[3]) and time.monotonic() - t0 < 300:
                time.sleep(0.05)
        elif f[2] == "exit":
            code = int(f[3])
            msg = "synthesis for backend(s) npu is not available yet" if code == 2 and "npu" in isa else "fake failure"
            print(f"line one of the log\n{prog}: error: {msg}", file=sys.stderr)
            note("end")
            return code
        elif f[2] == "fail-once":
            marker = pathlib.Path(f[3])
            if not marker.exists():
                marker.write_text("")
                print(f"{prog}: error: failing once", file=sys.stderr)
                note("end")
                return 1
        elif f[2] == "scale":
            scale *= float(f[3])
    scale *= float(os.environ.get(f"FAKE_AXON_SCALE_{pathlib.Path(prog).stem}", "1"))
    h = int(hashlib.sha256(f"{text}|{sorted(dims.items())}|{seed}|{pathlib.Path(isa).name}".encode()).hexdigest()[:8], 16)
    best = (1 + h % 1000) * 1e4 * scale          # 0.01 .. 10 ms
    base = best * (0.8 + (h >> 10) % 40 / 10)    # 0.8x .. 4.7x slower
    o = pathlib.Path(out)
    o.mkdir(parents=True, exist_ok=True)
    cands = [{"id": 0, "kind": "baseline", "status": "ok", "estimate_ns": base * 0.9,
              "time_ns": {"median": base, "min": base * 0.99, "max": base * 1.01}},
             {"id": 1, "kind": "searched", "status": "ok", "estimate_ns": best * 1.2,
              "time_ns": {"median": best, "min": best * 0.99, "max": best * 1.01}}]
    (o / "candidates.jsonl").write_text("".join(json.dumps(c) + "\n" for c in cands))
    report = {"schema_version": 1, "tool": "axon-synth fake", "inputs": {"dims": dims, "seed": seed},
              "device": {"cpu": "fake"}, "best": dict(cands[1], variant="as written"), "baseline": cands[0],
              "speedup_over_baseline": base / best, "seconds": {"search": 0.1},
              "search": {"measured": 2, "stop_reason": "measured all", "variants": 1,
                         "rewrites": {"variants": 3, "attempted": 2, "proven": 2, "refuted": 0, "unknown": 0,
                                      "stop_reason": "saturated", "seconds": 0.01}},
              "measure_lock": lock}
    (o / "report.json").write_text(json.dumps(report, indent=1))
    print(f"{prog}: best {best / 1e6:.3f} ms")
    note("end")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
