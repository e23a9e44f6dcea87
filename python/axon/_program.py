"""Programs: the part of the lazy graph needed for some targets, emitted as a `.tp` tensor program
in index notation (canonical text: names by position, so the same graph structure always gives
the same text and the same kernel), and evaluated by a numpy executor (the fallback where no
kernel could be synthesized, and the float64 executor of gradient checks).

Inputs are the nodes that hold values (leaves: parameters, data, row masks, rank-0 scalars such
as 1/n or a learning rate; nodes materialized earlier, e.g. forward tensors read by a backward
program). The batch dim is the symbolic dim B; the kernel is synthesized with B bound to the
batch capacity."""
import os

import numpy as np

from . import _config
from . import _tensor as T
from ._errors import AxonError

_OUT_VARS = "ijklmnop"


def _lit(v):
    v = float(v)
    if v != v or v in (float("inf"), float("-inf")):
        raise AxonError(f"cannot emit the non-finite constant {v}")
    s = repr(v)
    return f"({s})" if v < 0 else s


def _pow_text(x, p):
    """x ** p as the target lowers it: products for small integer powers, sqrt, rsqrt, a
    reciprocal; pow() otherwise (which CPU targets may not lower: the program then falls back)."""
    if p == int(p) and 1 <= p <= 4:
        return "(" + " * ".join([x] * int(p)) + ")"
    if p == 0.5:
        return f"sqrt({x})"
    if p == -0.5:
        return f"rsqrt({x})"
    if p == -1:
        return f"(1.0 / {x})"
    return f"pow({x}, {_lit(p)})"


def _dim(d):
    return "B" if d == T.B else str(d)


def _reshape_index(n, v):
    """The index expressions reading a reshape's input at the output's index variables V: the
    row-major linear index of V over the regrouped dims, divided and reduced by the input's."""
    lead = n.attrs["lead"]
    out, inp = n._shape[lead:], n.inputs[0]._shape[lead:]
    terms = []
    for a, var in enumerate(v[lead:]):
        stride = int(np.prod(out[a + 1:], dtype=np.int64))
        terms.append(var if stride == 1 else f"{var} * {stride}")
    lin = " + ".join(terms) if terms else "0"
    idx = list(v[:lead])
    for b, d in enumerate(inp):
        stride = int(np.prod(inp[b + 1:], dtype=np.int64))
        e = lin
        if stride != 1:
            e = f"({e}) / {stride}" if " " in e else f"{e} / {stride}"
        if b > 0:
            e = f"({e}) % {d}" if " " in e else f"{e} % {d}"
        idx.append(e)
    return idx


def _kept_sizes(n, in_shape):
    """Per input dim of slice node N: the size the slice keeps (1 for a dropped dim)."""
    out, k = [], 0
    shape = [d for d in n._shape]
    for a in range(len(in_shape)):
        if a in n.attrs["drop"]:
            out.append(1)
        else:
            d = shape[k]
            out.append(in_shape[a] if d == T.B else d)
            k += 1
    return out


_text_cache = {}  # Program.signature() -> (text, [(statement, index in order)])


