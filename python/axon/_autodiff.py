"""Reverse-mode autodiff on the lazy graph: one rule per op, gradients only where an input
requires one. Gradient nodes are lazy tensors too (phase "bwd"); backward() then materializes the
loss and every parameter gradient (forward program, then backward program: _program.py).
Rules read the forward tensors in place: a matmul's gradients are contractions over the forward
operands' own layouts (no transposed copies), and cross-entropy's gradient is the fused
(softmax - target) x row weight."""
import math
import os

import numpy as np

from . import _config
from . import _kernels
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
    if op == "take":
        x, ix = ins
        return [T._new("take_grad", (g, ix), {}, x._shape, x.batch), None]
    if op == "gather":
        x, ix = ins
        return [T._new("gather_grad", (g, ix), {}, x._shape, x.batch), None]
    if op == "slice":
        x = ins[0]
        return [T._new("slice_grad", (g,), dict(node.attrs), x._shape, x.batch)]
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
    st = _config.state
    old_layer = st.layer
    try:
        return _grad_walk(loss, gradient, order, grads, st)
    finally:
        st.layer = old_layer


def _grad_walk(loss, gradient, order, grads, st):
    """grad_graph's reverse walk; each node's gradient nodes belong to the node's layer."""
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
            st.layer = n.layer
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


# Replaying a step. A training loop records the same forward graph structure every step, and
# backward() turns it into the same program every time. The first time, the program that ran
# (one program: loss and every gradient) is kept with where its inputs come from in the forward
# graph; later steps with the same structure skip autodiff and program building and run that
# program on the new step's values. The key is the forward graph's structure (every node's op,
# attributes, shape and operands by position; every input's shape and whether it requires a
# gradient) and the settings that change how backward() cuts programs.

_plans = {}  # structure key -> _Plan, or None where the step cannot be replayed


class _Plan:
    __slots__ = ("prog", "inputs", "loss", "grads", "leaf_pos")

    def __init__(self, prog, inputs, loss, grads, leaf_pos):
        self.prog = prog  # the Program that ran the first time
        self.inputs = inputs  # [(program input node id, forward input position)]
        self.loss = loss  # the program target that is the loss
        self.grads = grads  # [(program target, position of its leaf among the forward inputs)]
        self.leaf_pos = leaf_pos  # positions of the leaves that get gradients


def _forward_key(loss):
    """(key, inputs): the structure of LOSS's graph as Program would emit it (valued nodes and
    leaves are inputs, in order of first visit; constants are literals), and its input nodes."""
    pos, inputs, parts = {}, [], []
    add = parts.append
    stack = [loss]
    push = stack.append
    pop = stack.pop
    while stack:
        n = pop()
        if n is None:  # the marker after a node's operands: emit it
            n = pop()
            k = id(n)
            if k in pos:
                continue
            ins = tuple(("c", i.attrs["value"]) if i.op == "const" else pos[id(i)]
                        for i in n.inputs)
            pos[k] = len(parts)
            add((n.op, tuple(n.attrs.items()), n._shape, ins, n.requires_grad))
            continue
        if id(n) in pos:
            continue
        if n._value is not None:
            pos[id(n)] = len(parts)
            b = n.batch
            add((n._shape, b[1] if b is not None else None, n.requires_grad, len(inputs)))
            inputs.append(n)
            continue
        if n.op == "const":
            continue
        push(n)
        push(None)
        for i in reversed(n.inputs):
            if id(i) not in pos and i.op != "const":
                push(i)
    env = os.environ
    key = (tuple(parts), _config.executor, _config.default_dtype(),
           env.get("AXON_FUSE_MAX_NODES"), env.get("AXON_SPLIT_MAX_NODES"))
    return key, inputs


def _make_plan(prog, loss, pairs, fin):
    """The _Plan of PROG (which computed LOSS and the gradients PAIRS) over the forward inputs
    FIN, or None when some program input or target is not one of them (e.g. a row mask made by
    autodiff, whose value depends on the batch)."""
    where = {id(x): k for k, x in enumerate(fin)}
    inputs = []
    for x in prog.inputs:
        k = where.get(id(x))
        if k is None:
            return None
        inputs.append((id(x), k))
    target_ids = {id(t) for t in prog.targets}
    if id(loss) not in target_ids:
        return None
    grads, leaf_pos = [], []
    for leaf, g in pairs:
        k = where.get(id(leaf))
        if k is None or id(g) not in target_ids:
            return None
        grads.append((g, k))
        leaf_pos.append(k)
    if len(prog.targets) != len(grads) + 1:
        return None
    return _Plan(prog, inputs, loss, grads, leaf_pos)


def _replay(plan, loss, fin):
    """Run PLAN's program for the step of LOSS (forward inputs FIN). False when it does not
    apply (a gradient would accumulate into an existing .grad)."""
    from . import _program

    for k in plan.leaf_pos:
        if fin[k].grad is not None:
            return False
    values = {i: fin[k]._value for i, k in plan.inputs}
    for g, k in plan.grads:
        g._outbuf = getattr(fin[k], "_grad_buffer", None)
    env = _program.run(plan.prog, values)
    v = env[id(plan.loss)]
    loss._value = v.reshape(tuple(loss.batch[1] if d == T.B else d for d in loss._shape))
    for g, k in plan.grads:
        leaf = fin[k]
        v = env[id(g)]
        buf = g._outbuf
        if buf is not None:
            if v is not buf:
                np.copyto(buf, v.reshape(buf.shape))
            v = buf
        else:
            v = v.reshape(tuple(leaf.batch[1] if d == T.B else d for d in leaf._shape))
        leaf.grad = T._leaf_value(v, leaf._shape, leaf.batch)
    _kernels.stats["replays"] += 1
    return True


def replay_enabled():
    return os.environ.get("AXON_REPLAY", "1") == "1"


def backward(loss, gradient=None):
    from . import _program

    key = fin = None
    if gradient is None and loss.requires_grad and loss._value is None and replay_enabled():
        key, fin = _forward_key(loss)
        plan = _plans.get(key)
        if plan is not None and _replay(plan, loss, fin):
            return
    pairs = grad_graph(loss, gradient)
    targets, accumulate, final = [loss], [], []
    for leaf, g in pairs:
        if g._shape != leaf._shape:
            g = _broadcast_to(g, leaf)
        final.append((leaf, g))
        if leaf.grad is not None:
            accumulate.append((leaf, g))
        else:
            buf = getattr(leaf, "_grad_buffer", None)
            if buf is not None:
                g._outbuf = buf
            leaf.grad = g
        targets.append(g)
    whole = _program.materialize(targets)
    if key is not None and key not in _plans:
        _plans[key] = _make_plan(whole, loss, final, fin) if whole is not None and not accumulate \
            else None
        if len(_plans) > 256:
            _plans.clear()
        _kernels.stats["replay_plans"] += 1
    for leaf, g in accumulate:
        old = leaf.grad._materialize()
        new = g._value
        old += new
    # Gradients become leaves that hold their values (no graph behind them).
    for leaf, g in pairs:
        if leaf.grad is not None and leaf.grad.op != "leaf":
            v = leaf.grad._value
            leaf.grad = T._leaf_value(v, leaf._shape, leaf.batch)
