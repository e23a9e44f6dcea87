"""Lazy tensors: every operation records a node (op, inputs, attributes, symbolic shape, the
user's source location); values materialize at item(), numpy(), print, backward() and step().

Shapes are tuples of ints and the batch symbol "B": a tensor from a DatasetIterator (or
axon.tensor(..., batch=True)) has a leading batch dim whose current size n may be smaller than
the iterator's batch size (the capacity). Values of such tensors are stored padded to the
capacity; every reduction over the batch dim is weighted by a row mask (and means by 1/n, a
rank-0 input), so one kernel serves every batch, the last partial one included."""
import math

import numpy as np

from . import _config
from ._errors import ShapeError, shape_error, user_location

B = "B"


def _dim_text(d):
    return "B" if d == B else str(d)


def shape_text(shape):
    return "[" + ", ".join(_dim_text(d) for d in shape) + "]"


class Tensor:
    """A lazy tensor. Build with axon.tensor(...); operations return new lazy tensors."""

    __array_priority__ = 1000  # numpy scalars on the left defer to Tensor's operators

    def __init__(self, data, requires_grad=False, batch=False, capacity=None, n=None):
        arr = np.asarray(data)
        if arr.dtype.kind == "f":
            arr = arr.astype(_config.default_dtype(), copy=True)
        elif arr.dtype.kind in "iub":
            arr = arr.copy()
        else:
            raise TypeError(f"axon.tensor: unsupported dtype {arr.dtype}")
        _init_leaf(self, arr, requires_grad, batch, capacity, n)

    # ---- properties -------------------------------------------------------------------------
    @property
    def shape(self):
        """The concrete shape (the batch dim at its current size)."""
        return tuple(self.batch[0] if d == B else d for d in self._shape)

    @property
    def ndim(self):
        return len(self._shape)

    @property
    def dtype(self):
        if self._value is not None:
            return self._value.dtype
        return np.dtype(_config.default_dtype())

    def size(self, dim=None):
        return self.shape if dim is None else self.shape[dim]

    @property
    def is_leaf(self):
        return self.op == "leaf"

    # ---- materialization --------------------------------------------------------------------
    def _materialize(self):
        if self._value is None:
            from . import _program

            _program.materialize([self])
        return self._value

    def numpy(self):
        """The value as a numpy array (the valid rows only, for a batch tensor)."""
        v = self._materialize()
        if self.batch is not None and v.ndim > 0 and v.shape[0] != self.batch[0]:
            v = v[: self.batch[0]]
        return v

    def item(self):
        v = self._materialize()
        if v.size != 1:
            raise shape_error(f"item() needs a tensor of one element, this one is {list(self.shape)}")
        return float(v.reshape(()))

    def tolist(self):
        return self.numpy().tolist()

    def __repr__(self):
        try:
            v = self.numpy()
        except Exception as e:  # printing must not hide the tensor
            return f"tensor(<{type(e).__name__}: {e}>, shape={list(self.shape)})"
        body = np.array2string(v, precision=4, separator=", ")
        grad = ", requires_grad=True" if self.requires_grad else ""
        return f"tensor({body}{grad})"

    def __len__(self):
        if not self._shape:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __float__(self):
        return self.item()

    def detach(self):
        t = _new("leaf", (), {"kind": "data"}, self._shape, self.batch)
        t._value = self._materialize()
        return t

    def requires_grad_(self, flag=True):
        if self.op != "leaf":
            raise RuntimeError("requires_grad_() applies to leaf tensors only")
        self.requires_grad = flag
        return self

    def backward(self, gradient=None):
        from . import _autodiff

        _autodiff.backward(self, gradient)

    # ---- operators --------------------------------------------------------------------------
    def __add__(self, o):
        return ew("add", self, o)

    def __radd__(self, o):
        return ew("add", o, self)

    def __sub__(self, o):
        return ew("sub", self, o)

    def __rsub__(self, o):
        return ew("sub", o, self)

    def __mul__(self, o):
        return ew("mul", self, o)

    def __rmul__(self, o):
        return ew("mul", o, self)

    def __truediv__(self, o):
        return ew("div", self, o)

    def __rtruediv__(self, o):
        return ew("div", o, self)

    def __neg__(self):
        return ew("neg", self)

    def __pow__(self, p):
        if isinstance(p, (int, float)):
            if p == 2:
                return ew("square", self)
            return ew("powc", self, p=float(p))
        raise shape_error("only a constant exponent is supported (tensor ** number)")

    def __matmul__(self, o):
        return matmul(self, o)

    def __rmatmul__(self, o):
        return matmul(o, self)

    def exp(self):
        return ew("exp", self)

    def log(self):
        return ew("log", self)

    def tanh(self):
        return ew("tanh", self)

    def sigmoid(self):
        return ew("sigmoid", self)

    def relu(self):
        return ew("relu", self)

    def sqrt(self):
        return ew("sqrt", self)

    def rsqrt(self):
        return ew("rsqrt", self)

    def erf(self):
        return ew("erf", self)

    def square(self):
        return ew("square", self)

    def sum(self, dim=None, keepdim=False):
        return reduce_sum(self, dim, keepdim)

    def mean(self, dim=None, keepdim=False):
        return reduce_mean(self, dim, keepdim)

    def reshape(self, *shape):
        return reshape(self, shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape)

    def view(self, *shape):
        return self.reshape(*shape)

    def flatten(self, start_dim=0, end_dim=-1):
        return flatten(self, start_dim, end_dim)

    def __getitem__(self, index):
        return getitem(self, index)

    def gather(self, dim, index):
        return gather(self, dim, index)

    @property
    def T(self):
        return transpose(self)

    def t(self):
        return transpose(self)