class Program:
    """The nodes computing TARGETS (and the in-place UPDATES: (leaf, new value node) pairs)."""

    def __init__(self, targets, updates=(), assume_inputs=()):
        """ASSUME_INPUTS: nodes to treat as inputs though they have no value yet (to emit the
        backward program's text before the forward program has run)."""
        self._assume = {id(n) for n in assume_inputs}
        seen = set()
        self.targets = []
        for t in targets:
            if id(t) not in seen and t._value is None:
                seen.add(id(t))
                self.targets.append(t)
        self.updates = list(updates)
        self.order, self.inputs = [], []
        self._visit([t for t in self.targets] + [n for _, n in self.updates])
        self.update_of = {id(n): leaf for leaf, n in self.updates}
        for leaf, _ in self.updates:
            if all(id(leaf) != id(i) for i in self.inputs):
                self.inputs.append(leaf)
        target_ids = {id(t) for t in self.targets} | set(self.update_of)
        uses = {}
        for n in self.order:
            for i in n.inputs:
                uses.setdefault(id(i), []).append(n)
        self.inline = set()
        for n in self.order:
            u = uses.get(id(n), [])
            if (n.op == "ew" and id(n) not in target_ids and len(u) == 1 and u[0].op == "ew"):
                self.inline.add(id(n))
        self.names = {}
        for k, x in enumerate(self.inputs):
            self.names[id(x)] = f"x{k}"
        for k, n in enumerate(self.order):
            self.names[id(n)] = f"t{k}"
        for n_id, leaf in self.update_of.items():
            self.names[n_id] = self.names[id(leaf)]
        self.target_ids = target_ids
        self.input_ids = {id(x) for x in self.inputs}
        caps = {n.batch[1] for n in self.inputs + self.order if n.batch is not None}
        if len(caps) > 1:
            raise AxonError(f"one program mixes batches of capacities {sorted(caps)}")
        self.cap = caps.pop() if caps else None
        self._text = None
        self.lines = []  # (statement text, node) for inspect_ir

    def _visit(self, roots):
        seen = set()
        for root in roots:
            stack = [(root, False)]
            while stack:
                n, done = stack.pop()
                if done:
                    self.order.append(n)
                    continue
                if id(n) in seen:
                    continue
                seen.add(id(n))
                if n.op == "const":
                    continue
                if n._value is not None or id(n) in self._assume:
                    self.inputs.append(n)
                    continue
                if n.op == "leaf":
                    raise AxonError("internal error: a leaf without a value")
                stack.append((n, True))
                for i in reversed(n.inputs):
                    if id(i) not in seen:
                        stack.append((i, False))

    # ---- emission --------------------------------------------------------------------------
    def ref(self, n, idx):
        """The text reading node N at index expressions IDX (one per dim)."""
        if n.op == "const":
            return _lit(n.attrs["value"])
        name = self.names[id(n)]
        if id(n) in self.inline:
            return self.expr(n, idx)
        if id(n) in self.input_ids:
            return name if not n._shape else f"{name}[{', '.join(idx)}]"
        if not n._shape:
            return f"{name}[0]"
        return f"{name}[{', '.join(idx)}]"

    def bref(self, o, out_shape, idx):
        """Read operand O broadcast to OUT_SHAPE at IDX (NumPy rules: trailing dims aligned)."""
        r = len(out_shape) - len(o._shape)
        oi = ["0" if d == 1 else idx[r + a] for a, d in enumerate(o._shape)]
        return self.ref(o, oi)

    def expr(self, n, idx):
        fn = n.attrs["fn"]
        args = [self.bref(o, n._shape, idx) for o in n.inputs]
        if fn == "powc":
            return _pow_text(args[0], n.attrs["p"])
        return T.EW[fn][2].format(*args)

    def _lhs(self, name, shape, prefix=""):
        if not shape:
            return f"{prefix}{name}[z: 1]", []
        vs = list(_OUT_VARS[: len(shape)])
        return f"{prefix}{name}[{', '.join(f'{v}: {_dim(d)}' for v, d in zip(vs, shape))}]", vs

    def statements(self, n):
        name = self.names[id(n)]
        prefix = "output " if id(n) in self.target_ids and id(n) not in self.update_of else ""
        lhs, v = self._lhs(name, n._shape, prefix)
        op = n.op
        if op == "ew":
            return [f"{lhs} = {self.expr(n, v)}"]
        if op == "bcast":
            return [f"{lhs} = {self.bref(n.inputs[0], n._shape, v)}"]
        if op == "permute":
            return [f"{lhs} = {self.ref(n.inputs[0], [v[1], v[0]])}"]
        if op == "reshape":
            return [f"{lhs} = {self.ref(n.inputs[0], _reshape_index(n, v))}"]
        if op == "take":  # y[i, ...] = x[ix[i], ...]
            x, ix = n.inputs
            return [f"{lhs} = sum(r0: {_dim(x._shape[0])}) select({self.ref(ix, v[:1])} == real(r0), "
                    f"{self.ref(x, ['r0'] + v[1:])}, 0.0)"]
        if op == "take_grad":  # dx[r, ...] = sum(i) [ix[i] == r] g[i, ...]
            g, ix = n.inputs
            return [f"{lhs} = sum(r0: {_dim(g._shape[0])}) select({self.ref(ix, ['r0'])} == "
                    f"real({v[0]}), {self.ref(g, ['r0'] + v[1:])}, 0.0)"]
        if op == "gather":  # y[..., k] = x[..., ix[..., k]]
            x, ix = n.inputs
            return [f"{lhs} = sum(r0: {_dim(x._shape[-1])}) select({self.ref(ix, v)} == real(r0), "
                    f"{self.ref(x, v[:-1] + ['r0'])}, 0.0)"]
        if op == "gather_grad":  # dx[..., c] = sum(k) [ix[..., k] == c] g[..., k]
            g, ix = n.inputs
            return [f"{lhs} = sum(r0: {_dim(g._shape[-1])}) select({self.ref(ix, v[:-1] + ['r0'])} "
                    f"== real({v[-1]}), {self.ref(g, v[:-1] + ['r0'])}, 0.0)"]
        if op == "slice":
            x = n.inputs[0]
            starts, drop = n.attrs["starts"], n.attrs["drop"]
            xi, k = [], 0
            for a in range(x.ndim):
                if a in drop:
                    xi.append(str(starts[a]))
                else:
                    # a bare variable must range over the dim it indexes: "j + 0" when the
                    # slice keeps fewer elements than the dim has
                    same = n._shape[k] == x._shape[a]
                    xi.append(f"{v[k]} + {starts[a]}" if starts[a] or not same else v[k])
                    k += 1
            return [f"{lhs} = {self.ref(x, xi)}"]
        if op == "slice_grad":  # the gradient placed back at the slice, zero elsewhere
            g = n.inputs[0]
            starts, drop = n.attrs["starts"], n.attrs["drop"]
            gi, conds, k = [], [], 0
            for a, d in enumerate(n._shape):
                s0 = starts[a]
                if a in drop:
                    conds.append(f"{v[a]} == {s0}")
                    continue
                size = g._shape[k]
                k += 1
                gi.append(f"{v[a]} - {s0}" if s0 else (v[a] if d == size else f"{v[a]} + 0"))
                if s0 > 0:
                    conds.append(f"{v[a]} >= {s0}")
                if d != size and d != T.B:
                    conds.append(f"{v[a]} < {s0 + size}")
            body = self.ref(g, gi)
            if conds:
                body = f"select({' && '.join(conds)}, {body}, 0.0)"
            return [f"{lhs} = {body}"]
        if op == "sum":
            x = n.inputs[0]
            red, keep = n.attrs["red"], n.attrs["keep"]
            xi, sums, k, rb = [], [], 0, None
            for a, d in enumerate(x._shape):
                if a in red:
                    r = f"r{len(sums)}"
                    sums.append(f"sum({r}: {_dim(d)})")
                    xi.append(r)
                    if d == T.B:
                        rb = r
                    if a in keep:
                        k += 1
                else:
                    xi.append(v[k])
                    k += 1
            body = self.ref(x, xi)
            if n.attrs["masked"]:
                body = f"{self.ref(n.inputs[1], [rb])} * {body}"
            return [f"{lhs} = {' '.join(sums)} {body}"]
        if op == "expand":
            g = n.inputs[0]
            red, keep = n.attrs["red"], n.attrs["keep"]
            gi, vb = [], None
            for a, d in enumerate(n._shape):
                if d == T.B:
                    vb = v[a]
                if a in red:
                    if a in keep:
                        gi.append("0")
                else:
                    gi.append(v[a])
            body = self.ref(g, gi)
            if n.attrs["masked"]:
                body = f"{body} * {self.ref(n.inputs[1], [vb])}"
            return [f"{lhs} = {body}"]
        if op == "contract":
            a, b = n.inputs
            sa, sb, so = n.attrs["sa"], n.attrs["sb"], n.attrs["so"]
            var, dims = {}, {}
            for s, t in ((sa, a), (sb, b)):
                for c, d in zip(s, t._shape):
                    dims[c] = d
            for c, vv in zip(so, v):
                var[c] = vv
            sums = []
            for c in sa + sb:
                if c not in var:
                    var[c] = f"r{len(sums)}"
                    sums.append(f"sum({var[c]}: {_dim(dims[c])})")
            body = f"{self.ref(a, [var[c] for c in sa])} * {self.ref(b, [var[c] for c in sb])}"
            return [f"{lhs} = {' '.join(sums)} {body}".replace("=  ", "= ")]
        if op in ("softmax", "rowmax", "sumexp"):
            x = n.inputs[0]
            C = _dim(x._shape[-1])
            lead = x._shape[:-1]
            out = []
            if op == "softmax":
                lm, lv = self._lhs(name + "m", lead)
                ls, _ = self._lhs(name + "s", lead)
                li = lv if lead else []
                mref = f"{name}m[{', '.join(li)}]" if lead else f"{name}m[0]"
                sref = f"{name}s[{', '.join(li)}]" if lead else f"{name}s[0]"
                out.append(f"{lm} = max(r0: {C}) {self.ref(x, li + ['r0'])}")
                out.append(f"{ls} = sum(r0: {C}) exp({self.ref(x, li + ['r0'])} - {mref})")
                xv = self.ref(x, v)
                mref_v = mref if not lead else f"{name}m[{', '.join(v[:-1])}]"
                sref_v = sref if not lead else f"{name}s[{', '.join(v[:-1])}]"
                if n.attrs["log"]:
                    out.append(f"{lhs} = {xv} - {mref_v} - log({sref_v})")
                else:
                    out.append(f"{lhs} = exp({xv} - {mref_v}) / {sref_v}")
                return out
            if op == "rowmax":
                return [f"{lhs} = max(r0: {C}) {self.ref(x, v + ['r0'])}"]
            m = n.inputs[1]
            return [f"{lhs} = sum(r0: {C}) exp({self.ref(x, v + ['r0'])} - {self.ref(m, v)})"]
        if op == "xent":
            x, t, rw, m, s = n.inputs
            N, C = _dim(x._shape[0]), _dim(x._shape[1])
            return [f"{lhs} = sum(r0: {N}) {self.ref(rw, ['r0'])} * sum(r1: {C}) "
                    f"{self.ref(t, ['r0', 'r1'])} * ({self.ref(m, ['r0'])} + "
                    f"log({self.ref(s, ['r0'])}) - {self.ref(x, ['r0', 'r1'])})"]
        if op == "xent_grad":
            x, t, rw, m, s, g = n.inputs
            i, j = v
            return [f"{lhs} = {self.ref(g, [])} * {self.ref(rw, [i])} * (exp({self.ref(x, v)} - "
                    f"{self.ref(m, [i])}) / {self.ref(s, [i])} - {self.ref(t, v)})"]
        raise AxonError(f"internal error: no emission for op '{op}'")

    def signature(self):
        """A tuple that determines text(): every node's op, attributes, shape and operands by
        position (a cheaper key than the text, to reuse the text of an identical program)."""
        pos = {}
        upd = {id(l): k for k, (l, _) in enumerate(self.updates)}
        parts = [self.cap]
        for k, x in enumerate(self.inputs):
            pos[id(x)] = k
            parts.append((x._shape, upd.get(id(x))))
        base = len(self.inputs)
        for k, n in enumerate(self.order):
            pos[id(n)] = base + k
        for n in self.order:
            ins = tuple(pos[id(i)] if id(i) in pos else ("c", i.attrs["value"]) for i in n.inputs)
            parts.append((n.op, tuple(sorted(n.attrs.items())), n._shape, ins,
                          id(n) in self.target_ids, pos.get(id(self.update_of.get(id(n))))))
        return tuple(parts)

    def text(self):
        """The canonical .tp text (no source locations: the same graph gives the same text)."""
        if self._text is not None:
            return self._text
        sig = self.signature()
        hit = _text_cache.get(sig)
        if hit is not None:
            self._text = hit[0]
            self.lines = [(s, self.order[k]) for s, k in hit[1]]
            return self._text
        body, self.lines, where = [], [], []
        for k, n in enumerate(self.order):
            if id(n) in self.inline:
                continue
            for s in self.statements(n):
                body.append(s)
                self.lines.append((s, n))
                where.append((s, k))
        head = []
        if self.cap is not None:
            head.append("where B")
        for x in self.inputs:
            kind = "inout" if any(id(x) == id(l) for l, _ in self.updates) else "input"
            head.append(f"{kind} {self.names[id(x)]}: f32[{', '.join(_dim(d) for d in x._shape)}]")
        self._text = "\n".join(head + body) + "\n"
        if len(_text_cache) > 512:
            _text_cache.clear()
        _text_cache[sig] = (self._text, where)
        return self._text

    def annotated_text(self):
        """The text with the user's Python line after each statement (inspect_ir's graph level)."""
        text = self.text()
        head = text.split("\n")[: len(text.split("\n")) - 1 - len(self.lines)]
        out = list(head)
        for s, n in self.lines:
            loc = n.loc
            if loc is not None:
                src = loc.source_line().strip()
                out.append(f"{s}    # {loc}: {src}")
            else:
                out.append(s)
        return "\n".join(out) + "\n"

    def line_node(self, tp_line):
        """The node a 1-based line of text() computes (for mapping axon-synth's diagnostics)."""
        nhead = len(self.text().split("\n")) - 1 - len(self.lines)
        k = tp_line - nhead - 1
        if 0 <= k < len(self.lines):
            return self.lines[k][1]
        return None

    # ---- numpy executor --------------------------------------------------------------------
    def evaluate(self, dtype, values=None):
        """{node id: value} of every non-inlined node, computed with numpy in DTYPE. VALUES:
        {input node id: array} read instead of those inputs' own values (a replayed step)."""
        env = dict(values) if values else {}
        cap = self.cap

        def val(n):
            if n.op == "const":
                return np.asarray(n.attrs["value"], dtype)
            if id(n) in env:
                return env[id(n)]
            return np.asarray(n._value, dtype)

        def conc(shape):
            return tuple(cap if d == T.B else d for d in shape)

        with np.errstate(all="ignore"):
            for n in self.order:
                a = [val(i) for i in n.inputs]
                op = n.op
                if op == "ew":
                    fn = n.attrs["fn"]
                    if fn == "powc":
                        r = np.power(a[0], dtype(n.attrs["p"]))
                    else:
                        r = T.EW[fn][1](*a)
                elif op == "bcast":
                    r = np.broadcast_to(a[0], conc(n._shape))
                elif op == "permute":
                    r = a[0].T
                elif op == "reshape":
                    r = a[0].reshape(conc(n._shape))
                elif op == "take":
                    r = a[0][a[1].astype(np.int64)]
                elif op == "take_grad":
                    g, ix = a
                    r = np.zeros(conc(n._shape), np.float64)
                    np.add.at(r, ix.astype(np.int64), g)
                elif op == "gather":
                    r = np.take_along_axis(a[0], a[1].astype(np.int64), axis=-1)
                elif op == "gather_grad":
                    g, ix = a
                    r = np.zeros(conc(n._shape), np.float64)
                    ixi = ix.astype(np.int64)
                    lead = np.indices(ixi.shape)[:-1]
                    np.add.at(r, tuple(lead) + (ixi,), g)
                elif op == "slice":
                    starts, drop = n.attrs["starts"], n.attrs["drop"]
                    sl = tuple(st if ax in drop else slice(st, st + d)
                               for ax, (st, d) in enumerate(zip(starts, _kept_sizes(n, a[0].shape))))
                    r = a[0][sl]
                elif op == "slice_grad":
                    starts, drop = n.attrs["starts"], n.attrs["drop"]
                    r = np.zeros(conc(n._shape), a[0].dtype)
                    k, sl = 0, []
                    for ax in range(r.ndim):
                        if ax in drop:
                            sl.append(starts[ax])
                        else:
                            sl.append(slice(starts[ax], starts[ax] + a[0].shape[k]))
                            k += 1
                    r[tuple(sl)] = a[0]
                elif op == "sum":
                    x = a[0]
                    red, keep = n.attrs["red"], n.attrs["keep"]
                    if n.attrs["masked"]:
                        ax = n.inputs[0]._shape.index(T.B)
                        sh = [1] * x.ndim
                        sh[ax] = x.shape[ax]
                        x = x * a[1].reshape(sh)
                    r = np.sum(x, axis=red, keepdims=True, dtype=np.float64)
                    drop = tuple(ax for ax in red if ax not in keep)
                    r = r.reshape([d for k, d in enumerate(r.shape) if k not in drop])
                elif op == "expand":
                    g = a[0]
                    red, keep = n.attrs["red"], n.attrs["keep"]
                    sh = []
                    k = 0
                    for ax, d in enumerate(n._shape):
                        if ax in red and ax not in keep:
                            sh.append(1)
                        else:
                            sh.append(g.shape[k] if g.ndim else 1)
                            k += 1
                    r = np.broadcast_to(g.reshape(sh), conc(n._shape))
                    if n.attrs["masked"]:
                        ax = n._shape.index(T.B)
                        msh = [1] * len(sh)
                        msh[ax] = cap
                        r = r * a[1].reshape(msh)
                elif op == "contract":
                    sa, sb, so = n.attrs["sa"], n.attrs["sb"], n.attrs["so"]
                    # Accumulated in float64 (then rounded): the fallback is no less accurate
                    # than a kernel, and Adam's per-element normalization makes gradients near
                    # eps sensitive to summation error.
                    r = np.einsum(f"{sa},{sb}->{so}", a[0].astype(np.float64),
                                  a[1].astype(np.float64), optimize=True)
                elif op == "softmax":
                    x = a[0]
                    m = x.max(axis=-1, keepdims=True)
                    e = np.exp(x - m)
                    s = e.sum(axis=-1, keepdims=True)
                    r = (x - m - np.log(s)) if n.attrs["log"] else e / s
                elif op == "rowmax":
                    r = a[0].max(axis=-1)
                elif op == "sumexp":
                    r = np.exp(a[0] - a[1][..., None]).sum(axis=-1)
                elif op == "xent":
                    x, t, rw, m, s = a
                    lse = (m + np.log(s))[:, None]
                    r = np.sum(rw * np.sum(t * (lse - x), axis=1))
                elif op == "xent_grad":
                    x, t, rw, m, s, g = a
                    r = g * rw[:, None] * (np.exp(x - m[:, None]) / s[:, None] - t)
                else:
                    raise AxonError(f"internal error: no numpy rule for op '{op}'")
                env[id(n)] = np.ascontiguousarray(r, dtype=dtype)
        return env


