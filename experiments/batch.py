#!/usr/bin/python3
"""Batch runs of axon-synth's main job: plans, resumable local or sharded runs, Slurm, reports.

  batch.py plan PLAN.json -o RUN        expand a plan into RUN/jobs.jsonl (content-hash job ids)
  batch.py run PLAN.json|RUN [-o RUN]   plan, then run what is missing on a local pool (-j N),
                                        one shard of it (--shard K/S), or as a Slurm job array
                                        (--slurm); --report merges and reports at the end
  batch.py worker RUN [--shard K/S]     run the missing jobs of RUN (what Slurm tasks, GNU
                                        parallel or several terminals call)
  batch.py status RUN                   done / failed / running / missing, per shard, Slurm ids
  batch.py merge RUN [OTHER_RUN...]     results/*.json (and other folders' shards) -> results.jsonl
  batch.py report RUN [--diff OLD_RUN]  markdown + CSV per (suite, target), summary, plots

Python's standard library only (matplotlib from Debian for the plots). The manual, with the plan
format, the result files and the Slurm set-up, is docs/experiments.md.
"""
import argparse
import csv
import ctypes
import datetime
import fcntl
import hashlib
import io
import json
import math
import os
import pathlib
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
KNOWN_BASELINES = ("op-by-op", "pytorch", "onednn", "memcpy")
DEFAULT_LOCK = "/tmp/axon-synth-measure.lock"
LOG_TAIL_LINES = 20
RESULT_SCHEMA = 1


class UserError(Exception):
    """Bad input: printed as `batch: message`, exit 2."""


def die(msg):
    raise UserError(msg)


# ---------------------------------------------------------------------------------------------
# Small helpers


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def host():
    return socket.gethostname()


def write_atomic(path, text):
    """Writes a file so that readers see the old content or the new, never a part: a temporary in
    the same folder (its name carries the host, the process and the thread, so writers on other
    machines of a shared file system never share one), flushed to disk, then renamed."""
    path = pathlib.Path(path)
    tmp = path.parent / f".{path.name}.tmp.{host()}.{os.getpid()}.{threading.get_ident()}"
    with open(tmp, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_json(path, what=None):
    try:
        with open(path) as f:
            return json.load(f)
    except OSError as e:
        die(f"{path}: cannot read {what or 'the file'}: {e.strerror}")
    except json.JSONDecodeError as e:
        die(f"{path}:{e.lineno}:{e.colno}: not JSON: {e.msg}")


def read_jsonl(path):
    rows = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:
                    die(f"{path}:{n}:{e.colno}: not JSON: {e.msg}")
    return rows


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores"


def loadavg():
    try:
        return round(os.getloadavg()[0], 1)
    except OSError:
        return None


def tool_version(binary):
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=60)
    except OSError as e:
        die(f"{binary}: cannot run axon-synth: {e.strerror} (build it: scripts/build.sh, or pass --bin)")
    except subprocess.TimeoutExpired:
        die(f"{binary} --version did not answer within 60 s")
    if out.returncode != 0 or not out.stdout.strip():
        die(f"{binary} --version failed (exit {out.returncode}): {out.stderr.strip()[-300:]}")
    return out.stdout.strip()


def resolve(p):
    p = pathlib.Path(p)
    return p if p.is_absolute() else ROOT / p


def rel(p):
    p = pathlib.Path(p).resolve()
    try:
        return str(p.relative_to(ROOT))
    except ValueError:
        return str(p)


# A child gets SIGKILL when its worker dies: a killed worker leaves no main job running on behind
# it, writing into a folder that a resumed run reuses. util-linux's setpriv sets that up without
# running Python code between fork and exec (which a worker's threads make unsafe); without it, a
# preexec_fn calls prctl(PR_SET_PDEATHSIG) itself.
SETPRIV = shutil.which("setpriv")
try:
    _LIBC = ctypes.CDLL("libc.so.6", use_errno=True)
except OSError:
    _LIBC = None


def _die_with_parent():
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def with_parent_death(cmd):
    """(command, preexec_fn) for a child that dies with its worker."""
    if SETPRIV:
        return [SETPRIV, "--pdeathsig", "KILL", "--", *cmd], None
    return cmd, _die_with_parent


# ---------------------------------------------------------------------------------------------
# Plans


def hash_isa(path):
    try:
        data = pathlib.Path(path).read_bytes()
    except OSError as e:
        die(f"{path}: cannot read the target: {e.strerror}")
    try:  # the content, not its formatting
        data = json.dumps(json.loads(data), sort_keys=True, separators=(",", ":")).encode()
    except (json.JSONDecodeError, UnicodeDecodeError):
        pass  # the main job will say what is wrong with it
    return hashlib.sha256(data).hexdigest()


def job_id(program_text, dims, isa_hash, args, seed, version, baselines, extra):
    content = {"program": program_text, "dims": dims, "isa": isa_hash, "options": args, "seed": seed,
               "version": version, "baselines": sorted(baselines), "extra": extra}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:20]


def _expect(cond, where, msg):
    if not cond:
        die(f"{where}: {msg}")


def _programs(entry, where):
    """A plan's program entry -> [(suite, name, path, dims, extra)]."""
    if isinstance(entry, str):
        entry = {"path": entry}
    _expect(isinstance(entry, dict) and isinstance(entry.get("path"), str), where,
            'expected a path or an object {"path": ..., "name": ..., "dims": {...}}')
    for k in entry:
        _expect(k in ("path", "name", "suite", "dims", "torch"), f"{where}/{k}", "unknown key")
    p = resolve(entry["path"])
    dims = entry.get("dims", {})
    _expect(isinstance(dims, dict) and all(isinstance(v, int) and v > 0 for v in dims.values()),
            f"{where}/dims", "expected an object of positive integers")
    extra = {"torch": entry["torch"]} if "torch" in entry else {}
    if p.is_dir():
        _expect("name" not in entry, f"{where}/name", "a folder's programs are named after their files")
        files = sorted(p.glob("*.tp"))
        _expect(files, f"{where}/path", f"{entry['path']}: no .tp files in the folder")
        return [(entry.get("suite", p.name), f.stem, f, dims, extra) for f in files]
    _expect(p.suffix == ".tp" and p.is_file(), f"{where}/path", f"{entry['path']}: neither a suite folder nor a .tp file")
    name = entry.get("name") or p.stem + "".join(f"_{k}{v}" for k, v in sorted(dims.items()))
    return [(entry.get("suite", p.parent.name), name, p, dims, extra)]


def _options(entry, where):
    if isinstance(entry, list):
        entry = {"args": entry}
    _expect(isinstance(entry, dict) and isinstance(entry.get("args"), list)
            and all(isinstance(a, str) for a in entry["args"]), where,
            'expected a list of arguments or {"name": ..., "args": [...]}')
    for bad in ("-o", "--out", "--isa", "--seed", "--dim", "--measure-lock", "--json", "--library"):
        _expect(bad not in entry["args"], where, f"{bad} is set by the batch tool, not by a plan's options")
    return {"name": entry.get("name") or (" ".join(entry["args"]) or "default"), "args": entry["args"]}