def _init_leaf(t, arr, requires_grad, batch, capacity, n):
    shape = tuple(arr.shape)
    binfo = None
    if batch:
        if arr.ndim == 0:
            raise shape_error("a batch tensor needs at least one dim")
        cap = capacity or arr.shape[0]
        n = arr.shape[0] if n is None else n
        if not (1 <= n <= cap) or arr.shape[0] not in (n, cap):
            raise shape_error(f"batch of {arr.shape[0]} rows does not fit capacity {cap}")
        if arr.shape[0] < cap:
            pad = np.zeros((cap,) + arr.shape[1:], arr.dtype)
            pad[: arr.shape[0]] = arr
            arr = pad
        shape = (B,) + shape[1:]
        binfo = (n, cap)
    t.op, t.inputs, t.attrs, t._shape, t.batch = "leaf", (), {"kind": "data"}, shape, binfo
    t.loc = None
    t.requires_grad = bool(requires_grad)
    if requires_grad and arr.dtype.kind != "f":
        raise TypeError("only floating-point tensors can require gradients")
    t.grad = None
    t._value = arr
    t.phase = "fwd"
    t.layer = None
    t._outbuf = None
    t._consumers = 0


def _new(op, inputs, attrs, shape, batch, loc=None):
    t = Tensor.__new__(Tensor)
    st = _config.state
    t.op, t.inputs, t.attrs, t._shape, t.batch = op, tuple(inputs), attrs, tuple(shape), batch
    t.loc = loc if loc is not None else (st.loc_override or user_location())
    rg = False
    if st.grad_enabled:
        for i in inputs:
            if i.requires_grad:
                rg = True
                break
    t.requires_grad = rg
    t.grad = None
    t._value = None
    t.phase = st.phase
    t.layer = st.layer
    t._outbuf = None
    t._consumers = 0
    return t


def tensor(data, requires_grad=False, batch=False, capacity=None, n=None):
    """A leaf tensor from array-like DATA. batch=True marks the leading dim as the batch dim."""
    if isinstance(data, Tensor):
        data = data.numpy()
    return Tensor(data, requires_grad=requires_grad, batch=batch, capacity=capacity, n=n)


def _leaf_value(arr, shape, batch):
    t = Tensor.__new__(Tensor)
    _init_leaf(t, arr, False, False, None, None)
    t._shape, t.batch = tuple(shape), batch
    return t


def const(v):
    t = _new("const", (), {"value": float(v)}, (), None)
    t.requires_grad = False
    return t


