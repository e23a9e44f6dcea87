"""Reverse-mode autodiff on the lazy graph: one rule per op, gradients only where an input
requires one. Gradient nodes are lazy tensors too (phase "bwd"); backward() then materializes the
loss and every parameter gradient (forward program, then backward program: _program.py).
Rules read the forward tensors in place: a matmul's gradients are contractions over the forward
operands' own layouts (no transposed copies), and cross-entropy's gradient is the fused
(softmax - target) x row weight."""
import math

import numpy as np

from . import _config
from . import _tensor as T
from ._errors import shape_error


def _unbroadcast(g, shape):
    """Sum G (broadcast to its shape) back to SHAPE."""
    if tuple(g._shape) == tuple(shape):
        return g
    lead = len(g._shape) - len(shape)
    red = list(range(lead))
    keep = []
    for a, d in enumerate(shape):
        if d == 1 and g._shape[lead + a] != 1:
            red.append(lead + a)
            keep.append(lead + a)
    # Gradient rows of padded batch entries are zero already: no mask needed.
    return T._sum_node(g, tuple(red), tuple(keep), False)


def _vjp(node, g):
    """Gradients of NODE's inputs given its output gradient G (None where not needed)."""
    ins = node.inputs
    need = [i.requires_grad for i in ins]
    op = node.op
    if op == "ew":
        fn = node.attrs["fn"]
        y = node
        if fn == "add":
            return [_unbroadcast(g, ins[0]._shape) if need[0] else None,
                    _unbroadcast(g, ins[1]._shape) if need[1] else None]
        if fn == "sub":
            return [_unbroadcast(g, ins[0]._shape) if need[0] else None,
                    _unbroadcast(-g, ins[1]._shape) if need[1] else None]
        if fn == "mul":
            a, b = ins
            return [_unbroadcast(g * b, a._shape) if need[0] else None,
                    _unbroadcast(g * a, b._shape) if need[1] else None]
        if fn == "div":
            a, b = ins
            return [_unbroadcast(g / b, a._shape) if need[0] else None,
                    _unbroadcast(-(g * y) / b, b._shape) if need[1] else None]
        if fn == "dropout":
            return [T.ew("dropout", g, ins[1], ins[2]) if need[0] else None, None, None]
        x = ins[0]
        if fn == "neg":
            d = -g
        elif fn == "exp":
            d = g * y
        elif fn == "log":
            d = g / x
        elif fn == "tanh":
            d = g * (1.0 - y * y)
        elif fn == "sigmoid":
            d = g * (y * (1.0 - y))
        elif fn == "sqrt":
            d = g * (0.5 / y)
        elif fn == "rsqrt":
            d = g * (-0.5 * (y * y * y))
        elif fn == "erf":
            d = g * (2.0 / math.sqrt(math.pi) * T.ew("exp", -(x * x)))
        elif fn == "relu":
            d = T.where_positive(y, g)  # relu(x) > 0 exactly where x > 0: reads the output
        elif fn == "square":
            d = g * (2.0 * x)
        elif fn == "powc":
            p = node.attrs["p"]
            d = g * (p * T.ew("powc", x, p=p - 1.0)) if p != 2.0 else g * (2.0 * x)
        else:
            raise shape_error(f"no gradient for '{fn}' (second derivatives are not supported)",
                              loc=node.loc)
        return [d]
    if op == "sum":
        x = ins[0]
        e = T._expand_node(g, x._shape, x.batch, node.attrs["red"], node.attrs["keep"],
                           node.attrs["masked"])
        return [e] + [None] * (len(ins) - 1)
    if op == "contract":
        a, b = ins
        sa, sb, so = node.attrs["sa"], node.attrs["sb"], node.attrs["so"]
        ga = gb = None
        if need[0]:
            ga = _contract_grad(g, b, so, sb, sa, a)
        if need[1]:
            gb = _contract_grad(a, g, sa, so, sb, b)
        return [ga, gb]
    if op == "reshape":
        return [T._new("reshape", (g,), {"lead": node.attrs["lead"]}, ins[0]._shape, ins[0].batch)]
    if op == "permute":
        return [T._new("permute", (g,), {"perm": (1, 0)}, ins[0]._shape, None)]
    if op == "softmax":
        if node.attrs["log"]:
            # d = g - softmax(x) * sum(g)
            s = T._sum_node(g, (g.ndim - 1,), (g.ndim - 1,), False)
            return [g - T.ew("exp", node) * s]
        s = T._sum_node(g * node, (g.ndim - 1,), (g.ndim - 1,), False)
        return [node * (g - s)]
    if op == "xent":
        x, t, rw, m, s = ins
        if t.requires_grad:
            raise shape_error("cross_entropy: gradients with respect to the target are not "
                              "supported", loc=node.loc)
        d = T._new("xent_grad", (x, t, rw, m, s, g), {}, x._shape, x.batch)
        return [d, None, None, None, None]
    raise shape_error(f"no gradient for '{op}' (second derivatives are not supported)",
                      loc=node.loc)


