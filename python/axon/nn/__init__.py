"""axon.nn: modules with parameters (PyTorch's layout and initialization)."""
import collections
import math

import numpy as np

from .. import _config
from .. import _random
from .. import _tensor as T
from .._errors import shape_error
from . import functional

__all__ = ["Module", "Parameter", "Linear", "ReLU", "GELU", "SiLU", "Sequential", "LayerNorm",
           "RMSNorm", "Identity", "Dropout", "Flatten", "Embedding", "functional"]


class Parameter(T.Tensor):
    """A leaf tensor that requires a gradient and that Module.parameters() finds."""

    def __init__(self, data, requires_grad=True):
        super().__init__(data.numpy() if isinstance(data, T.Tensor) else data,
                         requires_grad=requires_grad)


class Module:
    def __init__(self):
        object.__setattr__(self, "_parameters", collections.OrderedDict())
        object.__setattr__(self, "_modules", collections.OrderedDict())
        object.__setattr__(self, "training", True)

    def __setattr__(self, name, value):
        if "_parameters" not in self.__dict__:
            raise AttributeError("call Module.__init__() before assigning attributes")
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        object.__setattr__(self, name, value)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def __call__(self, *args, **kwargs):
        # Each call is a layer: the nodes it records are kept in one program when a large graph
        # is cut into pieces (_program._run_sized).
        st = _config.state
        old = st.layer
        st.layer = next(_config._layer_ids)
        try:
            return self.forward(*args, **kwargs)
        finally:
            st.layer = old

    def named_parameters(self, prefix=""):
        seen = set()
        for name, p in self._parameters.items():
            if p is not None and id(p) not in seen:
                seen.add(id(p))
                yield prefix + name, p
        for mname, m in self._modules.items():
            for name, p in m.named_parameters(prefix + mname + "."):
                if id(p) not in seen:
                    seen.add(id(p))
                    yield name, p

    def parameters(self):
        for _, p in self.named_parameters():
            yield p

    def children(self):
        return iter(self._modules.values())

    def modules(self):
        yield self
        for m in self._modules.values():
            yield from m.modules()

    def train(self, mode=True):
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self):
        return self.train(False)

    def zero_grad(self):
        for p in self.parameters():
            p.grad = None

    def state_dict(self):
        return collections.OrderedDict((n, p.numpy().copy()) for n, p in self.named_parameters())

    def load_state_dict(self, state):
        params = dict(self.named_parameters())
        missing = set(params) - set(state)
        unexpected = set(state) - set(params)
        if missing or unexpected:
            raise KeyError(f"load_state_dict: missing {sorted(missing)}, unexpected {sorted(unexpected)}")
        for n, p in params.items():
            v = np.asarray(state[n])
            if v.shape != p._value.shape:
                raise ValueError(f"load_state_dict: '{n}' is {list(p._value.shape)}, got {list(v.shape)}")
            np.copyto(p._value, v)

    def __repr__(self):
        lines = [f"{type(self).__name__}({self.extra_repr()}"]
        for n, m in self._modules.items():
            lines.append(f"  ({n}): " + repr(m).replace("\n", "\n  "))
        return lines[0] + (")" if len(lines) == 1 else "\n" + "\n".join(lines[1:]) + "\n)")

    def extra_repr(self):
        return ""


def _uniform(shape, bound):
    return _random.generator().uniform(-bound, bound, shape).astype(_config.default_dtype())


class Linear(Module):
    """y = x @ weight.T + bias, weight [out_features, in_features] (PyTorch's layout and
    initialization: U(-1/sqrt(in), 1/sqrt(in)))."""

    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        bound = 1 / math.sqrt(in_features)
        self.weight = Parameter(_uniform((out_features, in_features), bound))
        self.bias = Parameter(_uniform((out_features,), bound)) if bias else None

    def forward(self, x):
        return T.linear(x, self.weight, self.bias)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class ReLU(Module):
    def forward(self, x):
        return functional.relu(x)


class GELU(Module):
    def __init__(self, approximate="none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, x):
        return functional.gelu(x, self.approximate)


class SiLU(Module):
    def forward(self, x):
        return functional.silu(x)


class Dropout(Module):
    """Dropout in training mode (model.train()), the identity in eval mode (model.eval())."""

    def __init__(self, p=0.5):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise shape_error(f"Dropout: p must be in [0, 1], got {p}")
        self.p = p

    def forward(self, x):
        return functional.dropout(x, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}"


class Flatten(Module):
    """Flatten(start_dim=1, end_dim=-1): merges the dims after the batch dim."""

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x):
        return functional.flatten(x, self.start_dim, self.end_dim)


class Embedding(Module):
    """A table of NUM_EMBEDDINGS rows of EMBEDDING_DIM (PyTorch's N(0, 1) initialization);
    calling it with integer indices [N] gives their rows [N, dim] (a gather)."""

    def __init__(self, num_embeddings, embedding_dim):
        super().__init__()
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        w = _random.generator().standard_normal((num_embeddings, embedding_dim))
        self.weight = Parameter(w.astype(_config.default_dtype()))

    def forward(self, x):
        return functional.embedding(x, self.weight)

    def extra_repr(self):
        return f"{self.num_embeddings}, {self.embedding_dim}"


class Identity(Module):
    def forward(self, x):
        return x


class LayerNorm(Module):
    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True):
        super().__init__()
        ns = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.normalized_shape, self.eps = ns, eps
        if elementwise_affine:
            self.weight = Parameter(np.ones(ns, _config.default_dtype()))
            self.bias = Parameter(np.zeros(ns, _config.default_dtype()))
        else:
            self.weight = self.bias = None

    def forward(self, x):
        return functional.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)


class RMSNorm(Module):
    def __init__(self, normalized_shape, eps=1e-6):
        super().__init__()
        ns = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.normalized_shape, self.eps = ns, eps
        self.weight = Parameter(np.ones(ns, _config.default_dtype()))

    def forward(self, x):
        return functional.rms_norm(x, self.normalized_shape, self.weight, self.eps)


class Sequential(Module):
    def __init__(self, *mods):
        super().__init__()
        for k, m in enumerate(mods):
            setattr(self, str(k), m)

    def forward(self, x):
        for m in self._modules.values():
            x = m(x)
        return x

    def __getitem__(self, k):
        return list(self._modules.values())[k]

    def __len__(self):
        return len(self._modules)