def _as_tensor(x):
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (int, float, np.floating, np.integer)):
        return const(float(x))
    if isinstance(x, np.ndarray):
        return Tensor(x)
    raise TypeError(f"expected an axon.Tensor or a number, got {type(x).__name__}")


def _merge_batch(ts, what):
    b = None
    for t in ts:
        if t.batch is not None:
            if b is not None and b != t.batch:
                raise shape_error(
                    f"'{what}' mixes batches of different sizes ({b[0]} rows of {b[1]} "
                    f"and {t.batch[0]} rows of {t.batch[1]})")
            b = t.batch
    return b


def _check_float(ts, what):
    for t in ts:
        if t._value is not None and t._value.dtype.kind != "f":
            raise shape_error(f"'{what}' takes floating-point tensors, got {t._value.dtype} "
                              f"(integer tensors are class indices: use them in cross_entropy)")


def broadcast_shapes(shapes, what):
    r = max(len(s) for s in shapes)
    out = []
    for a in range(r):
        d = 1
        for s in shapes:
            k = a - (r - len(s))
            if k < 0:
                continue
            e = s[k]
            if e == d or e == 1:
                continue
            if d == 1:
                d = e
                continue
            ops = " and ".join(shape_text(s) for s in shapes)
            raise shape_error(
                f"shapes do not broadcast in '{what}': dim {_dim_text(d)} against {_dim_text(e)} "
                f"(operands {ops})", hint="NumPy broadcasting: trailing dims equal or 1")
        out.append(d)
    return tuple(out)


# Elementwise functions: arity, numpy evaluation, index-notation text.
def _np_erf(x):
    return np.vectorize(math.erf, otypes=[x.dtype])(x)


EW = {
    "add": (2, lambda a, b: a + b, "({0} + {1})"),
    "sub": (2, lambda a, b: a - b, "({0} - {1})"),
    "mul": (2, lambda a, b: a * b, "({0} * {1})"),
    "div": (2, lambda a, b: a / b, "({0} / {1})"),
    "neg": (1, lambda a: -a, "(-{0})"),
    "exp": (1, np.exp, "exp({0})"),
    "log": (1, np.log, "log({0})"),
    "tanh": (1, np.tanh, "tanh({0})"),
    "erf": (1, _np_erf, "erf({0})"),
    "sqrt": (1, np.sqrt, "sqrt({0})"),
    "rsqrt": (1, lambda a: 1 / np.sqrt(a), "rsqrt({0})"),
    # written out with exp: CPU targets lower exp, not sigmoid
    "sigmoid": (1, lambda a: 1 / (1 + np.exp(-a)), "(1.0 / (1.0 + exp(-{0})))"),
    "relu": (1, lambda a: np.maximum(a, 0), "max({0}, 0.0)"),
    "square": (1, lambda a: a * a, "({0} * {0})"),
    "powc": (1, None, "pow({0}, {p})"),
    # dropout(x, u, p): x / (1 - p) where the uniform draw u >= p, else 0 (also its gradient)
    "dropout": (3, lambda x, u, p: np.where(u >= p, x / (1 - p), 0).astype(x.dtype),
                "select({1} >= {2}, {0} / (1.0 - {2}), 0.0)"),
    # d relu(x) / dx applied to g: select(x > 0, g, 0)
    "relu_grad": (2, lambda x, g: np.where(x > 0, g, 0).astype(g.dtype), "select({0} > 0.0, {1}, 0.0)"),
}


def ew(fn, *xs, **attrs):
    arity = EW[fn][0]
    xs = [_as_tensor(x) for x in xs]
    assert len(xs) == arity, fn
    _check_float(xs, fn)
    shape = broadcast_shapes([x._shape for x in xs], fn)
    # Fold constants so that graphs stay small.
    if all(x.op == "const" for x in xs) and fn != "powc":
        vals = [np.float64(x.attrs["value"]) for x in xs]
        return const(float(EW[fn][1](*vals)))
    return _new("ew", xs, {"fn": fn, **attrs}, shape, _merge_batch(xs, fn))


