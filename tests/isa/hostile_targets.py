#!/usr/bin/python3
"""Generated hostile targets (issue 18, class 5): a few hundred variants of the shipped targets,
each with one bad number, name, routine or formula, given to the main job. Every one must end
with exit 2 and a message naming the file and the JSON pointer of the bad field, before any
search; never a signal, an internal error (exit 1) or a success.
Usage: hostile_targets.py AXON_SYNTH WORKDIR [--jobs N]"""
import concurrent.futures
import copy
import json
import os
import shutil
import subprocess
import sys

BIN, WORK = sys.argv[1], sys.argv[2]
JOBS = int(sys.argv[sys.argv.index("--jobs") + 1]) if "--jobs" in sys.argv else 2
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROGRAM = os.path.join(SRC, "experiments/suites/ops/add.tp")


def target(name):
    with open(os.path.join(SRC, "targets", name + ".json")) as f:
        return json.load(f)


BASES = {n: target(n) for n in ("avx2", "zen4", "npu")}

# Numbers no field of a target accepts, as JSON values, and as raw text for what JSON itself
# cannot say (nlohmann refuses those as "not valid JSON", which has no pointer to give).
BAD_NUMBERS = [0, -1, -0.5, 2**40, 2**62, 2**63 - 1, 1e300, -1e300, 5e-324, 1e-310, 2.2e-308 / 4,
               "12", None, True, [], {}]
BAD_INTEGERS = BAD_NUMBERS + [0.5, 1.5]
RAW_NUMBERS = ["1e400", "-1e400", "NaN", "Infinity", "0x10"]


def engine_fields(base):
    out = []
    for i, e in enumerate(base["engines"]):
        for k, v in e.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out.append(("/engines/%d/%s" % (i, k), ("engines", i, k)))
    return out


def memory_fields(base):
    out = []
    for i, m in enumerate(base["memories"]):
        for k, v in m.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool) and k not in ("banks", "bank_bytes"):
                out.append(("/memories/%d/%s" % (i, k), ("memories", i, k)))
    return out


def setp(j, path, value):
    for p in path[:-1]:
        j = j[p]
    j[path[-1]] = value


# Fields whose range includes 0, and 2^40 (docs/reliability.md).
ZERO_OK = {"fixed_cost_ns", "thread_start_ns", "min_ii_cycles", "access_overhead_cycles",
           "dependency_penalty_cycles"}
BIG_OK = {"capacity_bytes", "max_free_elems"}
INT_FIELDS = {"lanes", "count", "queues", "capacity_bytes", "partitions", "registers", "register_bytes",
              "max_free_elems"}


