"""Programs to kernels: canonical program text -> sha256 -> kernel name; looked up in this process,
then in the kernel library, then synthesized by `axon-synth` run as a subprocess with --library
(LLVM and the solvers never load into Python; a crash stays in the child). The runtime's Python
module (axon_runtime) runs the kernels. A failed synthesis falls back to the numpy executor with a
warning, never a wrong result.

Environment: AXON_SYNTH (the axon-synth binary), AXON_LIBRARY_DIR (the kernel library; default
$XDG_CACHE_HOME/axon/kernels or ~/.cache/axon/kernels), AXON_TARGET (an ISA JSON; default: found
from the CPU), AXON_TIME_BUDGET (seconds of search per kernel, default 6), AXON_SYNTH_LOG (a file
that gets one line per axon-synth call), AXON_CHECK_PROGRAMS=1 (run `axon-synth check` on every
program, with the batch symbolic and with it bound)."""
import concurrent.futures
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings

import numpy as np

from . import _config
from ._errors import AxonError

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

stats = {"memory_hits": 0, "library_hits": 0, "synth_calls": 0, "synth_seconds": 0.0,
         "numpy_fallbacks": 0, "kernel_runs": 0, "kernel_seconds": 0.0,
         "replay_plans": 0, "replays": 0, "kernel_cpu_seconds": 0.0}

_lock = threading.Lock()  # _mem, _pending, _warned
_lib_lock = threading.Lock()  # the open library
_mem = {}  # kernel name -> ("kernel", library) | ("numpy", reason)
_pending = {}  # kernel name -> Future of its _mem entry, while one thread resolves it
_warned = set()
_lib = [None, set()]  # open library, names in it
_rt = []
profile = None  # a dict: kernel name -> [seconds of each run] (bench_training.py profile)
# Also count the CPU time of this thread in kernels (stats["kernel_cpu_seconds"]; benchmarks on
# a loaded machine, where wall time includes waiting for a core). Single-threaded kernels only.
cpu_clock = False


class SynthesisWarning(UserWarning):
    """A program runs in the numpy executor because no kernel could be made for it."""


def runtime_module():
    """The axon_runtime extension module, or None."""
    if _rt:
        return _rt[0]
    mod = None
    try:
        import axon_runtime as mod  # noqa: F811
    except ImportError:
        for cand in (os.environ.get("AXON_RUNTIME_PY"), os.path.join(_REPO, "build", "python")):
            if cand and os.path.isdir(cand):
                sys.path.insert(0, cand)
                try:
                    import axon_runtime as mod  # noqa: F811
                    break
                except ImportError:
                    sys.path.remove(cand)
    _rt.append(mod)
    return mod


def synth_binary():
    b = os.environ.get("AXON_SYNTH")
    if b:
        return b
    cand = os.path.join(_REPO, "build", "tools", "axon-synth")
    if os.access(cand, os.X_OK):
        return cand
    return shutil.which("axon-synth")


def _targets_dir():
    return os.environ.get("AXON_TARGETS_DIR", os.path.join(_REPO, "targets"))


def _is_zen4():
    try:
        with open("/proc/cpuinfo") as f:
            info = f.read(8192)
    except OSError:
        return False
    vendor = re.search(r"vendor_id\s*:\s*(\S+)", info)
    family = re.search(r"cpu family\s*:\s*(\d+)", info)
    return bool(vendor and vendor.group(1) == "AuthenticAMD" and family and int(family.group(1)) == 25)


def target_json():
    """The ISA JSON for this CPU: $AXON_TARGET, else zen4.json (AMD Zen 4) or avx512.json on a
    CPU with AVX-512, else avx2.json."""
    t = os.environ.get("AXON_TARGET")
    if t:
        return t if os.path.sep in t or t.endswith(".json") and os.path.exists(t) else \
            os.path.join(_targets_dir(), t if t.endswith(".json") else t + ".json")
    rt = runtime_module()
    avx512 = rt is not None and all(rt.cpu_supports(f) == 1 for f in ("avx512f", "avx512bw", "avx512vl"))
    name = ("zen4.json" if _is_zen4() else "avx512.json") if avx512 else "avx2.json"
    return os.path.join(_targets_dir(), name)