def _axes(dim, rank):
    if dim is None:
        return tuple(range(rank))
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    out = []
    for d in dims:
        if not -rank <= d < rank:
            raise shape_error(f"dim {d} is out of range for a tensor of rank {rank}")
        out.append(d % rank)
    return tuple(sorted(set(out)))


def _row_mask(batch):
    n, cap = batch
    m = np.zeros(cap, _config.default_dtype())
    m[:n] = 1
    return _leaf_value(m, (B,), batch)


def _sum_node(x, red, keep, masked):
    shape = []
    for a, d in enumerate(x._shape):
        if a in red:
            if a in keep:
                shape.append(1)
        else:
            shape.append(d)
    ins = [x]
    masked = masked and any(x._shape[a] == B for a in red)
    if masked:
        ins.append(_row_mask(x.batch))
    batch = x.batch if B in shape else None
    return _new("sum", ins, {"red": tuple(red), "keep": tuple(keep), "masked": masked}, shape,
                batch if batch else (_merge_batch(ins, "sum") if B in shape else None))


def reduce_sum(x, dim=None, keepdim=False):
    x = _as_tensor(x)
    _check_float([x], "sum")
    red = _axes(dim, x.ndim)
    if not red:
        return x
    return _sum_node(x, red, red if keepdim else (), True)


def _count(x, red):
    """How many elements a reduction over RED sums: a leaf scalar 1/count when it depends on
    the batch size (a rank-0 input, so the kernel serves every batch), else a constant."""
    c = 1
    batch = False
    for a in red:
        d = x._shape[a]
        if d == B:
            batch = True
            c *= x.batch[0]
        else:
            c *= d
    if batch:
        return _leaf_value(np.array(1.0 / c, _config.default_dtype()), (), None)
    return const(1.0 / c)


def reduce_mean(x, dim=None, keepdim=False):
    x = _as_tensor(x)
    red = _axes(dim, x.ndim)
    return reduce_sum(x, dim, keepdim) * _count(x, red)


def _expand_node(g, x_shape, batch, red, keep, masked):
    ins = [g]
    if masked:
        ins.append(_row_mask(batch))
    return _new("expand", ins, {"red": tuple(red), "keep": tuple(keep), "masked": masked},
                x_shape, batch if B in x_shape else None)


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def contract(a, b, sa, sb, so, what="matmul"):
    """out[so] = sum over the other letters of a[sa] * b[sb] (einsum of two operands)."""
    dims = {}
    for s, t in ((sa, a), (sb, b)):
        for letter, d in zip(s, t._shape):
            if letter in dims and dims[letter] != d:
                raise shape_error(
                    f"shape mismatch in '{what}': {_dim_text(dims[letter])} against "
                    f"{_dim_text(d)} (operands {shape_text(a._shape)} and {shape_text(b._shape)})",
                    hint=f"{what}(a: [..., M, K], b: [K, N]) -> [..., M, N]")
            dims[letter] = d
    shape = tuple(dims[c] for c in so)
    for c in dims:
        if c not in so and dims[c] == B and _config.state.phase == "fwd":
            raise shape_error(f"'{what}' would sum over the batch dim; reduce it with sum() instead")
    return _new("contract", (a, b), {"sa": sa, "sb": sb, "so": so}, shape, _merge_batch((a, b), what))


def matmul(a, b):
    a, b = _as_tensor(a), _as_tensor(b)
    _check_float([a, b], "matmul")
    if a.ndim == 0 or b.ndim == 0:
        raise shape_error("matmul needs tensors of rank >= 1 (use * for scalars)")
    if b.ndim > 2:
        raise shape_error(f"matmul: the right operand must have rank 1 or 2, got {shape_text(b._shape)}")
    lead = _LETTERS[: a.ndim - 1]
    sa = lead + "y"
    sb = "yz" if b.ndim == 2 else "y"
    so = lead + ("z" if b.ndim == 2 else "")  # empty for vector . vector: a rank-0 result
    if a._shape[-1] != b._shape[0]:
        raise shape_error(
            f"shape mismatch in 'matmul': K is {_dim_text(a._shape[-1])} in 'a' but "
            f"{_dim_text(b._shape[0])} in 'b' (a is {shape_text(a._shape)}, b is {shape_text(b._shape)})",
            hint="signature: matmul(a: [..., M, K], b: [K, N]) -> [..., M, N]")
    return contract(a, b, sa, sb, so)