def _store(n, v):
    """Give node N its value V (into its preassigned output buffer, if it has one)."""
    if n._outbuf is not None:
        if v is not n._outbuf:
            np.copyto(n._outbuf, v.reshape(n._outbuf.shape))
        n._value = n._outbuf
    else:
        n._value = v.reshape(tuple(n.batch[1] if d == T.B else d for d in n._shape))


# Programs run are appended here when it is a list (tests; inspect_ir).
trace = None


def run(prog, values=None):
    """Execute PROG: give every target its value and apply the updates. With VALUES ({input
    node id: array}, a replayed step: _autodiff.backward), those arrays are read instead of the
    inputs' own values and the targets' values are returned ({node id: value}) instead of
    stored into the targets."""
    if not prog.targets and not prog.updates:
        return None
    if trace is not None:
        trace.append(prog)
    if _config.check_programs:
        from . import _kernels

        _kernels.check_once(prog)
    dtype = _config.default_dtype()
    env = None
    if _config.executor == "kernels" and dtype == np.float32:
        from . import _kernels

        env = _kernels.run(prog, values)
    if env is None:
        env = prog.evaluate(dtype, values)
        for leaf, n in prog.updates:
            np.copyto(leaf._value, env[id(n)])
    if values is not None:
        return env
    for t in prog.targets:
        _store(t, env[id(t)])
    return None