def threads():
    """The most threads a synthesized kernel may use (AXON_THREADS; default 0: as many as the
    target has cores). Threads help an idle machine; on a shared, loaded one a kernel's second
    thread waits for a core and a step takes several times longer (as PyTorch's does with more
    than one thread there), so benchmarks there use AXON_THREADS=1."""
    v = os.environ.get("AXON_THREADS", "0")
    try:
        n = int(v)
    except ValueError:
        raise AxonError(f"AXON_THREADS must be a number of threads, got {v!r}") from None
    if n < 0:
        raise AxonError(f"AXON_THREADS must be >= 0, got {n}")
    return n


def _target_for_threads(path, n):
    """PATH, or a copy of it whose cores number at most N (written once under the cache dir:
    the search then never proposes more than N threads). The copy's content, and so its hash in
    the kernel library, depends only on PATH's content and N."""
    import json

    with open(path) as f:
        text = f.read()
    isa = json.loads(text)
    changed = False
    for e in isa.get("engines", []):
        if e.get("kind") == "core" and isinstance(e.get("count"), int) and e["count"] > n:
            e["count"] = n
            changed = True
    if not changed:
        return path
    body = json.dumps(isa, indent=1, sort_keys=True) + "\n"
    digest = hashlib.sha256(body.encode()).hexdigest()[:12]
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    d = os.path.join(cache, "axon", "targets")
    out = os.path.join(d, f"{os.path.basename(path)[:-5]}.threads{n}.{digest}.json")
    if not os.path.exists(out):
        os.makedirs(d, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=d, suffix=".tmp")
        with os.fdopen(fd, "w") as f:
            f.write(body)
        os.replace(tmp, out)
    return out


def synth_target():
    """The ISA JSON given to axon-synth: target_json(), limited to threads() cores if set."""
    t = target_json()
    n = threads()
    if n and os.path.exists(t):
        return _target_for_threads(t, n)
    return t


def library_dir():
    d = os.environ.get("AXON_LIBRARY_DIR")
    if d:
        return d
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "axon", "kernels")


def time_budget():
    return float(os.environ.get("AXON_TIME_BUDGET", "6"))


_names = {}  # (canonical text, batch size, threads tag) -> kernel name


def _threads_tag():
    """Appended to the hashed text when AXON_THREADS limits the threads (kernels made for
    another thread limit are other kernels); empty by default, so default names are unchanged."""
    n = os.environ.get("AXON_THREADS", "0")
    return "" if n in ("", "0") else f"# threads <= {threads()}\n"


def kernel_name(prog):
    """ax_ + the first 16 hex digits of the sha256 of the canonical text and the batch size
    (remembered per text: a training step reuses the same text objects, whose hash Python
    caches, so a step hashes no program text)."""
    key = (prog.text(), prog.cap, _threads_tag())
    name = _names.get(key)
    if name is None:
        h = hashlib.sha256((key[0] + f"# B = {prog.cap}\n" + key[2]).encode()).hexdigest()
        name = "ax_" + h[:16]
        if len(_names) > 4096:
            _names.clear()
        _names[key] = name
    return name


def _open_library(refresh=False):
    rt = runtime_module()
    d = library_dir()
    with _lib_lock:
        if _lib[0] is None or refresh:
            if not os.path.exists(os.path.join(d, "manifest.json")):
                return None
            lib = rt.open(d)
            _lib[0], _lib[1] = lib, {k["name"] for k in lib.kernels()}
        return _lib[0]


def _log_call(cmd):
    p = os.environ.get("AXON_SYNTH_LOG")
    if p:
        with open(p, "a") as f:
            f.write(" ".join(cmd) + "\n")


def _user_diagnostic(prog, stderr, tp_path):
    """axon-synth's diagnostic, with the Python line of the statement it points at."""
    m = re.search(re.escape(os.path.basename(tp_path)) + r":(\d+):(\d+): error: (.*)", stderr)
    if not m:
        return stderr.strip()[-2000:]
    node = prog.line_node(int(m.group(1)))
    where = f"\n  (from {node.loc}: {node.loc.source_line().strip()})" if node and node.loc else ""
    return f"{m.group(0)}{where}"


_checked = set()


def check_once(prog):
    """check(PROG) unless a program of the same text passed already in this process."""
    key = kernel_name(prog)
    if key not in _checked:
        check(prog)
        _checked.add(key)