def expand_plan(plan_path, binary=None):
    """The plan's matrix -> (plan, settings, jobs). A job's id hashes its content only, so the
    order of a plan's entries and the other entries around it do not change it."""
    plan = read_json(plan_path, "the plan")
    _expect(isinstance(plan, dict), plan_path, "a plan is a JSON object")
    known = ("name", "description", "timing", "bin", "job_timeout_s", "env", "slurm", "matrix")
    for k in plan:
        _expect(k in known, f"{plan_path}: /{k}", f"unknown key (known: {', '.join(known)})")
    _expect(isinstance(plan.get("name"), str) and re.fullmatch(r"[A-Za-z0-9_.-]+", plan["name"]),
            f"{plan_path}: /name", "expected a name of letters, digits, '_', '.', '-'")
    matrices = plan.get("matrix")
    if isinstance(matrices, dict):
        matrices = [matrices]
    _expect(isinstance(matrices, list) and matrices, f"{plan_path}: /matrix", "expected a matrix or a list of them")
    binary = binary or os.environ.get("AXON_SYNTH") or plan.get("bin") or "build/tools/axon-synth"
    binary = str(resolve(binary))
    version = tool_version(binary)
    jobs, texts, isas = [], {}, {}
    for mi, m in enumerate(matrices):
        w = f"{plan_path}: /matrix/{mi}" if isinstance(plan["matrix"], list) else f"{plan_path}: /matrix"
        _expect(isinstance(m, dict), w, "expected an object")
        for k in m:
            _expect(k in ("programs", "targets", "options", "seeds", "baselines"), f"{w}/{k}", "unknown key")
        for k in ("programs", "targets"):
            _expect(isinstance(m.get(k), list) and m[k], f"{w}/{k}", "expected a non-empty list")
        progs = [x for i, e in enumerate(m["programs"]) for x in _programs(e, f"{w}/programs/{i}")]
        targets = []
        for i, t in enumerate(m["targets"]):
            _expect(isinstance(t, str) and resolve(t).is_file(), f"{w}/targets/{i}", f"{t}: no such target file")
            targets.append(rel(resolve(t)))
        opts = [_options(o, f"{w}/options/{i}") for i, o in enumerate(m.get("options", [[]]))]
        seeds = m.get("seeds", [1])
        _expect(isinstance(seeds, list) and seeds and all(isinstance(s, int) and s >= 0 for s in seeds),
                f"{w}/seeds", "expected a list of non-negative integers")
        bases = m.get("baselines", ["op-by-op"])
        for i, b in enumerate(bases):
            _expect(b in KNOWN_BASELINES, f"{w}/baselines/{i}", f"unknown baseline {b!r} (known: {', '.join(KNOWN_BASELINES)})")
        for suite, name, path, dims, extra in progs:
            if path not in texts:
                texts[path] = path.read_text()
            for t in targets:
                if t not in isas:
                    isas[t] = hash_isa(resolve(t))
                for o in opts:
                    for s in seeds:
                        jid = job_id(texts[path], dims, isas[t], o["args"], s, version, bases, extra)
                        jobs.append({"id": jid, "suite": suite, "name": name, "program": rel(path), "dims": dims,
                                     "target": t, "options": o, "seed": s, "baselines": bases, **extra})
    settings = {"name": plan["name"], "timing": plan.get("timing", True), "bin": binary, "version": version,
                "job_timeout_s": plan.get("job_timeout_s", 0), "env": plan.get("env", {}),
                "slurm": plan.get("slurm", {})}
    return plan, settings, jobs


def load_run(run):
    run = pathlib.Path(run)
    if not (run / "jobs.jsonl").is_file() or not (run / "run.json").is_file():
        die(f"{run}: not a batch run folder (no jobs.jsonl / run.json; `batch.py plan PLAN -o {run}` makes one)")
    return read_json(run / "run.json"), read_jsonl(run / "jobs.jsonl")


def cmd_plan(plan_path, out, binary=None, quiet=False):
    out = pathlib.Path(out).resolve()
    plan, settings, jobs = expand_plan(plan_path, binary)
    out.mkdir(parents=True, exist_ok=True)
    for d in ("results", "claims", "work"):
        (out / d).mkdir(exist_ok=True)
    info = read_json(out / "run.json") if (out / "run.json").is_file() else {}
    if info and info.get("plan_name") != settings["name"]:
        die(f"{out}: holds the run of plan {info.get('plan_name')!r}, not {settings['name']!r}; choose another -o")
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M%S")
    info = {"run_id": info.get("run_id") or f"{settings['name']}-{stamp}", "plan_name": settings["name"],
            "created": info.get("created") or now_utc(), "planned": now_utc(), "host": host(), "machine": machine(),
            **{k: settings[k] for k in ("bin", "version", "timing", "job_timeout_s", "env", "slurm")}}
    write_atomic(out / "plan.json", json.dumps(plan, indent=2) + "\n")
    write_atomic(out / "jobs.jsonl", "".join(json.dumps(j, sort_keys=True) + "\n" for j in jobs))
    write_atomic(out / "run.json", json.dumps(info, indent=2) + "\n")
    if not quiet:
        n = len({j["id"] for j in jobs})
        print(f"batch: {out}: {len(jobs)} jobs ({n} distinct) of plan {settings['name']}, {settings['version']}")
    return out


# ---------------------------------------------------------------------------------------------
# Results and claims


def unique_jobs(jobs):
    seen, out = set(), []
    for j in jobs:
        if j["id"] not in seen:
            seen.add(j["id"])
            out.append(j)
    return out


def parse_shard(text):
    m = re.fullmatch(r"(\d+)/(\d+)", text or "")
    if not m or int(m.group(2)) < 1 or int(m.group(1)) >= int(m.group(2)):
        die(f"--shard {text}: expected K/S with 0 <= K < S (K as Slurm's SLURM_ARRAY_TASK_ID)")
    return int(m.group(1)), int(m.group(2))


def shard_of(jobs, k, s):
    """Shard k of s: the distinct jobs sorted by id, every s-th from the k-th (balanced; the same
    for any order of the plan)."""
    ids = sorted({j["id"] for j in jobs})
    mine = set(ids[k::s])
    return [j for j in unique_jobs(jobs) if j["id"] in mine]


def read_result(run, jid):
    try:
        with open(pathlib.Path(run) / "results" / f"{jid}.json") as f:
            return json.load(f)
    except (OSError, json.JSONDecodeError):
        return None


def is_done(result, retry_failed=False, force_since=0):
    if not result:
        return False
    if force_since and result.get("finished", 0) < force_since:
        return False
    return result.get("status") == "ok" or not retry_failed