def fuse_max_nodes():
    """The largest forward + backward graph (computed nodes) that runs as one program
    (AXON_FUSE_MAX_NODES, default 64; the step of the 784-512-256-10 MLP has 22)."""
    return int(os.environ.get("AXON_FUSE_MAX_NODES", "64"))


def split_max_nodes():
    """The most computed nodes of one program once a step is split (AXON_SPLIT_MAX_NODES,
    default 64): a larger forward or backward graph runs as consecutive programs of at most
    this many nodes (a linear layer with its activation is 3-4 forward and 4-5 backward nodes)."""
    return max(1, int(os.environ.get("AXON_SPLIT_MAX_NODES", "64")))


def pieces(order, limit):
    """ORDER (a program's computed nodes, topologically sorted) cut into pieces at layer
    boundaries (a layer: the nodes one Module call recorded, or their gradient nodes; nodes made
    outside modules, e.g. a loss, form layers between them): consecutive layers, in order of first
    appearance, are packed into a piece while its node count stays within LIMIT; a layer of more
    than LIMIT nodes is cut by count. A node whose operands land in a later piece moves there, so
    each piece reads only tensors of earlier pieces. Returns one piece index per node."""
    layers, members = [], {}
    for k, n in enumerate(order):
        key = n.layer
        if key not in members:
            members[key] = []
            layers.append(key)
        members[key].append(k)
    want = [0] * len(order)
    piece, size = 0, 0
    for key in layers:
        ks = members[key]
        if len(ks) > limit:
            if size:
                piece, size = piece + 1, 0
            for c in range(0, len(ks), limit):
                for k in ks[c: c + limit]:
                    want[k] = piece
                piece += 1
            continue
        if size and size + len(ks) > limit:
            piece, size = piece + 1, 0
        for k in ks:
            want[k] = piece
        size += len(ks)
    pos = {id(n): k for k, n in enumerate(order)}
    out = []
    for k, n in enumerate(order):
        p = want[k]
        for i in n.inputs:
            j = pos.get(id(i))
            if j is not None and out[j] > p:
                p = out[j]
        out.append(p)
    return out