def check(prog):
    """Run `axon-synth check` on PROG's text with the batch symbolic and bound; raise on error."""
    binary = synth_binary()
    if not binary:
        raise AxonError("axon-synth not found (set AXON_SYNTH)")
    with tempfile.TemporaryDirectory(prefix="axon-check-") as tmp:
        tp = os.path.join(tmp, "program.tp")
        with open(tp, "w") as f:
            f.write(prog.text())
        runs = [[]] + ([["--dim", f"B={prog.cap}"]] if prog.cap else [])
        for extra in runs:
            r = subprocess.run([binary, "check", tp] + extra, capture_output=True, text=True,
                               timeout=120)
            if r.returncode != 0:
                raise AxonError(f"axon-synth check {' '.join(extra)} failed on an emitted program:\n"
                                f"{_user_diagnostic(prog, r.stderr + r.stdout, tp)}\n{prog.text()}")


def _synthesize(prog, name, budget=None):
    binary = synth_binary()
    if not binary:
        return False, "axon-synth not found (build it, or set AXON_SYNTH)"
    target = synth_target()
    if not os.path.exists(target):
        return False, f"target description {target} not found (set AXON_TARGET)"
    budget = time_budget() if budget is None else budget
    tmp = tempfile.mkdtemp(prefix="axon-synth-")
    try:
        tp = os.path.join(tmp, name + ".tp")
        with open(tp, "w") as f:
            f.write(prog.text())
        cmd = [binary, "--isa", target, tp, "-o", os.path.join(tmp, "out"),
               f"--library={library_dir()}", "--kernel-name", name, "--time-budget", str(budget)]
        if prog.cap:
            cmd += ["--dim", f"B={prog.cap}"]
        _log_call(cmd)
        stats["synth_calls"] += 1
        t0 = time.monotonic()
        try:
            r = subprocess.run(cmd, capture_output=True, text=True,
                               timeout=float(os.environ.get("AXON_SYNTH_TIMEOUT", "600")))
        except subprocess.TimeoutExpired:
            return False, "axon-synth timed out"
        finally:
            stats["synth_seconds"] += time.monotonic() - t0
        if r.returncode != 0:
            # With a short budget the op-by-op baseline may go unmeasured, and installing such a
            # result fails (report.json has no baseline median): search once more with a budget
            # that leaves room for the baseline.
            if "baseline" in r.stderr and "not_measured" in r.stderr and budget < 60:
                return _synthesize(prog, name, budget=max(60.0, 10 * budget))
            return False, f"axon-synth exited {r.returncode}: {_user_diagnostic(prog, r.stderr, tp)}"
        return True, ""
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _resolve(prog, name):
    rt = runtime_module()
    if rt is None:
        return ("numpy", "the axon_runtime module is not built (ninja -C build axon_runtime_py)")
    lib = _open_library()
    if lib is not None and name in _lib[1]:
        stats["library_hits"] += 1
        return ("kernel", lib)
    lib = _open_library(refresh=True)
    if lib is not None and name in _lib[1]:
        stats["library_hits"] += 1
        return ("kernel", lib)
    ok, why = _synthesize(prog, name)
    if ok:
        lib = _open_library(refresh=True)
        if lib is not None and name in _lib[1]:
            return ("kernel", lib)
        why = "the kernel was not installed into the library"
    return ("numpy", why)


def _ensure(prog, name):
    """The _mem entry of kernel NAME: found, or synthesized (once, whichever thread asks first;
    the others wait for it)."""
    with _lock:
        ent = _mem.get(name)
        if ent is not None:
            stats["memory_hits"] += 1
            return ent
        fut = _pending.get(name)
        owner = fut is None
        if owner:
            fut = _pending[name] = concurrent.futures.Future()
    if not owner:
        return fut.result()
    try:
        ent = _resolve(prog, name)
    except BaseException as e:
        with _lock:
            _pending.pop(name, None)
        fut.set_exception(e)
        raise
    with _lock:
        _mem[name] = ent
        _pending.pop(name, None)
    fut.set_result(ent)
    return ent


def prefetch(prog):
    """Start finding (or synthesizing) PROG's kernel in a background thread, so that the
    syntheses of the forward, backward and optimizer programs overlap."""
    if _config.executor != "kernels" or os.environ.get("AXON_PREFETCH", "1") != "1":
        return
    name = kernel_name(prog)
    with _lock:
        if name in _mem or name in _pending:
            return

    def work():
        try:
            _ensure(prog, name)
        except Exception:  # reported when the program runs
            pass
    threading.Thread(target=work, name=f"axon-synth {name}", daemon=True).start()