class Claim:
    """An exclusive flock on RUN/claims/<id>.lock while a worker runs the job: another worker
    skips it; a killed worker's claim goes with its process."""

    def __init__(self, run, jid):
        self.path = pathlib.Path(run) / "claims" / f"{jid}.lock"
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self.fd)
            self.fd = None

    @property
    def held(self):
        return self.fd is not None

    def release(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def claimed_elsewhere(run, jid):
    c = Claim(run, jid)
    busy = not c.held
    c.release()
    return busy


# ---------------------------------------------------------------------------------------------
# Running one job


class MeasureLock:
    """The same flock axon-synth's --measure-lock takes: baselines measured by the batch tool
    (PyTorch, oneDNN, memcpy) take it too."""

    def __init__(self, path):
        self.path, self.fd = path, None

    def __enter__(self):
        if self.path:
            self.fd = os.open(self.path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o666)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            os.close(self.fd)


def log_tail(path, n=LOG_TAIL_LINES):
    try:
        return pathlib.Path(path).read_text(errors="replace").rstrip("\n").splitlines()[-n:]
    except OSError:
        return []


def run_logged(cmd, log, env=None, timeout=None, cwd=ROOT):
    """Runs cmd with its output appended to log; (exit code or 'timeout', stdout text)."""
    with open(log, "a") as lf:
        lf.write("$ " + " ".join(map(str, cmd)) + "\n")
        lf.flush()
        argv, pre = with_parent_death([str(c) for c in cmd])
        if not os.access(argv[4] if SETPRIV else argv[0], os.X_OK) and not shutil.which(str(cmd[0])):
            lf.write(f"cannot run {cmd[0]}: not an executable\n")
            return 127, ""
        try:
            p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=lf, text=True, cwd=cwd, env=env, preexec_fn=pre)
        except OSError as e:
            lf.write(f"cannot run {cmd[0]}: {e.strerror}\n")
            return 127, ""
        try:
            out, _ = p.communicate(timeout=timeout or None)
        except subprocess.TimeoutExpired:
            p.kill()
            out, _ = p.communicate()
            lf.write(out or "")
            lf.write(f"batch: killed after the job's {timeout} s\n")
            return "timeout", out or ""
        lf.write(out or "")
        return p.returncode, out or ""


def program_dims(binary, job, log, env):
    """Every dim of the program, overrides applied: `axon-synth ir`'s where-line."""
    rc, out = run_logged([binary, "ir", job["program"], *dim_args(job)], log, env)
    first = out.splitlines()[0] if rc == 0 and out else ""
    if not first.startswith("where "):
        return None
    return {k.strip(): v.strip() for k, v in (kv.split("=") for kv in first[len("where "):].split(","))}


def io_bytes(binary, job, dims, log, env):
    """Bytes of every input read once and every output written once (4 per element)."""
    rc, out = run_logged([binary, "check", job["program"], *dim_args(job)], log, env)
    if rc != 0:
        return None
    env_dims = {k: int(v) for k, v in dims.items()}
    total = 0
    for line in out.splitlines():
        m = re.match(r"\s+(input|inout|output)\s+\S+: \w+\[(.*)\]", line)
        if m:
            n = 1
            for d in m.group(2).split(","):
                try:  # a shape is an arithmetic expression of the dims (the checker's own output)
                    n *= int(eval(d, {"__builtins__": {}}, env_dims))
                except Exception:
                    return None
            total += 4 * n
    return total or None


def dim_args(job):
    return [a for k, v in sorted(job["dims"].items()) for a in ("--dim", f"{k}={v}")]


def main_job_summary(out):
    """The fields of the main job's report.json and candidates.jsonl that reports use."""
    r = json.loads((out / "report.json").read_text())
    s = {"tool": r.get("tool"), "device": r.get("device"), "dims": r.get("inputs", {}).get("dims"),
         "seconds": r.get("seconds"), "cache_hit": r.get("cache", {}).get("hit")}
    search = r.get("search", {})
    s.update({k: search.get(k) for k in ("measured", "stop_reason", "compiled", "variants")})
    rw = search.get("rewrites") or {}
    s["rewrites"] = {k: rw.get(k) for k in ("variants", "searched_variants", "attempted", "proven", "refuted",
                                            "unknown", "stop_reason", "seconds")}
    best, base = r.get("best"), r.get("baseline")
    if best and "time_ns" in best:
        t = best["time_ns"]
        s.update({"best_ms": t["median"] / 1e6, "best_min_ms": t["min"] / 1e6, "best_max_ms": t["max"] / 1e6,
                  "best_estimate_ms": best.get("estimate_ns", 0) / 1e6, "variant": best.get("variant")})
    if base:
        s["baseline_status"] = base.get("status")
        if "time_ns" in base:
            s["baseline_ms"] = base["time_ns"]["median"] / 1e6
    if "speedup_over_baseline" in r:
        s["speedup"] = r["speedup_over_baseline"]
    if "roofline" in r:  # reports that have one (the NPU's simulated timing); the CPU's has none
        s["roofline"] = r["roofline"]
    est = []
    try:
        for line in (out / "candidates.jsonl").read_text().splitlines():
            c = json.loads(line)
            if c.get("status") == "ok" and "time_ns" in c and c.get("estimate_ns"):
                est.append([c["estimate_ns"] / 1e6, c["time_ns"]["median"] / 1e6, c.get("kind")])
    except (OSError, json.JSONDecodeError):
        pass
    s["candidates"] = est
    return s


def measure_baselines(job, settings, out, work, log, env, lock):
    """The baselines the batch tool measures itself (the op-by-op one is the main job's)."""
    binary = settings["bin"]
    build = pathlib.Path(binary).resolve().parents[1]
    bases = {}
    threads = env.get("AXON_BENCH_THREADS") or str(os.cpu_count())
    want = set(job["baselines"])
    dims = program_dims(binary, job, log, env) if want & {"pytorch", "onednn", "memcpy"} else None
    copy = None
    if "pytorch" in want:
        try:
            import torch  # noqa: F401  (only whether it is there)
            have_torch = True
        except ImportError:
            have_torch = False
        if not have_torch:
            bases["pytorch"] = {"status": "not available", "why": "PyTorch is not installed (scripts/setup_bench.sh)"}
        elif "torch" not in job:
            bases["pytorch"] = {"status": "not available", "why": "the plan names no PyTorch kernel (\"torch\")"}
        elif dims is None:
            bases["pytorch"] = {"status": "failed", "why": "axon-synth ir gave no where-line"}
        else:
            lib = work / "lib"
            rc, _ = run_logged([binary, "library", "install", out, lib, "--name", job["name"]], log, env)
            if rc != 0:
                bases["pytorch"] = {"status": "failed", "why": f"library install exited {rc}"}
            else:
                penv = dict(env, PYTHONPATH=str(build / "python"), OMP_NUM_THREADS=threads)
                with lock:
                    rc, line = run_logged(["/usr/bin/python3", ROOT / "experiments/cpu_bench/torch_eager.py", job["torch"],
                                           threads, *[f"{k}={v}" for k, v in dims.items()], "--ours", lib, job["name"],
                                           "--copy", "256"], log, penv, timeout=600)
                f = line.split()
                if rc == 0 and len(f) == 3:
                    bases["pytorch"] = {"status": "ok", "ms": float(f[0]), "ours_runtime_ms": float(f[1])}
                    copy = float(f[2])
                else:
                    bases["pytorch"] = {"status": "failed", "why": f"torch_eager.py exited {rc}"}
    ref = build / "experiments/cpu_bench/axon-bench-ref"
    no_ref = "oneDNN's reference benchmark is not built (scripts/setup_bench.sh, then build axon-bench-ref)"
    if "onednn" in want:
        if not ref.exists():
            bases["onednn"] = {"status": "not available", "why": no_ref}
        elif job.get("torch") != "matmul" or not dims or not {"M", "N", "K"} <= dims.keys():
            bases["onednn"] = {"status": "not available",
                               "why": "oneDNN's sgemm is compared with plain matmuls (\"torch\": \"matmul\", dims M, N, K) only"}
        else:
            with lock:
                rc, line = run_logged([ref, "sgemm", dims["M"], dims["N"], dims["K"]], log,
                                      dict(env, OMP_NUM_THREADS=threads), timeout=600)
            try:
                bases["onednn"] = {"status": "ok", "ms": float(line.split()[0])}
            except (ValueError, IndexError):
                bases["onednn"] = {"status": "failed", "why": f"axon-bench-ref exited {rc}"}
    if "memcpy" in want:
        if copy is None and ref.exists():
            with lock:
                rc, line = run_logged([ref, "copy", "256", threads], log, env, timeout=600)
            try:
                copy = float(line.split()[0])
            except (ValueError, IndexError):
                pass
        nbytes = io_bytes(binary, job, dims, log, env) if dims else None
        if copy is None:
            bases["memcpy"] = {"status": "not available",
                               "why": "no memcpy measured: needs PyTorch's blocks (pytorch) or axon-bench-ref"}
        else:
            bases["memcpy"] = {"status": "ok", "gbps": copy, "bytes": nbytes,
                               "same_minutes": "pytorch" in bases and bases["pytorch"].get("status") == "ok"}
    return bases