def cases():
    """(name, base, edit or raw text, pointer prefix the message must name)."""
    out = []
    for bname, base in BASES.items():
        for fi, (ptr, path) in enumerate(engine_fields(base) + memory_fields(base)):
            field = path[-1]
            pool = [v for v in (BAD_INTEGERS if field in INT_FIELDS else BAD_NUMBERS)
                    if not (v == 0 and field in ZERO_OK) and not (v == 2**40 and field in BIG_OK)]
            # Three values per field, rotating through the pool so that every value is used.
            for t in range(3):
                v = pool[(fi * 3 + t) % len(pool)]
                # The message names the field, or the engine or memory whose consistency it breaks
                # (capacity_bytes against registers x register_bytes).
                prefix = "/".join(ptr.split("/")[:3])
                out.append(("%s%s=%s" % (bname, ptr.replace("/", "."), json.dumps(v)), bname,
                            lambda j, path=path, v=v: setp(j, path, v), prefix))
        for k in base.get("constants", {}):
            for v in (1e300, -1e300, 5e-324, "x", None):
                out.append(("%s.constants.%s=%s" % (bname, k, json.dumps(v)), bname,
                            lambda j, k=k, v=v: j["constants"].__setitem__(k, v), "/constants/" + k))
        # Cost formulas: negative, NaN, infinite, over-deep, over-long, unknown names.
        for i in range(0, len(base["instructions"]), 7):
            for f in ["-1", "0/0", "1/0", "-(lanes)" if bname != "npu" else "-(min_ii_cycles)",
                      "1e308*1e308", "(" * 300 + "1" + ")" * 300, "+".join(["1"] * 300),
                      "+".join(["1"] * 100000), "max(" + ",".join(["1"] * 2000) + ")",
                      "system(1)", "nosuchvar", "1 +", ""]:
                out.append(("%s.instructions.%d.cost=%s" % (bname, i, f[:20]), bname,
                            lambda j, i=i, f=f: j["instructions"][i].__setitem__("cost", f),
                            "/instructions/%d/cost" % i))
            for v in (-1, 1e300, 5e-324, "x"):
                out.append(("%s.instructions.%d.accuracy_ulp=%s" % (bname, i, v), bname,
                            lambda j, i=i, v=v: j["instructions"][i].__setitem__("accuracy_ulp", v),
                            "/instructions/%d/accuracy_ulp" % i))
        for raw in RAW_NUMBERS:
            out.append(("%s.raw=%s" % (bname, raw), bname, raw, None))
    # The llvm backend's names: CPU, features, routines, widths.
    for bname in ("avx2", "zen4"):
        for cpu in ["nosuchcpu", "", "haswell; rm -rf /", "x" * 100, "generic-nope", "znver99"]:
            out.append(("%s.llvm.cpu=%s" % (bname, cpu[:20]), bname,
                        lambda j, cpu=cpu: j["llvm"].__setitem__("cpu", cpu), "/llvm/cpu"))
        for k, feat in enumerate(["+nosuchfeature", "avx2", "+", "-avx512nope", "+avx2 +fma", "+AVX2"]):
            out.append(("%s.llvm.features=%s" % (bname, feat), bname,
                        lambda j, feat=feat: j["llvm"]["features"].__setitem__(0, feat), "/llvm/features/0"))
        for fn in ("exp", "log", "tanh", "erf"):
            for sym in ["system", "exit", "abort", "puts", "_ZGVdN8v_sinf", "_ZGVbN4v_" + fn + "f",
                        "_ZGVeN16v_" + fn + "f" if bname == "avx2" else "_ZGVdN8v_" + fn + "f",
                        "../../lib/x", "", "inline" if fn in ("log", "erf") else "nosuch"]:
                out.append(("%s.llvm.vector_math.%s=%s" % (bname, fn, sym), bname,
                            lambda j, fn=fn, sym=sym: j["llvm"].setdefault("vector_math", {}).__setitem__(fn, sym),
                            "/llvm/vector_math/" + fn))
        for vb in (0, 8, 24, 128, 2**40):
            out.append(("%s.llvm.vector_bytes=%d" % (bname, vb), bname,
                        lambda j, vb=vb: j["llvm"].__setitem__("vector_bytes", vb), "/llvm/vector_bytes"))
    return out


def run(case, idx):
    name, bname, edit, ptr = case
    path = os.path.join(WORK, "t%04d.json" % idx)
    if isinstance(edit, str):
        text = json.dumps(BASES[bname], indent=1)
        # The first number of the first engine becomes the raw literal.
        key = '"clock_ghz": ' if '"clock_ghz": ' in text else '"queues": '
        start = text.index(key) + len(key)
        end = start
        while text[end] not in ",\n}":
            end += 1
        text = text[:start] + edit + text[end:]
    else:
        j = copy.deepcopy(BASES[bname])
        edit(j)
        text = json.dumps(j)
    with open(path, "w") as f:
        f.write(text)
    out_dir = os.path.join(WORK, "out%04d" % idx)
    try:
        p = subprocess.run([BIN, "--isa", path, PROGRAM, "--dim", "M=1", "--dim", "N=8", "--measure", "3",
                            "--repeats", "3", "--time-budget", "10", "--no-cache", "-o", out_dir],
                           capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return "%s: timed out after 120 s" % name
    msg = (p.stdout + p.stderr).strip()
    if p.returncode < 0:
        return "%s: killed by signal %d: %s" % (name, -p.returncode, msg[-500:])
    if p.returncode != 2:
        return "%s: exit %d, expected 2: %s" % (name, p.returncode, msg[-500:])
    want = path + ": " + (ptr if ptr else "not valid JSON")
    if want not in msg:
        return "%s: the message lacks '%s': %s" % (name, want, msg[:500])
    return None


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    all_cases = cases()
    with concurrent.futures.ThreadPoolExecutor(JOBS) as pool:
        results = list(pool.map(run, all_cases, range(len(all_cases))))
    bad = [r for r in results if r]
    for r in bad:
        print("FAIL:", r)
    print("%d hostile targets, %d refused with exit 2 and their JSON pointer, %d failures"
          % (len(all_cases), len(all_cases) - len(bad), len(bad)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
