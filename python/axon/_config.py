"""Process-wide settings of the library (environment variables are read once, at import)."""
import contextlib
import os
import threading

import numpy as np


class _State(threading.local):
    def __init__(self):
        self.grad_enabled = True
        self.phase = "fwd"  # "fwd", "bwd" (nodes made by backward()), "opt" (optimizer steps)
        self.loc_override = None  # the forward node's location while its gradient is built
        self.layer = None  # the module call recording nodes now (an int; None outside modules)


state = _State()

# float32 (kernels) or float64 (the numpy executor only: gradient checks).
_dtype = [np.float32]


def default_dtype():
    return _dtype[0]


def set_default_dtype(dtype):
    """np.float32 (the default; kernels) or np.float64 (every program runs in the float64 numpy
    executor, for gradient checks)."""
    dtype = np.dtype(dtype).type
    if dtype not in (np.float32, np.float64):
        raise ValueError("default dtype must be float32 or float64")
    _dtype[0] = dtype


# How programs run: "kernels" (synthesized kernels; the numpy executor with a warning where
# synthesis fails) or "numpy" (the numpy executor always).
executor = os.environ.get("AXON_EXECUTOR", "kernels")

# AXON_CHECK_PROGRAMS=1: `axon-synth check` every program before it runs (read at import).
check_programs = os.environ.get("AXON_CHECK_PROGRAMS") == "1"


def set_executor(name):
    global executor
    if name not in ("kernels", "numpy"):
        raise ValueError("executor must be 'kernels' or 'numpy'")
    executor = name


@contextlib.contextmanager
def no_grad():
    old = state.grad_enabled
    state.grad_enabled = False
    try:
        yield
    finally:
        state.grad_enabled = old


@contextlib.contextmanager
def phase(name, loc=None):
    old, old_loc = state.phase, state.loc_override
    state.phase, state.loc_override = name, loc
    try:
        yield
    finally:
        state.phase, state.loc_override = old, old_loc


_layer_ids = iter(range(1, 1 << 62))


@contextlib.contextmanager
def layer():
    """Nodes recorded inside are one layer (a Module call: the innermost one a node is made in);
    large graphs are cut into programs at layer boundaries (_program._run_sized)."""
    old = state.layer
    state.layer = next(_layer_ids)
    try:
        yield
    finally:
        state.layer = old