def run_job(run, job, settings, lock_path):
    jid = job["id"]
    work = pathlib.Path(run) / "work" / jid
    shutil.rmtree(work, ignore_errors=True)  # a killed attempt's leftovers
    work.mkdir(parents=True)
    out, log = work / "out", work / "log.txt"
    env = dict(os.environ, **{k: str(v) for k, v in settings.get("env", {}).items()})
    cmd = [settings["bin"], "--isa", job["target"], job["program"], "-o", out, "--seed", str(job["seed"]),
           *dim_args(job), *job["options"]["args"]]
    if settings.get("timing") and lock_path:
        cmd += ["--measure-lock", lock_path]
    started, t0 = time.time(), time.monotonic()
    rc, _ = run_logged(cmd, log, env, timeout=settings.get("job_timeout_s") or None)
    res = {"schema": RESULT_SCHEMA, "id": jid, "job": {k: job[k] for k in job if k != "id"}, "host": host(),
           "machine": machine(), "loadavg_start": loadavg(), "worker": f"{host()}:{os.getpid()}",
           "started": started, "started_utc": now_utc(), "exit": rc, "cmd": [str(c) for c in cmd]}
    res["seconds"] = round(time.monotonic() - t0, 2)
    tail = log_tail(log)
    if rc == 0:
        try:
            res["main"] = main_job_summary(out)
            res["status"] = "ok"
        except (OSError, json.JSONDecodeError, KeyError) as e:
            res.update(status="failed", why=f"exit 0 but no usable report.json ({e})", log_tail=tail)
    else:
        unavailable = [l for l in tail if "not available yet" in l]
        if rc == 2 and unavailable:
            res.update(status="not available", why=unavailable[-1].strip())
        else:
            last = tail[-1].strip() if tail else ""
            res.update(status="failed", why=f"exit {rc}" + (f": {last}" if last else ""), log_tail=tail)
    if res["status"] == "ok":
        res["baselines"] = measure_baselines(job, settings, out, work, log, env, MeasureLock(
            lock_path if settings.get("timing") else None))
    res["finished"] = time.time()
    res["finished_utc"] = now_utc()
    write_atomic(pathlib.Path(run) / "results" / f"{jid}.json", json.dumps(res, indent=1) + "\n")
    return res


