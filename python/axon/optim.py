"""axon.optim: SGD (momentum, weight decay, step decay schedule), Adam, AdamW.

Parameters, gradients and optimizer state live in flat 64-byte aligned buffers (each parameter a
view, padded to 16 floats); one optimizer program updates the whole model in place, so a model
has one optimizer kernel. Per-step scalars (learning rate, bias corrections) and the
hyperparameters are rank-0 inputs: changing them never causes a new synthesis."""
import math

import numpy as np

from . import _config
from . import _program
from . import _tensor as T
from ._errors import shape_error

_ALIGN = 16  # floats: 64 bytes


def aligned_zeros(n, dtype=np.float32):
    """A zeroed 1-d array of N elements whose data is 64-byte aligned."""
    itemsize = np.dtype(dtype).itemsize
    raw = np.zeros(n + 64 // itemsize, dtype)
    off = (-raw.ctypes.data % 64) // itemsize
    return raw[off: off + n]


class _Flat:
    """The flat buffers of a list of parameters: values, gradients, NSTATE state buffers."""

    def __init__(self, params, nstate):
        self.params = params
        self.offsets = []
        n = 0
        for p in params:
            self.offsets.append(n)
            n += -(-p._value.size // _ALIGN) * _ALIGN
        self.size = max(n, _ALIGN)
        dtype = _config.default_dtype()
        self.value = aligned_zeros(self.size, dtype)
        self.grad = aligned_zeros(self.size, dtype)
        self.state = [aligned_zeros(self.size, dtype) for _ in range(nstate)]
        for p, off in zip(params, self.offsets):
            k = p._value.size
            view = self.value[off: off + k].reshape(p._value.shape)
            np.copyto(view, p._value)
            p._value = view
            p._grad_buffer = self.grad[off: off + k].reshape(p._value.shape)

    def gather_grads(self):
        """Make the flat gradient buffer hold every parameter's gradient (zero where none)."""
        for p, off in zip(self.params, self.offsets):
            view = p._grad_buffer
            if p.grad is None:
                view.fill(0)
                continue
            g = p.grad._materialize()
            if g is not view and not np.shares_memory(g, view):
                np.copyto(view, g.reshape(view.shape))

    def leaf(self, arr):
        return T._leaf_value(arr, (self.size,), None)


def _scalar(v):
    return T._leaf_value(np.array(v, _config.default_dtype()), (), None)


class Optimizer:
    nstate = 0

    def __init__(self, params, **hyper):
        params = list(params)
        if not params:
            raise shape_error("the optimizer got an empty parameter list")
        seen, uniq = set(), []
        for p in params:
            if not isinstance(p, T.Tensor) or p.op != "leaf" or not p.requires_grad:
                raise shape_error("optimizer parameters must be leaf tensors that require "
                                  "gradients (nn.Parameter)")
            if id(p) not in seen:
                seen.add(id(p))
                uniq.append(p)
        self.param_list = uniq
        self.hyper = hyper
        self.flat = _Flat(uniq, self.nstate)
        self.steps = 0
        if _config.executor == "kernels" and _config.default_dtype() == np.float32:
            from . import _kernels

            # The optimizer program is known now: find or synthesize its kernel meanwhile.
            _kernels.prefetch(self._program())

    def zero_grad(self, set_to_none=True):
        for p in self.param_list:
            p.grad = None
        if not set_to_none:
            self.flat.grad.fill(0)

    def _scalars(self, t):
        """{name: value} of the rank-0 inputs of step T (1-based)."""
        raise NotImplementedError

    def _updates(self, P, G, S, sc):
        """[(buffer leaf, new value)] given the flat leaves and the scalar leaves SC."""
        raise NotImplementedError

    def _program(self):
        """The update program; built once (its structure never changes), later steps only
        write the new scalar values into its rank-0 inputs."""
        vals = self._scalars(self.steps + 1)
        cached = getattr(self, "_cached", None)
        if cached is None:
            f = self.flat
            P, G = f.leaf(f.value), f.leaf(f.grad)
            S = [f.leaf(s) for s in f.state]
            sc = {k: _scalar(v) for k, v in vals.items()}
            with _config.no_grad(), _config.phase("opt"):
                updates = self._updates(P, G, S, sc)
            cached = self._cached = (_program.Program([], updates), sc)
        else:
            last = self._last_scalars
            for k, v in vals.items():
                if last.get(k) != v:  # most hyperparameters never change
                    cached[1][k]._value[...] = v
        self._last_scalars = vals
        return cached[0]

    def step(self):
        self.flat.gather_grads()
        _program.run(self._program())
        self.steps += 1

    @property
    def lr(self):
        return self.hyper["lr"]


class SGD(Optimizer):
    """SGD with momentum and weight decay; the learning rate decays by GAMMA every DECAY_EVERY
    steps, down to MIN_LR: lr_t = max(lr * gamma ** (t // decay_every), min_lr)."""

    def __init__(self, params, lr, momentum=0.0, weight_decay=0.0, gamma=1.0, decay_every=None,
                 min_lr=0.0):
        self.nstate = 1 if momentum else 0
        if decay_every is not None and decay_every < 1:
            raise shape_error("SGD: decay_every must be a positive number of steps")
        super().__init__(params, lr=lr, momentum=momentum, weight_decay=weight_decay, gamma=gamma,
                         decay_every=decay_every, min_lr=min_lr)

    def current_lr(self, step=None):
        h = self.hyper
        t = self.steps if step is None else step
        lr = h["lr"]
        if h["decay_every"]:
            lr = lr * h["gamma"] ** (t // h["decay_every"])
        return max(lr, h["min_lr"])

    def _scalars(self, t):
        h = self.hyper
        return {"lr": self.current_lr(t - 1), "wd": h["weight_decay"], "mu": h["momentum"]}

    def _updates(self, P, G, S, sc):
        # Without weight decay the gradient is read as it is: no `+ 0 * p` pass in the kernel.
        g = G + sc["wd"] * P if self.hyper["weight_decay"] else G
        if self.hyper["momentum"]:
            buf = sc["mu"] * S[0] + g
            return [(S[0], buf), (P, P - sc["lr"] * buf)]
        return [(P, P - sc["lr"] * g)]


class Adam(Optimizer):
    """Adam (PyTorch's torch.optim.Adam: weight_decay adds wd * p to the gradient)."""
    nstate = 2
    decoupled = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)

    def _scalars(self, t):
        # Every scalar is computed here in float64 and rounded once to float32, as PyTorch does
        # with its Python-float arguments. Computing 1 - beta2 in the program from a float32
        # beta2 loses 1.3e-5 of it (float32's 0.999 is 0.99900001), which scales every Adam step
        # by (1 - 6.4e-6): enough to make AdamW's 100-step loss drift 1.9e-3 from PyTorch's.
        h = self.hyper
        b1, b2 = h["betas"]
        lr, wd = h["lr"], h["weight_decay"]
        return {"wd": 0.0 if self.decoupled else wd, "decay": 1.0 - lr * wd if self.decoupled else 1.0,
                "b1": b1, "omb1": 1.0 - b1, "b2": b2, "omb2": 1.0 - b2,
                "neg_step_size": -lr / (1.0 - b1 ** t), "sqrt_bc2": math.sqrt(1.0 - b2 ** t),
                "eps": h["eps"]}

    def _updates(self, P, G, S, sc):
        # PyTorch's operations in PyTorch's order (its single-tensor Adam on the CPU):
        # m = m b1 + (1 - b1) g; v = v b2 + ((1 - b2) g) g; p = p (1 - lr wd) (AdamW);
        # p = p + ((-lr / bc1) m) / (sqrt(v) / sqrt(bc2) + eps).
        # Weight decay enters only where it is nonzero (it is fixed per optimizer): Adam without
        # it reads the gradient as it is, one pass over memory fewer in the kernel.
        M, V = S
        wd = self.hyper["weight_decay"] != 0
        g = G + sc["wd"] * P if wd and not self.decoupled else G
        m = M * sc["b1"] + sc["omb1"] * g
        v = V * sc["b2"] + (sc["omb2"] * g) * g
        denom = T.ew("sqrt", v) / sc["sqrt_bc2"] + sc["eps"]
        p = (P * sc["decay"] if wd and self.decoupled else P) + (sc["neg_step_size"] * m) / denom
        return [(M, m), (V, v), (P, p)]


class AdamW(Adam):
    """AdamW (decoupled weight decay: p <- p (1 - lr wd) before the Adam step)."""
    decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