def _broadcast_to(d, like):
    """D (a gradient of fewer dims or size-1 dims, e.g. a constant) broadcast to LIKE's shape."""
    T.broadcast_shapes([d._shape, like._shape], "gradient")
    with _config.phase("bwd", like.loc):
        return T._new("bcast", (d,), {}, like._shape, like.batch)


def _contract_grad(p, q, sp, sq, s_target, target):
    """d target[s_target] = sum p[sp] * q[sq] over the letters not in s_target; letters of
    s_target that appear in neither operand cannot happen for a matmul-like contraction."""
    missing = [c for c in s_target if c not in sp and c not in sq]
    if missing:
        raise shape_error("gradient of this contraction needs a broadcast (not supported)")
    return T._new("contract", (p, q), {"sa": sp, "sb": sq, "so": s_target}, target._shape,
                  T._merge_batch((p, q), "matmul"))


def _topo(root):
    order, seen = [], set()
    stack = [(root, False)]
    while stack:
        n, done = stack.pop()
        if done:
            order.append(n)
            continue
        if id(n) in seen or not n.requires_grad:
            continue
        seen.add(id(n))
        stack.append((n, True))
        for i in n.inputs:
            if i.requires_grad and id(i) not in seen:
                stack.append((i, False))
    return order


def grad_graph(loss, gradient=None):
    """{leaf: gradient tensor} for every leaf of LOSS that requires a gradient (lazy)."""
    if not loss.requires_grad:
        raise shape_error("backward(): this tensor does not depend on anything that requires "
                          "a gradient (parameters, or tensors made with requires_grad=True)")
    if gradient is None:
        if loss.ndim != 0 and loss.shape != (1,):
            raise shape_error(f"backward() without a gradient needs a scalar, this tensor is "
                              f"{list(loss.shape)}", hint="reduce it first, e.g. loss.mean()")
    order = _topo(loss)
    grads = {}
    with _config.phase("bwd", loss.loc):
        seed = T.const(1.0) if gradient is None else T._as_tensor(gradient)
        if gradient is not None and seed._shape != loss._shape:
            raise shape_error(f"backward(gradient): the gradient is {T.shape_text(seed._shape)} "
                              f"but the tensor is {T.shape_text(loss._shape)}")
        grads[id(loss)] = seed
        leaves = {}
        for n in reversed(order):
            g = grads.pop(id(n), None)
            if g is None:
                continue
            if n.op == "leaf":
                leaves[id(n)] = (n, g)
                continue
            with _config.phase("bwd", n.loc):
                dins = _vjp(n, g)
            for i, d in zip(n.inputs, dins):
                if d is None or not i.requires_grad:
                    continue
                if d._shape != i._shape:
                    d = _broadcast_to(d, i)
                if i.op == "leaf":
                    prev = leaves.get(id(i))
                    leaves[id(i)] = (i, d if prev is None else prev[1] + d)
                else:
                    prev = grads.get(id(i))
                    grads[id(i)] = d if prev is None else prev + d
    return [(n, g) for n, g in leaves.values()]


def backward(loss, gradient=None):
    from . import _program

    pairs = grad_graph(loss, gradient)
    targets, accumulate = [loss], []
    for leaf, g in pairs:
        if g._shape != leaf._shape:
            g = _broadcast_to(g, leaf)
        if leaf.grad is not None:
            accumulate.append((leaf, g))
        else:
            buf = getattr(leaf, "_grad_buffer", None)
            if buf is not None:
                g._outbuf = buf
            leaf.grad = g
        targets.append(g)
    _program.materialize(targets)
    for leaf, g in accumulate:
        old = leaf.grad._materialize()
        new = g._value
        old += new
    # Gradients become leaves that hold their values (no graph behind them).
    for leaf, g in pairs:
        if leaf.grad is not None and leaf.grad.op != "leaf":
            v = leaf.grad._value
            leaf.grad = T._leaf_value(v, leaf._shape, leaf.batch)