def cmd_worker(run, shard=None, jobs_n=1, retry_failed=False, force_since=0, lock_path=None, quiet=False):
    run = pathlib.Path(run).resolve()
    info, jobs = load_run(run)
    selected = shard_of(jobs, *shard) if shard else unique_jobs(jobs)
    settings = dict(info)
    if lock_path is None:
        lock_path = os.environ.get("AXON_MEASURE_LOCK", DEFAULT_LOCK)
    pending = [j for j in selected if not is_done(read_result(run, j["id"]), retry_failed, force_since)]
    counts = {"ran": 0, "ok": 0, "failed": 0, "not available": 0, "skipped": len(selected) - len(pending),
              "claimed_elsewhere": 0}
    mu = threading.Lock()
    queue = list(pending)

    def loop():
        while True:
            with mu:
                if not queue:
                    return
                job = queue.pop(0)
            claim = Claim(run, job["id"])
            if not claim.held:
                with mu:
                    counts["claimed_elsewhere"] += 1
                continue
            try:
                # Checked again under the claim: another worker may have finished it meanwhile.
                if is_done(read_result(run, job["id"]), retry_failed, force_since):
                    with mu:
                        counts["skipped"] += 1
                    continue
                res = run_job(run, job, settings, lock_path)
                with mu:
                    counts["ran"] += 1
                    counts[res["status"]] += 1
                if not quiet:
                    what = (f"{res['main'].get('best_ms', 0):.3f} ms" if res["status"] == "ok"
                            else f"{res['status']}: {res.get('why', '')}")
                    print(f"batch: [{job['id'][:8]}] {job['suite']}/{job['name']} {job['target']}: {what} "
                          f"({res['seconds']} s)", flush=True)
            finally:
                claim.release()

    threads = [threading.Thread(target=loop) for _ in range(max(1, jobs_n))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if not quiet:
        print(f"batch: {run}{' shard %d/%d' % shard if shard else ''}: ran {counts['ran']} "
              f"({counts['ok']} ok, {counts['failed']} failed, {counts['not available']} not available), "
              f"{counts['skipped']} already done, "
              f"{counts['claimed_elsewhere']} run by another worker", flush=True)
    return counts


# ---------------------------------------------------------------------------------------------
# Status and merge


def job_states(run, jobs):
    states = {}
    for j in unique_jobs(jobs):
        r = read_result(run, j["id"])
        if r:
            states[j["id"]] = r.get("status", "failed")
        elif claimed_elsewhere(run, j["id"]):
            states[j["id"]] = "running"
        else:
            states[j["id"]] = "missing"
    return states


def slurm_states(job_ids):
    if not job_ids or not shutil.which("squeue"):
        return {}
    out = subprocess.run(["squeue", "-h", "-r", "-o", "%i %T", "-j", ",".join(job_ids)], capture_output=True, text=True)
    states = {}
    for line in out.stdout.splitlines():
        f = line.split()
        if len(f) == 2:
            states[f[0]] = f[1]
    return states


def submissions(run):
    p = pathlib.Path(run) / "slurm" / "submissions.jsonl"
    return read_jsonl(p) if p.is_file() else []


def cmd_status(run, shards=None):
    run = pathlib.Path(run).resolve()
    info, jobs = load_run(run)
    states = job_states(run, jobs)
    count = lambda ids: {s: sum(1 for i in ids if states[i] == s) for s in ("ok", "failed", "not available", "running", "missing")}
    c = count(states)
    print(f"run {info['run_id']} ({info['version']}): {len(states)} jobs: " + ", ".join(f"{v} {k}" for k, v in c.items()))
    if shards:
        for k in range(shards):
            ids = [j["id"] for j in shard_of(jobs, k, shards)]
            print(f"  shard {k}/{shards}: " + ", ".join(f"{v} {s}" for s, v in count(ids).items()))
    subs = submissions(run)
    if subs:
        live = slurm_states([s["array_job"] for s in subs] + [s["report_job"] for s in subs if s.get("report_job")])
        for s in subs:
            print(f"  slurm {s['submitted']}: array {s['array_job']} (tasks {s['tasks']}, {s['missing']} jobs), "
                  f"report {s.get('report_job')}; in the queue: " +
                  (", ".join(f"{i} {st}" for i, st in sorted(live.items()) if i.split('_')[0] in (s['array_job'], s.get('report_job')))
                   or "none"))
    for jid, st in states.items():
        if st in ("failed", "not available"):
            r = read_result(run, jid)
            j = r["job"]
            print(f"  {st}: {j['suite']}/{j['name']} {j['target']} [{jid[:8]}]: {r.get('why', '')}")
    return c


def cmd_merge(run, others=(), quiet=False):
    """Copies the results of other run folders (shards run elsewhere) into RUN/results, the newer
    one winning, and writes RUN/results.jsonl: one line per job of the plan that has a result, in
    the plan's order."""
    run = pathlib.Path(run).resolve()
    info, jobs = load_run(run)
    ids = {j["id"] for j in jobs}
    copied = 0
    for o in others:
        o = pathlib.Path(o)
        if not (o / "results").is_dir():
            die(f"{o}: not a batch run folder (no results/)")
        for f in sorted((o / "results").glob("*.json")):
            jid = f.stem
            if jid not in ids:
                continue
            try:
                theirs = json.loads(f.read_text())
            except (OSError, json.JSONDecodeError):
                continue
            mine = read_result(run, jid)
            if not mine or theirs.get("finished", 0) > mine.get("finished", 0):
                write_atomic(run / "results" / f"{jid}.json", json.dumps(theirs, indent=1) + "\n")
                copied += 1
    lines = []
    for j in jobs:
        r = read_result(run, j["id"])
        if r:
            lines.append(json.dumps({"job": j, "result": {k: v for k, v in r.items() if k != "job"}}, sort_keys=True))
    write_atomic(run / "results.jsonl", "".join(l + "\n" for l in lines))
    if not quiet:
        print(f"batch: {run / 'results.jsonl'}: {len(lines)} of {len(jobs)} jobs have a result"
              + (f" ({copied} copied from {len(others)} other folders)" if others else ""))
    return len(lines)


# ---------------------------------------------------------------------------------------------
# Slurm


def cmd_slurm(run, shards, throttle, jobs_n, retry_failed, force_since, extra_args, lock_path):
    run = pathlib.Path(run).resolve()
    info, jobs = load_run(run)
    for exe in ("sbatch", "squeue"):
        if not shutil.which(exe):
            die(f"--slurm: {exe} is not on PATH (Debian: slurm-client; scripts/setup.sh installs slurm-wlm)")
    subs = submissions(run)
    live = slurm_states([s["array_job"] for s in subs] + [s["report_job"] for s in subs if s.get("report_job")])
    if live:
        die(f"{run}: earlier submissions are still in the queue ({', '.join(f'{i} {s}' for i, s in sorted(live.items()))}); "
            "wait for them or scancel them, then submit again")
    tasks, missing = [], 0
    for k in range(shards):
        n = sum(1 for j in shard_of(jobs, k, shards) if not is_done(read_result(run, j["id"]), retry_failed, force_since))
        if n:
            tasks.append(k)
            missing += n
    if not tasks:
        print(f"batch: {run}: every job has a result; nothing submitted (`batch.py report {run}`)")
        return None
    sd = run / "slurm"
    (sd / "logs").mkdir(parents=True, exist_ok=True)
    slurm = info.get("slurm", {})
    py = "/usr/bin/python3"
    flags = ["--retry-failed"] if retry_failed else []
    if force_since:
        flags += ["--force-since", repr(force_since)]
    if lock_path is not None:
        flags += ["--measure-lock", shlex.quote(lock_path)]
    head = ["#!/bin/bash", f"#SBATCH --job-name=axon-{info['plan_name']}"]
    if slurm.get("partition"):
        head.append(f"#SBATCH --partition={slurm['partition']}")
    if slurm.get("time"):
        head.append(f"#SBATCH --time={slurm['time']}")
    array = head + [f"#SBATCH --output={sd}/logs/array-%A_%a.out",
                    *(["#SBATCH --exclusive"] if info.get("timing") else []),
                    f"#SBATCH --cpus-per-task={slurm.get('cpus_per_task', 1)}" if not info.get("timing") else "",
                    f"cd {ROOT}",
                    f"exec {py} {ROOT}/experiments/batch.py worker {run} --shard \"$SLURM_ARRAY_TASK_ID/{shards}\" "
                    f"-j {jobs_n} {' '.join(flags)}", ""]
    report = head + [f"#SBATCH --output={sd}/logs/report-%j.out", f"cd {ROOT}",
                     f"{py} {ROOT}/experiments/batch.py merge {run} && exec {py} {ROOT}/experiments/batch.py report {run}", ""]
    write_atomic(sd / "array.sh", "\n".join(l for l in array if l != "") + "\n")
    write_atomic(sd / "report.sh", "\n".join(report) + "\n")
    spec = ",".join(map(str, tasks)) + (f"%{throttle}" if throttle else "")

    def sbatch(args):
        p = subprocess.run(["sbatch", "--parsable", *slurm.get("args", []), *extra_args, *args], capture_output=True, text=True)
        if p.returncode != 0:
            die(f"sbatch {' '.join(args)} failed (exit {p.returncode}): {p.stderr.strip()}")
        return p.stdout.strip().split(";")[0]

    array_id = sbatch([f"--array={spec}", str(sd / "array.sh")])
    report_id = sbatch([f"--dependency=afterany:{array_id}", str(sd / "report.sh")])
    rec = {"submitted": now_utc(), "array_job": array_id, "report_job": report_id, "tasks": tasks, "shards": shards,
           "throttle": throttle, "missing": missing, "exclusive": bool(info.get("timing"))}
    with open(sd / "submissions.jsonl", "a") as f:
        f.write(json.dumps(rec) + "\n")
    print(f"batch: submitted array job {array_id} (tasks {spec}, {missing} jobs) and report job {report_id} "
          f"(afterany); recorded in {sd / 'submissions.jsonl'}")
    return rec


# ---------------------------------------------------------------------------------------------
# Reports


def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(map(math.log, xs)) / len(xs)) if xs else None


def rows_of(run):
    run = pathlib.Path(run)
    info, jobs = load_run(run)
    rows = []
    for j in jobs:
        r = read_result(run, j["id"])
        rows.append({"job": j, "result": r})
    return info, rows


def speedups(row):
    """{baseline: ratio baseline time / ours} for a finished row (> 1: ours faster)."""
    r = row["result"]
    if not r or r.get("status") != "ok":
        return {}
    m, b, out = r["main"], r.get("baselines", {}), {}
    if "speedup" in m:
        out["op-by-op"] = m["speedup"]
    p = b.get("pytorch", {})
    if p.get("status") == "ok" and p.get("ours_runtime_ms"):
        out["pytorch"] = p["ms"] / p["ours_runtime_ms"]
    d = b.get("onednn", {})
    if d.get("status") == "ok" and m.get("best_ms") and row["job"].get("torch") == "matmul":
        out["onednn"] = d["ms"] / m["best_ms"]
    return out


def all_dims(job):
    """Every dim of the job's program: its where-line with the job's overrides (in the where-line's
    order), or the overrides alone when the program has none."""
    dims = {}
    try:
        for line in resolve(job["program"]).read_text().splitlines():
            m = re.match(r"\s*where\s+(.*)", line)
            if m:
                for kv in m.group(1).split(","):
                    k, _, v = kv.partition("=")
                    dims[k.strip()] = v.strip()
                break
    except OSError:
        pass
    for k, v in job["dims"].items():
        dims[k] = v
    return dims


def fmt(x, spec=".3f", missing="-"):
    return missing if x is None else format(x, spec)


