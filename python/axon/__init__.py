"""axon: a PyTorch-style training library whose forward, backward and optimizer graphs become
kernels synthesized by axon-synth (docs/training.md).

    import axon, axon.nn as nn, axon.nn.functional as F
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    opt = axon.optim.Adam(model.parameters(), lr=1e-3)
    for x, y in axon.datasets.DatasetIterator(xs, ys, 128, shuffle=True):
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
"""
from . import _config
from ._config import no_grad, set_default_dtype, set_executor
from ._errors import AxonError, ShapeError
from ._random import manual_seed
from ._tensor import Tensor, tensor, matmul
from ._kernels import SynthesisWarning, stats
from . import nn, optim, datasets
from ._inspect import LoweringLevel, inspect_ir
from ._export import export

__all__ = ["Tensor", "tensor", "matmul", "no_grad", "manual_seed", "set_default_dtype",
           "set_executor", "nn", "optim", "datasets", "inspect_ir", "LoweringLevel", "export",
           "ShapeError", "AxonError", "SynthesisWarning", "stats"]