def _run_sized(targets, limit):
    """Run the program computing TARGETS; when it has more than LIMIT computed nodes, as
    consecutive programs cut at layer boundaries (pieces()), every piece materializing the
    tensors later pieces read."""
    prog = Program(targets)
    if len(prog.order) <= limit:
        run(prog)
        return
    order = prog.order
    where = pieces(order, limit)
    pos = {id(n): k for k, n in enumerate(order)}
    want = {id(t) for t in prog.targets}
    last = {}  # node index -> the last piece that reads it
    for k, n in enumerate(order):
        for i in n.inputs:
            j = pos.get(id(i))
            if j is not None and where[k] > last.get(j, -1):
                last[j] = where[k]
    for p in sorted(set(where)):
        outs = [n for k, n in enumerate(order)
                if where[k] == p and (id(n) in want or last.get(k, -1) > p)]
        run(Program(outs))


def materialize(targets):
    """Compute TARGETS: the loss and every gradient as one program when the graph is small
    (fuse_max_nodes), else forward-phase targets and the forward tensors the backward targets
    read in one program, then the backward targets in another, each cut into pieces of at most
    split_max_nodes nodes. Returns the Program when everything ran as that one program (a step
    that _autodiff.backward may replay), else None."""
    targets = [t for t in targets if t._value is None]
    if not targets:
        return None
    bwd = [t for t in targets if t.phase == "bwd"]
    fwd = [t for t in targets if t.phase != "bwd"]
    if bwd:
        seen, stack = set(), list(bwd)
        while stack:
            n = stack.pop()
            if id(n) in seen:
                continue
            seen.add(id(n))
            for i in n.inputs:
                if i._value is not None or i.op == "const":
                    continue
                if i.phase == "bwd":
                    stack.append(i)
                else:
                    fwd.append(i)
    if fwd and bwd:
        # The loss and every gradient as one program (one kernel launch, the forward tensors
        # the backward reads never leave it) unless that program is large: then forward and
        # backward programs, each synthesized and checked on its own.
        whole = Program(targets)
        if len(whole.order) <= fuse_max_nodes():
            run(whole)
            return whole
    limit = split_max_nodes()
    if fwd and bwd and _config.executor == "kernels":
        from . import _kernels

        # The backward program's text does not depend on the forward values: find or
        # synthesize its kernel while the forward program's kernel is found or synthesized.
        bprog = Program(bwd, assume_inputs=fwd)
        if len(bprog.order) <= limit:
            _kernels.prefetch(bprog)
    if fwd:
        _run_sized(fwd, limit)
    if bwd:
        _run_sized(bwd, limit)
    return None