def table_rows(rows, baselines):
    """Markdown/CSV cells of a (suite, target)'s rows."""
    header = ["kernel", "dims", "options", "seed", "ours ms", "op-by-op baseline ms", "vs baseline"]
    if "pytorch" in baselines:
        header += ["ours, runtime ms", "PyTorch eager ms", "vs PyTorch"]
    if "onednn" in baselines:
        header += ["oneDNN ms", "vs oneDNN"]
    if "memcpy" in baselines:
        header += ["GB/s (% of memcpy)"]
    roof = any(r["result"] and r["result"].get("main", {}).get("roofline") for r in rows)
    if roof:
        header += ["% of roofline"]
    header += ["variant", "measured", "stop", "synthesis s"]
    out = []
    for row in rows:
        j, r = row["job"], row["result"]
        dims = ",".join(f"{k}={v}" for k, v in all_dims(j).items())
        cells = [j["name"], dims, j["options"]["name"], str(j["seed"])]
        if not r:
            out.append(cells + ["missing (not run yet)"] + [""] * (len(header) - len(cells) - 1))
            continue
        if r["status"] != "ok":
            why = r.get("why", "")
            label = "not available" if r["status"] == "not available" else "failed"
            out.append(cells + [f"{label}: {why}"] + [""] * (len(header) - len(cells) - 2) + [fmt(r.get("seconds"), ".1f")])
            continue
        m, b, sp = r["main"], r.get("baselines", {}), speedups(row)
        base = fmt(m.get("baseline_ms")) if "baseline_ms" in m else (m.get("baseline_status") or "-")
        cells += [fmt(m.get("best_ms")), base, fmt(sp.get("op-by-op"), ".2f") + ("x" if "op-by-op" in sp else "")]

        def other(name, ms):
            e = b.get(name, {})
            if e.get("status") == "ok":
                return fmt(ms(e))
            return e.get("status", "-") if e else "-"

        if "pytorch" in baselines:
            p = b.get("pytorch", {})
            cells += [fmt(p.get("ours_runtime_ms")) if p.get("status") == "ok" else "-", other("pytorch", lambda e: e["ms"]),
                      fmt(sp.get("pytorch"), ".2f") + ("x" if "pytorch" in sp else "")]
        if "onednn" in baselines:
            cells += [other("onednn", lambda e: e["ms"]) if j.get("torch") == "matmul" else "not available", fmt(sp.get("onednn"), ".2f") + ("x" if "onednn" in sp else "")]
        if "memcpy" in baselines:
            c = b.get("memcpy", {})
            if c.get("status") == "ok" and c.get("bytes"):
                t = b.get("pytorch", {}).get("ours_runtime_ms") or m.get("best_ms")
                gbs = c["bytes"] / (t * 1e6)
                cells += [f"{gbs:.1f} ({100 * gbs / c['gbps']:.0f}%)"]
            else:
                cells += [c.get("status", "-")]
        if roof:
            rf = m.get("roofline") or {}
            cells += [fmt(rf.get("percent"), ".0f") + ("%" if rf.get("percent") is not None else "")]
        cells += [str(m.get("variant", "")), str(m.get("measured", "")), str(m.get("stop_reason", "")), fmt(r.get("seconds"), ".1f")]
        out.append(cells)
    return header, out


def summarize(rows, tie):
    """Per baseline: n, geomean speed-up, wins / losses / ties (a tie: within the tie margin)."""
    per = {}
    for row in rows:
        for b, s in speedups(row).items():
            per.setdefault(b, []).append(s)
    out = {}
    for b, xs in per.items():
        out[b] = {"n": len(xs), "geomean": geomean(xs), "wins": sum(1 for x in xs if x > 1 + tie),
                  "losses": sum(1 for x in xs if x < 1 / (1 + tie)),
                  "ties": sum(1 for x in xs if 1 / (1 + tie) <= x <= 1 + tie)}
    return out


def md_table(header, rows):
    esc = lambda c: str(c).replace("|", "\\|").replace("\n", " ")
    return "\n".join(["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] +
                     ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows]) + "\n"


def tag_of(info, rows):
    machines = sorted({r["result"]["machine"] for r in rows if r["result"]})
    hosts = sorted({r["result"]["host"] for r in rows if r["result"]})
    loads = [r["result"].get("loadavg_start") for r in rows if r["result"] and r["result"].get("loadavg_start") is not None]
    mach = machines[0] if len(machines) == 1 else (f"{len(machines)} machine kinds" if machines else info["machine"])
    if len(hosts) > 1:
        mach += f" ({len(hosts)} hosts)"
    load = f"; load average {min(loads)}-{max(loads)} at job starts" if loads else ""
    return f"run {info['run_id']} · {info['version']} · {mach}{load}"


