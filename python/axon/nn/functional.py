"""axon.nn.functional: the usual functions, recorded lazily (see axon.Tensor)."""
import numpy as np

from .. import _config
from .. import _tensor as T
from .._errors import shape_error


def relu(x):
    return T.ew("relu", x)


def sigmoid(x):
    return T.ew("sigmoid", x)


def tanh(x):
    return T.ew("tanh", x)


def gelu(x, approximate="none"):
    x = T._as_tensor(x)
    if approximate == "none":
        return 0.5 * x * (1.0 + T.ew("erf", x * 0.7071067811865476))
    if approximate == "tanh":
        return 0.5 * x * (1.0 + T.ew("tanh", 0.7978845608028654 * (x + 0.044715 * (x * x * x))))
    raise shape_error(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def silu(x):
    x = T._as_tensor(x)
    return x * T.ew("sigmoid", x)


def dropout(input, p=0.5, training=True, seed=None):
    """PyTorch's dropout: in training, zero each element with probability P and scale the rest
    by 1 / (1 - P) (the draws come from SEED, else axon's generator: axon.manual_seed); the
    identity otherwise."""
    if not training or p == 0.0:
        return T._as_tensor(input)
    return T.dropout(input, p, seed)


def flatten(input, start_dim=0, end_dim=-1):
    return T.flatten(input, start_dim, end_dim)


def reshape(input, shape):
    return T.reshape(input, shape)


def softmax(x, dim=-1):
    return T.softmax(x, dim, log=False)


def log_softmax(x, dim=-1):
    return T.softmax(x, dim, log=True)


def linear(x, weight, bias=None):
    return T.linear(x, weight, bias)


_consts = {}  # small arrays every step needs again, never written: row weights, identities


def _const_array(key, make):
    a = _consts.get(key)
    if a is None:
        if len(_consts) > 256:
            _consts.clear()
        a = make()  # (writeable: the runtime binding takes writeable arrays; nothing writes it)
        _consts[key] = a
    return a


def _row_weights(x, reduction):
    """Row weights [N]: 1/n on the valid rows for 'mean', 1 for 'sum', 0 on padded rows (one
    array per (n, capacity, reduction, dtype), reused by every step)."""
    n, cap = x.batch if x.batch is not None else (x._shape[0], x._shape[0])
    dtype = _config.default_dtype()

    def make():
        w = np.zeros(cap, dtype)
        w[:n] = 1.0 / n if reduction == "mean" else 1.0
        return w
    w = _const_array(("rw", n, cap, reduction, dtype), make)
    return T._leaf_value(w, (x._shape[0],), x.batch)


def cross_entropy(input, target, reduction="mean"):
    """Cross-entropy of logits INPUT [N, C] against class indices [N] (integers) or
    probabilities / one-hot rows [N, C]. Fused: its gradient is (softmax - target) x row weight."""
    x = T._as_tensor(input)
    if x.ndim != 2:
        raise shape_error(f"cross_entropy takes logits [N, C], got {T.shape_text(x._shape)}")
    if reduction not in ("mean", "sum"):
        raise shape_error(f"cross_entropy: reduction must be 'mean' or 'sum', got {reduction!r}")
    C = x._shape[1]
    if C == T.B:
        raise shape_error("cross_entropy: the class dim cannot be the batch dim")
    if isinstance(target, np.ndarray):
        target = T.Tensor(target, batch=x.batch is not None,
                          capacity=x.batch[1] if x.batch else None)
    if not isinstance(target, T.Tensor):
        raise shape_error(f"cross_entropy: target must be a tensor, got {type(target).__name__}")
    tv = target._value
    if tv is not None and tv.dtype.kind in "iu":
        if target._shape != x._shape[:1]:
            raise shape_error(
                f"cross_entropy: class indices must be [N] for logits {T.shape_text(x._shape)}, got "
                f"{T.shape_text(target._shape)}")
        if target.batch != x.batch:
            raise shape_error("cross_entropy: the target and the logits come from different batches")
        n = x.batch[0] if x.batch else tv.shape[0]
        idx = tv[:n]
        if idx.size and (idx.min() < 0 or idx.max() >= C):
            bad = int(idx[(idx < 0) | (idx >= C)][0])
            raise shape_error(f"cross_entropy: class index {bad} is out of range for {C} classes")
        # One-hot rows by one take from an identity matrix (padded rows hold index 0; their row
        # weight is 0, so their target row does not matter).
        dtype = _config.default_dtype()
        eye = _const_array(("eye", C, dtype), lambda: np.eye(C, dtype=dtype))
        onehot = eye.take(tv, axis=0)
        t = T._leaf_value(onehot, x._shape, x.batch)
    else:
        t = target
        if t._shape != x._shape:
            raise shape_error(
                f"cross_entropy: a target of probabilities must have the logits' shape "
                f"{T.shape_text(x._shape)}, got {T.shape_text(t._shape)}",
                hint="class indices are an integer tensor [N]")
        if tv is not None:
            n = x.batch[0] if x.batch else tv.shape[0]
            rows = tv[:n].sum(axis=1)
            if np.any(np.abs(rows - 1) > 1e-4):
                raise shape_error("cross_entropy: each target row must sum to 1 (one-hot or "
                                  "probabilities)")
    return T.cross_entropy_onehot(x, t, _row_weights(x, reduction))


def embedding(input, weight):
    """The rows of WEIGHT [num, dim] at the integer indices INPUT [N] (a batch tensor of token
    ids included): [N, dim]. A gather: see axon.Tensor.__getitem__."""
    return T.take_rows(weight, input)


def nll_loss(input, target, reduction="mean"):
    """Negative log-likelihood of log-probabilities INPUT [N, C] (e.g. log_softmax's) at the
    class indices TARGET [N]: -(1/n) sum_i input[i, target[i]] ('mean'), or the sum. The
    picking is a gather (Tensor.gather), so its gradient is the scatter of the row weights."""
    x = T._as_tensor(input)
    if x.ndim != 2:
        raise shape_error(f"nll_loss takes log-probabilities [N, C], got {T.shape_text(x._shape)}")
    if reduction not in ("mean", "sum"):
        raise shape_error(f"nll_loss: reduction must be 'mean' or 'sum', got {reduction!r}")
    if isinstance(target, np.ndarray):
        target = T.Tensor(target, batch=x.batch is not None,
                          capacity=x.batch[1] if x.batch else None)
    if not isinstance(target, T.Tensor) or target._value is None or \
            target._value.dtype.kind not in "iu":
        raise shape_error("nll_loss: the target must be an integer tensor of class indices [N]")
    if target._shape != x._shape[:1] or target.batch != x.batch:
        raise shape_error(f"nll_loss: class indices must be [N] for {T.shape_text(x._shape)}, got "
                          f"{T.shape_text(target._shape)}")
    tv = target._value
    idx = T._leaf_value(tv.reshape(-1, 1), (x._shape[0], 1), target.batch)
    picked = T.reshape(T.gather(x, -1, idx), (x.shape[0],))
    return -T.reduce_sum(picked * _row_weights(x, reduction))


def mse_loss(input, target, reduction="mean"):
    x, y = T._as_tensor(input), T._as_tensor(target)
    if x._shape != y._shape:
        raise shape_error(f"mse_loss: input {T.shape_text(x._shape)} and target "
                          f"{T.shape_text(y._shape)} differ in shape")
    d = x - y
    if reduction == "mean":
        return (d * d).mean()
    if reduction == "sum":
        return (d * d).sum()
    raise shape_error(f"mse_loss: reduction must be 'mean' or 'sum', got {reduction!r}")


def _norm_axes(x, normalized_shape, what):
    ns = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(ns)
    if k == 0 or k > x.ndim or tuple(x._shape[-k:]) != ns:
        raise shape_error(f"{what}: normalized_shape {list(ns)} does not match the last dims of "
                          f"the input {T.shape_text(x._shape)}")
    return tuple(range(x.ndim - k, x.ndim))


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    x = T._as_tensor(input)
    axes = _norm_axes(x, normalized_shape, "layer_norm")
    mean = x.mean(axes, keepdim=True)
    xc = x - mean
    var = (xc * xc).mean(axes, keepdim=True)
    y = xc * T.ew("rsqrt", var + eps)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


def rms_norm(input, normalized_shape, weight=None, eps=1e-6):
    x = T._as_tensor(input)
    axes = _norm_axes(x, normalized_shape, "rms_norm")
    y = x * T.ew("rsqrt", (x * x).mean(axes, keepdim=True) + eps)
    if weight is not None:
        y = y * weight
    return y
