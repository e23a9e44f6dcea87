"""inspect_ir(t, LoweringLevel.X): what a lazy tensor becomes, level by level."""
import enum
import json
import os
import subprocess
import tempfile

from . import _kernels
from . import _program
from ._errors import AxonError


class LoweringLevel(enum.Enum):
    GRAPH = "graph"    # the program as .tp, each statement with the user's Python line
    INDEX = "index"    # axon-synth's index notation of the program (`axon-synth ir --level index`)
    KERNEL = "kernel"  # the synthesized kernel: derivation, loop nest, measured time, certificates
    LLVM = "llvm"      # the kernel's LLVM IR


def _program_for(t):
    if t._value is not None:
        raise AxonError("inspect_ir: this tensor is materialized already; inspect it before "
                        "item()/numpy()/backward() (or rebuild the expression)")
    return _program.Program([t])


def _entry(name):
    path = os.path.join(_kernels.library_dir(), "manifest.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        manifest = json.load(f)
    for e in manifest.get("kernels", []):
        if e.get("name") == name:
            return e
    return None


def _kernel_file(entry, suffix):
    for f in entry.get("files", []):
        if f["path"].endswith(suffix):
            with open(os.path.join(_kernels.library_dir(), f["path"])) as fh:
                return fh.read()
    return None


def inspect_ir(t, level=LoweringLevel.GRAPH):
    """The text of T's program at LEVEL. KERNEL and LLVM synthesize the kernel if it is not in
    the library yet (as running it would)."""
    level = LoweringLevel(level)
    prog = _program_for(t)
    if level == LoweringLevel.GRAPH:
        return prog.annotated_text()
    if level == LoweringLevel.INDEX:
        binary = _kernels.synth_binary()
        if not binary:
            raise AxonError("inspect_ir(INDEX) needs axon-synth (set AXON_SYNTH)")
        with tempfile.TemporaryDirectory(prefix="axon-ir-") as tmp:
            tp = os.path.join(tmp, "program.tp")
            with open(tp, "w") as f:
                f.write(prog.text())
            extra = ["--dim", f"B={prog.cap}"] if prog.cap else []
            r = subprocess.run([binary, "ir", tp, "--level", "index"] + extra, capture_output=True,
                               text=True, timeout=120)
            if r.returncode != 0:
                raise AxonError(f"axon-synth ir failed: {r.stderr.strip()}")
            return r.stdout
    name = _kernels.kernel_name(prog)
    entry = _entry(name)
    if entry is None:
        ok, why = _kernels._synthesize(prog, name)
        entry = _entry(name) if ok else None
        if entry is None:
            raise AxonError(f"inspect_ir: no kernel {name} in {_kernels.library_dir()} ({why})")
    if level == LoweringLevel.LLVM:
        return _kernel_file(entry, "kernel.ll") or ""
    out = [f"kernel {entry['id']} ({entry['target']['isa']})",
           f"measured: median {entry['time_ns']['median'] / 1e3:.1f} us "
           f"(op-by-op baseline {entry['time_ns'].get('baseline_median', float('nan')) / 1e3:.1f} us)",
           f"certificates: {len(entry.get('certificates', []))}"]
    for c in entry.get("certificates", []):
        out.append(f"  {c if isinstance(c, str) else c.get('path', c)}")
    out.append("derivation:")
    out.append(_kernel_file(entry, "derivation.txt") or "  (none)")
    out.append("loop nest (kernel.c):")
    out.append(_kernel_file(entry, "kernel.c") or "  (none)")
    return "\n".join(out)