def plots(info, rows, outdir, tie, diff_rows=None, diff_info=None):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return ["no plots: python3-matplotlib is not installed (scripts/setup.sh installs it)"]
    from matplotlib.ticker import FuncFormatter
    tag = tag_of(info, rows)
    made = []

    def times_axis(axis):  # a log axis of ratios, labelled 0.5x, 1x, 2x
        axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}x"))
        axis.set_minor_formatter(FuncFormatter(lambda v, _: f"{v:g}x" if f"{v:g}"[0] in "25" else ""))

    def save(fig, name, title):
        fig.text(0.01, 0.005, tag, fontsize=6, color="dimgray", ha="left", va="bottom")
        fig.suptitle(title, fontsize=10)
        fig.tight_layout(rect=(0, 0.03, 1, 1))
        fig.savefig(outdir / name, dpi=100, metadata={"Title": title, "Description": tag})
        plt.close(fig)
        made.append(name)

    label = lambda row: f"{row['job']['suite']}/{row['job']['name']}" + (
        f" [{row['job']['target'].split('/')[-1].removesuffix('.json')}]" if len({r['job']['target'] for r in rows}) > 1 else "")
    bases = sorted({b for row in rows for b in speedups(row)}, key=KNOWN_BASELINES.index)
    ok = [r for r in rows if r["result"] and r["result"].get("status") == "ok"]
    # 1. speed-up bars per kernel, one group per baseline
    if bases:
        pts = [r for r in ok if speedups(r)]
        fig, ax = plt.subplots(figsize=(max(6, 0.5 * len(pts) * max(1, len(bases)) ** 0.5 + 2), 4.5))
        w = 0.8 / len(bases)
        for bi, b in enumerate(bases):
            xs = [i + bi * w for i, r in enumerate(pts) if b in speedups(r)]
            ys = [speedups(r)[b] for r in pts if b in speedups(r)]
            ax.bar(xs, ys, width=w, label=f"vs {b}")
        ax.set_xticks([i + 0.4 - w / 2 for i in range(len(pts))], [label(r) for r in pts], rotation=70, fontsize=7, ha="right")
        ax.axhline(1.0, color="gray", linewidth=0.8)
        ax.set_yscale("log")
        times_axis(ax.yaxis)
        ax.set_ylabel("speed-up (baseline time / ours)")
        ax.legend(fontsize=7)
        save(fig, "speedup.png", "Speed-up per kernel")
        # 2. distribution
        fig, ax = plt.subplots(figsize=(6, 4))
        for b in bases:
            xs = sorted(speedups(r)[b] for r in ok if b in speedups(r))
            ax.step(xs, [(i + 1) / len(xs) for i in range(len(xs))], where="post", label=f"vs {b} (n={len(xs)})")
        ax.axvline(1.0, color="gray", linewidth=0.8)
        ax.set_xscale("log")
        times_axis(ax.xaxis)
        ax.set_xlabel("speed-up")
        ax.set_ylabel("fraction of kernels at or below")
        ax.legend(fontsize=7)
        save(fig, "speedup_distribution.png", "Speed-up distribution (cumulative)")
    # 3. synthesis time vs speed-up over the op-by-op baseline
    pts = [(r["result"]["seconds"], speedups(r)["op-by-op"], label(r)) for r in ok if "op-by-op" in speedups(r)]
    if pts:
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=14)
        for x, y, n in pts:
            ax.annotate(n.split("/")[-1], (x, y), fontsize=5, alpha=0.7)
        ax.set_yscale("log")
        ax.axhline(1.0, color="gray", linewidth=0.8)
        ax.set_xlabel("synthesis s (the whole main job)")
        times_axis(ax.yaxis)
        ax.set_ylabel("speed-up over the op-by-op baseline")
        save(fig, "synthesis_time_vs_speedup.png", "Synthesis time vs speed-up")
    # 4. cost-model estimate vs measured time, every measured candidate
    est = [(c[0], c[1], c[2]) for r in ok for c in r["result"]["main"].get("candidates", [])]
    if est:
        fig, ax = plt.subplots(figsize=(5.5, 5))
        for kind, colour in (("searched", "tab:blue"), ("baseline", "tab:orange")):
            e = [p for p in est if p[2] == kind]
            if e:
                ax.scatter([p[0] for p in e], [p[1] for p in e], s=8, alpha=0.6, color=colour, label=f"{kind} ({len(e)})")
        lo = min(min(p[0], p[1]) for p in est)
        hi = max(max(p[0], p[1]) for p in est)
        ax.plot([lo, hi], [lo, hi], color="gray", linewidth=0.8)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("cost-model estimate, ms")
        ax.set_ylabel("measured median, ms")
        ax.legend(fontsize=7)
        save(fig, "estimate_vs_measured.png", "Cost-model estimate vs measured time")
    # 5. % of roofline (reports that have one) or of the memcpy of the same minutes
    roof = [(label(r), r["result"]["main"]["roofline"]["percent"]) for r in ok if r["result"]["main"].get("roofline")]
    kind = "roofline"
    if not roof:
        kind = "memcpy bandwidth"
        for r in ok:
            c = r["result"].get("baselines", {}).get("memcpy", {})
            if c.get("status") == "ok" and c.get("bytes"):
                t = r["result"]["baselines"].get("pytorch", {}).get("ours_runtime_ms") or r["result"]["main"]["best_ms"]
                roof.append((label(r), 100 * c["bytes"] / (t * 1e6) / c["gbps"]))
    if roof:
        fig, ax = plt.subplots(figsize=(max(5, 0.45 * len(roof) + 2), 4))
        ax.bar([n for n, _ in roof], [p for _, p in roof])
        ax.axhline(100, color="gray", linewidth=0.8)
        ax.set_ylabel(f"% of {kind}")
        ax.tick_params(axis="x", labelrotation=70, labelsize=7)
        save(fig, "roofline.png", f"% of {kind}")
    # 6. diff of two runs
    if diff_rows is not None:
        d = diff(rows, diff_rows, tie)
        if d:
            fig, ax = plt.subplots(figsize=(max(7, 0.45 * len(d) + 2), 5))
            colour = {"faster": "tab:green", "slower": "tab:red", "same": "lightgray"}
            ax.bar([x["label"] for x in d], [x["ratio"] for x in d], color=[colour[x["verdict"]] for x in d])
            ax.axhline(1.0, color="gray", linewidth=0.8)
            ax.set_yscale("log")
            times_axis(ax.yaxis)
            ax.set_ylabel("old time / new time")
            ax.tick_params(axis="x", labelrotation=70, labelsize=7)
            save(fig, "diff.png", f"Against run {diff_info['run_id']} ({diff_info['version']})\n"
                                  "green: faster, red: slower, beyond the noise; gray: within it")
    return made


def diff(rows, old_rows, tie):
    """Kernels in both runs (same suite, name, target, options, seed): old median / new median,
    and a verdict: faster only beyond the tie margin and when the new median is below the fastest
    of the old winner's timed runs (its min), slower likewise the other way; "same" otherwise.
    (A [min, max] overlap test says "same" to everything on a loaded machine, whose max are
    outliers of preemption; the min of a run is its least disturbed figure.)"""
    key = lambda r: (r["job"]["suite"], r["job"]["name"], r["job"]["target"], r["job"]["options"]["name"], r["job"]["seed"])
    old = {key(r): r for r in old_rows if r["result"] and r["result"].get("status") == "ok"}
    out = []
    for r in rows:
        o = old.get(key(r))
        if not o or not r["result"] or r["result"].get("status") != "ok":
            continue
        a, b = o["result"]["main"], r["result"]["main"]
        if not a.get("best_ms") or not b.get("best_ms"):
            continue
        ratio = a["best_ms"] / b["best_ms"]
        verdict = "same"
        if ratio > 1 + tie and b["best_ms"] < a.get("best_min_ms", a["best_ms"]):
            verdict = "faster"
        elif ratio < 1 / (1 + tie) and a["best_ms"] < b.get("best_min_ms", b["best_ms"]):
            verdict = "slower"
        out.append({"label": f"{r['job']['suite']}/{r['job']['name']}", "old_ms": a["best_ms"], "new_ms": b["best_ms"],
                    "ratio": ratio, "verdict": verdict})
    return out