def _fallback(name, why):
    stats["numpy_fallbacks"] += 1
    with _lock:
        first = name not in _warned
        _warned.add(name)
        _mem[name] = ("numpy", why)
    if first:
        warnings.warn(f"axon: no kernel for program {name} ({why}); running it with the numpy "
                      f"executor", SynthesisWarning, stacklevel=5)


def run(prog, values=None):
    """{node id: value} for PROG's targets computed by its kernel (updates applied in place),
    or None when the program must run in the numpy executor. VALUES: {input node id: array}
    read instead of those inputs' own values (a replayed step)."""
    # A program object run again (a replayed step, the optimizer's update) keeps its kernel
    # name, its library entry and its argument names: the lookups are made once (so
    # AXON_THREADS counts when a program first runs).
    tag = None
    call = prog.__dict__.get("_call")
    if call is None or call[1] != _generation[0]:
        name = kernel_name(prog)
        ent = _ensure(prog, name)
        names = prog.names
        call = (tag, _generation[0], name, ent, [(names[id(x)], x) for x in prog.inputs],
                [(names[id(t)], t) for t in prog.targets], {})
        if ent[0] == "kernel":
            prog._call = call
    else:
        stats["memory_hits"] += 1
    name, ent, ins, outs = call[2:6]
    if ent[0] == "numpy":
        _fallback(name, ent[1])
        return None
    lib = ent[1]
    args = {}
    f32 = np.float32
    ok = call[6]  # the arrays checked last time, by argument: parameters and state repeat
    for an, x in ins:
        v = x._value if values is None else values.get(id(x), x._value)
        if ok.get(an) is v:
            args[an] = v
            continue
        if v.dtype == f32 and v.flags.c_contiguous:
            ok[an] = v
        else:
            v = np.ascontiguousarray(v, f32)
            if any(x is l for l, _ in prog.updates):
                raise AxonError("internal error: an in-place update of a non-float32 buffer")
        args[an] = v
    for an, t in outs:
        if t._outbuf is not None:
            args[an] = t._outbuf
    rt = runtime_module()
    try:
        if cpu_clock:
            c0 = time.thread_time()
        t0 = time.perf_counter()
        out = lib.run(name, **args)
        dt = time.perf_counter() - t0
        if cpu_clock:
            stats["kernel_cpu_seconds"] += time.thread_time() - c0
        stats["kernel_seconds"] += dt
        if profile is not None:
            profile.setdefault(name, []).append(dt)
    except rt.Error as e:
        # Another process sharing the library may have installed this kernel again since the
        # library was opened (its old object file is gone): reopen the library and try once more.
        fresh = _reopened_entry(name, lib)
        if fresh is None:
            _fallback(name, f"the runtime refused it: {e}")
            return None
        prog.__dict__.pop("_call", None)
        try:
            out = fresh.run(name, **args)
        except rt.Error as e2:
            _fallback(name, f"the runtime refused it: {e2}")
            return None
    stats["kernel_runs"] += 1
    env = {}
    if isinstance(out, dict):
        for an, t in outs:
            env[id(t)] = out[an]
    elif out is not None and outs:
        env[id(outs[0][1])] = out
    elif outs:
        raise AxonError(f"internal error: kernel {name} returned no output")
    return env


def _reopened_entry(name, stale):
    """The library reopened from disk when it now holds kernel NAME and is not STALE (the
    object that failed), recorded for later calls; else None."""
    try:
        lib = _open_library(refresh=True)
    except Exception:  # an unreadable library: the caller falls back
        return None
    if lib is None or lib is stale or name not in _lib[1]:
        return None
    with _lock:
        _mem[name] = ("kernel", lib)
    return lib


_generation = [0]  # bumped by reset(): programs' remembered kernels are forgotten too


def reset():
    """Forget the kernels found in this process (tests)."""
    _generation[0] += 1
    with _lock:
        _mem.clear()
        _warned.clear()
    with _lib_lock:
        _lib[0], _lib[1] = None, set()
    for k in stats:
        stats[k] = 0 if isinstance(stats[k], int) else 0.0