def linear(x, w, bias=None):
    """x @ w.T (+ bias) with w stored [out, in], read in place (no transpose materialized)."""
    x, w = _as_tensor(x), _as_tensor(w)
    _check_float([x, w], "linear")
    if w.ndim != 2 or x.ndim < 1:
        raise shape_error(f"linear: weight must be [out, in], got {shape_text(w._shape)}")
    if x._shape[-1] != w._shape[1]:
        raise shape_error(
            f"shape mismatch in 'linear': the input has {_dim_text(x._shape[-1])} features but the "
            f"weight takes {_dim_text(w._shape[1])} (input {shape_text(x._shape)}, weight "
            f"{shape_text(w._shape)} = [out, in])",
            hint="nn.Linear(in_features, out_features) takes inputs [..., in_features]")
    lead = _LETTERS[: x.ndim - 1]
    y = contract(x, w, lead + "y", "zy", lead + "z", "linear")
    if bias is not None:
        y = y + bias
    return y


def reshape(x, shape):
    """X with the same elements (row-major order) in SHAPE (one entry may be -1). A batch
    tensor keeps its leading batch dim: SHAPE starts with its row count (x.shape[0]) or -1 there
    is not allowed; only the other dims are regrouped. Emitted as an index remapping
    (y[i, j] = x[i, j / 28, j % 28]), never a copy in the graph's layout."""
    x = _as_tensor(x)
    shape = [int(d) if not isinstance(d, str) else d for d in shape]
    lead = 0
    if x.batch is not None and x._shape and x._shape[0] == B:
        if not shape or shape[0] not in (x.shape[0], B):
            raise shape_error(
                f"reshape of a batch tensor {shape_text(x._shape)} must keep the batch dim first "
                f"(got {list(shape)})", hint="e.g. x.reshape(x.shape[0], -1) or x.flatten(1)")
        lead = 1
    elif B in x._shape:
        raise shape_error("reshape: the batch dim must be the leading dim")
    rest, old = shape[lead:], x._shape[lead:]
    total = math.prod(old)
    if sum(1 for d in rest if d == -1) > 1 or any(d != -1 and (not isinstance(d, int) or d < 0)
                                                   for d in rest):
        raise shape_error(f"reshape: invalid shape {list(shape)} (sizes >= 0, at most one -1)")
    if -1 in rest:
        known = math.prod(d for d in rest if d != -1)
        if known == 0 or total % known:
            raise shape_error(f"reshape: cannot infer -1 in {list(shape)} for a tensor of "
                              f"{shape_text(x._shape)}")
        rest = [total // known if d == -1 else d for d in rest]
    if math.prod(rest) != total:
        raise shape_error(f"reshape: shape {list(shape)} does not hold the {total} elements of "
                          f"{shape_text(x._shape)}" + (" per row" if lead else ""))
    new = tuple(x._shape[:lead]) + tuple(rest)
    if new == x._shape:
        return x
    return _new("reshape", (x,), {"lead": lead}, new, x.batch)


def flatten(x, start_dim=0, end_dim=-1):
    """Dims START_DIM..END_DIM merged into one (PyTorch's flatten)."""
    x = _as_tensor(x)
    if x.ndim == 0:
        return reshape(x, (1,))
    s, e = _axes(start_dim, x.ndim)[0], _axes(end_dim, x.ndim)[0]
    if s > e:
        raise shape_error(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
    if B in x._shape[s: e + 1] and s != e:
        raise shape_error("flatten: the batch dim cannot be merged with others (use flatten(1))")
    shape = list(x.shape[:s]) + [math.prod(x.shape[s: e + 1])] + list(x.shape[e + 1:])
    return reshape(x, shape)


def dropout(x, p, seed=None):
    """Zero each element with probability P and scale the rest by 1 / (1 - P). The uniform
    draws are an input made here from SEED (else axon's generator), P a rank-0 input: one kernel
    serves every step and every rate."""
    from . import _random

    x = _as_tensor(x)
    _check_float([x], "dropout")
    if not 0.0 <= p <= 1.0:
        raise shape_error(f"dropout probability must be in [0, 1], got {p}")
    rng = np.random.default_rng(seed) if seed is not None else _random.generator()
    conc = tuple(x.batch[1] if d == B else d for d in x._shape)
    dtype = _config.default_dtype()
    u = _leaf_value(rng.random(conc, dtype=np.float64).astype(dtype), x._shape, x.batch)
    pr = _leaf_value(np.array(p, dtype), (), None)
    return ew("dropout", x, u, pr)


def transpose(x):
    x = _as_tensor(x)
    if x.ndim != 2:
        raise shape_error(f"transpose needs a rank-2 tensor, got {shape_text(x._shape)}")
    if B in x._shape:
        raise shape_error("transposing the batch dim is not supported")
    # A permuted read, expressed as a contraction-free index statement.
    return _new("permute", (x,), {"perm": (1, 0)}, (x._shape[1], x._shape[0]), None)


def softmax(x, dim=-1, log=False):
    x = _as_tensor(x)
    _check_float([x], "softmax")
    if x.ndim == 0 or _axes(dim, x.ndim) != (x.ndim - 1,):
        raise shape_error("softmax/log_softmax are supported over the last dim only (dim=-1)")
    if x._shape[-1] == B:
        raise shape_error("softmax over the batch dim is not supported")
    return _new("softmax", (x,), {"log": log}, x._shape, x.batch)


def where_positive(x, g):
    return ew("relu_grad", x, g)


def cross_entropy_onehot(x, t, rw):
    """Fused cross-entropy: sum_b rw[b] * sum_c t[b,c] * (logsumexp(x[b]) - x[b,c])."""
    m = _new("rowmax", (x,), {}, x._shape[:-1], x.batch)
    m.requires_grad = False
    s = _new("sumexp", (x, m), {}, x._shape[:-1], x.batch)
    s.requires_grad = False
    return _new("xent", (x, t, rw, m, s), {}, (), None)


# ---- indexing -----------------------------------------------------------------------------
# The .tp language indexes with expressions of index variables only (no data-dependent index),
# so a gather is a sum with one nonzero term: y[i, j] = sum(r: N) select(ix[i] == real(r),
# x[r, j], 0.0), exact (the other terms are zeros), the indices an f32 input (exact below 2^24).
# Its gradient is the scatter-add sum(i) select(ix[i] == real(r), g[i, j], 0.0). The work is
# N times a copy's, fine for class counts and modest tables.

_MAX_INDEX = 1 << 24  # f32 holds every integer below this exactly


def _index_leaf(index, size, what, allow_negative):
    """INDEX (an integer axon tensor with a value, a numpy array or a list of ints) as an integer
    leaf whose values lie in [0, SIZE) (negative ones wrapped when ALLOW_NEGATIVE)."""
    batch = None
    shape = None
    if isinstance(index, Tensor):
        if index._value is None or index._value.dtype.kind not in "iu":
            raise shape_error(f"{what}: indices must be an integer tensor with values (a data "
                              f"tensor, not a computed one), got "
                              f"{'a computed tensor' if index._value is None else index._value.dtype}")
        arr, batch, shape = index._value, index.batch, index._shape
    else:
        arr = np.asarray(index)
        if arr.dtype.kind not in "iu":
            raise shape_error(f"{what}: indices must be integers, got {arr.dtype}")
    if size >= _MAX_INDEX:
        raise shape_error(f"{what}: a dim of {size} is too large to index (at most {_MAX_INDEX})")
    valid = arr[: batch[0]] if batch is not None else arr
    if valid.size:
        lo, hi = int(valid.min()), int(valid.max())
        if hi >= size or lo < (-size if allow_negative else 0):
            bad = lo if lo < (-size if allow_negative else 0) else hi
            raise shape_error(f"{what}: index {bad} is out of range for a dim of size {size}")
        if lo < 0:
            arr = np.where(arr < 0, arr + size, arr)
    t = _leaf_value(np.ascontiguousarray(arr), shape if shape is not None else arr.shape, batch)
    return t


def take_rows(x, index):
    """x[index]: the rows of X (dim 0) at the integer INDEX (rank 1; a batch tensor of class
    ids or token ids included): [M] indices of an [N, ...] tensor give [M, ...]."""
    x = _as_tensor(x)
    _check_float([x], "index")
    if x.ndim == 0:
        raise shape_error("indexing a 0-d tensor")
    if x._shape[0] == B:
        raise shape_error("indexing the batch dim with a tensor of indices is not supported",
                          hint="index the data before making the batch")
    ix = _index_leaf(index, x._shape[0], "index", allow_negative=True)
    if ix.ndim != 1:
        raise shape_error(f"index: a tensor of indices must have rank 1, got {shape_text(ix._shape)}")
    return _new("take", (x, ix), {}, ix._shape + x._shape[1:], ix.batch)


def gather(x, dim, index):
    """PyTorch's gather along the last dim: out[..., k] = x[..., index[..., k]], INDEX an
    integer tensor of X's shape except in the last dim."""
    x = _as_tensor(x)
    _check_float([x], "gather")
    if x.ndim == 0 or _axes(dim, x.ndim) != (x.ndim - 1,):
        raise shape_error("gather is supported along the last dim only (dim=-1)")
    if x._shape[-1] == B:
        raise shape_error("gather along the batch dim is not supported")
    ix = _index_leaf(index, x._shape[-1], "gather", allow_negative=False)
    if ix.ndim != x.ndim or ix._shape[:-1] != x._shape[:-1]:
        raise shape_error(f"gather: the index {shape_text(ix._shape)} must have the shape of the "
                          f"input {shape_text(x._shape)} except in the last dim")
    if ix._shape[-1] == B:
        raise shape_error("gather: the index's last dim cannot be the batch dim")
    return _new("gather", (x, ix), {}, ix._shape, _merge_batch((x, ix), "gather"))


def _slice_bounds(k, size, what):
    if isinstance(k, slice):
        if k.step not in (None, 1):
            raise shape_error(f"{what}: slices with a step are not supported")
        start, stop, _ = k.indices(size)
        return start, max(stop, start), False
    if isinstance(k, (int, np.integer)) and not isinstance(k, bool):
        i = int(k)
        if not -size <= i < size:
            raise shape_error(f"{what}: index {i} is out of range for a dim of size {size}")
        i %= size
        return i, i + 1, True
    return None


def getitem(x, index):
    """x[...]: an integer tensor/array/list of indices picks rows (take_rows); integers and
    slices (step 1) pick parts of dims: an index remapping, never a copy in the graph. The batch
    dim takes only ':'."""
    x = _as_tensor(x)
    if isinstance(index, (Tensor, np.ndarray, list)):
        return take_rows(x, index)
    items = index if isinstance(index, tuple) else (index,)
    if any(k is Ellipsis or k is None for k in items):
        raise shape_error("indexing with ... or None is not supported")
    if len(items) > x.ndim:
        raise shape_error(f"too many indices ({len(items)}) for a tensor of rank {x.ndim}")
    starts, shape, drop = [], [], []
    for a, d in enumerate(x._shape):
        k = items[a] if a < len(items) else slice(None)
        if d == B:
            if k != slice(None):
                raise shape_error("the batch dim takes only ':' in an index",
                                  hint="index the data before making the batch")
            starts.append(0)
            shape.append(B)
            continue
        b = _slice_bounds(k, d, "index")
        if b is None:
            raise shape_error(f"unsupported index {k!r} (integers, slices, or one integer "
                              f"tensor of row indices)")
        lo, hi, dropped = b
        starts.append(lo)
        if dropped:
            drop.append(a)
        else:
            shape.append(hi - lo)
    if not drop and tuple(shape) == tuple(x._shape):
        return x
    return _new("slice", (x,), {"starts": tuple(starts), "drop": tuple(drop)}, tuple(shape),
                x.batch if B in shape else None)