def cmd_report(run, outdir=None, tie=0.05, diff_run=None, quiet=False):
    run = pathlib.Path(run).resolve()
    info, rows = rows_of(run)
    outdir = pathlib.Path(outdir).resolve() if outdir else run / "report"
    outdir.mkdir(parents=True, exist_ok=True)
    tag = tag_of(info, rows)
    md = [f"# {info['plan_name']}", "", f"{tag}.", ""]
    loads = [r["result"].get("loadavg_start") for r in rows if r["result"] and r["result"].get("loadavg_start") is not None]
    if loads and max(loads) > 0.5 * (os.cpu_count() or 1):
        md += [f"**The machine was loaded** (load average up to {max(loads)} on {os.cpu_count()} cores when jobs "
               "started): timings are noisier and slower than on an idle machine.", ""]
    groups = {}
    for r in rows:
        groups.setdefault((r["job"]["suite"], r["job"]["target"]), []).append(r)
    files = []
    summary_lines = [["suite", "target", "baseline", "kernels", "geomean speed-up", "wins", "losses", f"ties (within {tie:.0%})"]]
    for (suite, target), grp in groups.items():
        bases = sorted({b for r in grp for b in r["job"]["baselines"]}, key=KNOWN_BASELINES.index)
        header, cells = table_rows(grp, bases)
        stem = f"{suite}__{pathlib.Path(target).stem}"
        write_atomic(outdir / f"{stem}.md", f"Suite `{suite}`, target `{target}`; {tag}.\n\n" + md_table(header, cells))
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(header)
        w.writerows(cells)
        write_atomic(outdir / f"{stem}.csv", buf.getvalue())
        files += [f"{stem}.md", f"{stem}.csv"]
        md += [f"## {suite}, `{target}`", "", md_table(header, cells)]
        for b, s in summarize(grp, tie).items():
            summary_lines.append([suite, target, b, str(s["n"]), f"{s['geomean']:.2f}x", str(s["wins"]), str(s["losses"]), str(s["ties"])])
        missing = sum(1 for r in grp if not r["result"])
        if missing:
            md += [f"{missing} job(s) of this table have no result yet (`batch.py status {run}`).", ""]
        for st in ("failed", "not available"):
            n = sum(1 for r in grp if r["result"] and r["result"].get("status") == st)
            if n:
                summary_lines.append([suite, target, "-", str(n), st, "", "", ""])
    md += ["## Summary", "", md_table(summary_lines[0], summary_lines[1:])]
    rw = [r for r in rows if r["result"] and r["result"].get("status") == "ok" and r["result"]["main"].get("rewrites")]
    if rw:
        hdr = ["suite", "kernel", "variants", "searched", "attempted", "proven", "refuted", "unknown", "stop", "discovery s"]
        cells = []
        for r in rw:
            x = r["result"]["main"]["rewrites"]
            cells.append([r["job"]["suite"], r["job"]["name"], *["-" if x.get(k) is None else str(x[k]) for k in
                          ("variants", "searched_variants", "attempted", "proven", "refuted", "unknown", "stop_reason")],
                          fmt(x.get("seconds"), ".2f")])
        md += ["## Rewrite discovery and proofs (from the main jobs' reports)", "", md_table(hdr, cells)]
    diff_rows = diff_info = None
    if diff_run:
        diff_info, diff_rows = rows_of(diff_run)
        d = diff(rows, diff_rows, tie)
        md += [f"## Against run {diff_info['run_id']} ({diff_info['version']})", "",
               f"Faster or slower only beyond {tie:.0%} and with one run's median below the other's fastest "
               "timed run (min).", "",
               md_table(["kernel", "old ms", "new ms", "old / new", "verdict"],
                        [[x["label"], fmt(x["old_ms"]), fmt(x["new_ms"]), f"{x['ratio']:.2f}", x["verdict"]] for x in d])]
    made = plots(info, rows, outdir, tie, diff_rows, diff_info)
    if made and made[0].startswith("no plots"):
        md += [made[0], ""]
    else:
        md += ["## Figures", ""] + [f"![{m}]({m})" for m in made] + [""]
    write_atomic(outdir / "report.md", "\n".join(md))
    summary = [dict(zip(summary_lines[0], s)) for s in summary_lines[1:]]
    write_atomic(outdir / "summary.json", json.dumps({"run_id": info["run_id"], "version": info["version"], "tag": tag,
                                                      "summary": summary, "figures": made}, indent=1) + "\n")
    if not quiet:
        print(f"batch: {outdir / 'report.md'} ({len(files) // 2} tables, {len(made)} figures)")
    return outdir


# ---------------------------------------------------------------------------------------------
# Command line


def main(argv=None):
    ap = argparse.ArgumentParser(prog="batch.py", description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n", 2)[2])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("plan", help="expand a plan into RUN/jobs.jsonl")
    p.add_argument("plan")
    p.add_argument("-o", "--out", required=True)
    p.add_argument("--bin", help="axon-synth (default: the plan's bin, $AXON_SYNTH, build/tools/axon-synth)")

    def worker_flags(p):
        p.add_argument("--shard", help="K/S: only shard K (0-based) of S")
        p.add_argument("-j", "--jobs", type=int, help="jobs at once (default: 2 for timing plans, else one per core)")
        p.add_argument("--retry-failed", action="store_true", help="run failed jobs again")
        p.add_argument("--measure-lock", help=f"the lock file of timing plans (default $AXON_MEASURE_LOCK or {DEFAULT_LOCK}; "
                                              "'' for none)")

    p = sub.add_parser("run", help="plan, then run what is missing")
    p.add_argument("plan", help="a plan (.json) or a run folder (re-planned from its plan.json)")
    p.add_argument("-o", "--out", help="the run folder (default build/batch/<plan name>)")
    p.add_argument("--bin")
    worker_flags(p)
    p.add_argument("--force", action="store_true", help="run every job again, finished or not")
    p.add_argument("--report", action="store_true", help="merge and report at the end")
    p.add_argument("--slurm", action="store_true", help="submit a Slurm job array instead of running here")
    p.add_argument("--shards", type=int, default=4, help="--slurm: array tasks (default 4)")
    p.add_argument("--throttle", type=int, default=0, help="--slurm: at most this many tasks at once (%%T)")
    p.add_argument("--sbatch-arg", action="append", default=[], help="--slurm: passed to sbatch (repeatable)")
    p = sub.add_parser("worker", help="run the missing jobs of a run folder")
    p.add_argument("run")
    worker_flags(p)
    p.add_argument("--force-since", type=float, default=0, help="results finished before this epoch count as missing")
    p = sub.add_parser("status", help="done / failed / running / missing")
    p.add_argument("run")
    p.add_argument("--shards", type=int, help="counts per shard of this many")
    p = sub.add_parser("merge", help="results/*.json -> results.jsonl")
    p.add_argument("run")
    p.add_argument("others", nargs="*", help="other run folders of the same plan (shards run elsewhere)")
    p = sub.add_parser("report", help="tables, summary, plots")
    p.add_argument("run")
    p.add_argument("-o", "--out", help="default RUN/report")
    p.add_argument("--diff", help="another run folder of the same plan: which kernels got faster or slower")
    p.add_argument("--tie", type=float, default=0.05, help="ratios within 1 +- this are ties (default 0.05)")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "plan":
            cmd_plan(a.plan, a.out, a.bin)
        elif a.cmd in ("run", "worker"):
            shard = parse_shard(a.shard) if a.shard else None
            if a.cmd == "run":
                src = pathlib.Path(a.plan)
                if src.is_dir():
                    out = pathlib.Path(a.out or src)
                    if not (src / "plan.json").is_file():
                        die(f"{src}: not a batch run folder (no plan.json)")
                    plan_path = src / "plan.json"
                else:
                    plan_path = src
                    name = read_json(src, "the plan").get("name", src.stem) if src.is_file() else src.stem
                    out = pathlib.Path(a.out or ROOT / "build" / "batch" / str(name))
                binary = a.bin
                if src.is_dir() and not binary and (src / "run.json").is_file():
                    binary = read_json(src / "run.json").get("bin")
                run = cmd_plan(plan_path, out, binary)
                force_since = time.time() if a.force else 0
            else:
                run, force_since = pathlib.Path(a.run), a.force_since
            info, _ = load_run(run)
            jobs_n = a.jobs or (2 if info.get("timing") else (os.cpu_count() or 1))
            lock = a.measure_lock
            if a.cmd == "run" and a.slurm:
                if shard:
                    die("--slurm makes its own shards (--shards S); --shard is for running one here")
                cmd_slurm(run, a.shards, a.throttle, a.jobs or 1, a.retry_failed, force_since, a.sbatch_arg, lock)
                return 0
            counts = cmd_worker(run, shard, jobs_n, a.retry_failed, force_since, lock)
            if a.cmd == "run" and a.report:
                cmd_merge(run)
                cmd_report(run)
            return 1 if counts["failed"] else 0
        elif a.cmd == "status":
            c = cmd_status(a.run, a.shards)
            return 0 if c["missing"] == 0 and c["running"] == 0 else 3
        elif a.cmd == "merge":
            cmd_merge(a.run, a.others)
        elif a.cmd == "report":
            cmd_report(a.run, a.out, a.tie, a.diff)
        return 0
    except UserError as e:
        print(f"batch: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("batch: interrupted; finished jobs are kept, the rest are redone by the same command", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
