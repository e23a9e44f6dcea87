"""axon.datasets: batches over in-memory arrays, and the Fashion-MNIST loader (Debian's
dataset-fashion-mnist package: /usr/share/datasets/fashion-mnist)."""
import gzip
import os

import numpy as np

from . import _config
from . import _random
from . import _tensor as T

FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"


class DatasetIterator:
    """Batches of (x, y) as batch tensors: each has BATCH_SIZE rows of capacity, the last one
    fewer valid rows (padded; reductions over the batch weight the padded rows 0), so one set of
    kernels serves every batch. Iterating again starts a new epoch (reshuffled if SHUFFLE)."""

    def __init__(self, x, y, batch_size, shuffle=False, seed=None, drop_last=False):
        x, y = np.asarray(x), np.asarray(y)
        if len(x) != len(y):
            raise ValueError(f"DatasetIterator: {len(x)} inputs but {len(y)} targets")
        if batch_size < 1:
            raise ValueError("DatasetIterator: batch_size must be positive")
        if x.dtype.kind == "f":
            x = x.astype(_config.default_dtype(), copy=False)
        self.x, self.y = x, y
        self.batch_size, self.shuffle, self.drop_last = batch_size, shuffle, drop_last
        self._rng = np.random.default_rng(seed) if seed is not None else None

    def __len__(self):
        n = len(self.x)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self):
        n = len(self.x)
        if self.shuffle:
            rng = self._rng or _random.generator()
            order = rng.permutation(n)
        else:
            order = None
        for b in range(len(self)):
            lo, hi = b * self.batch_size, min((b + 1) * self.batch_size, n)
            idx = order[lo:hi] if order is not None else slice(lo, hi)
            xb, yb = self.x[idx], self.y[idx]
            yield (T.Tensor(xb, batch=True, capacity=self.batch_size),
                   T.Tensor(yb, batch=True, capacity=self.batch_size))


def _read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 8:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * k: 8 + 4 * k], "big") for k in range(ndim)]
    body = np.frombuffer(data, np.uint8, offset=4 + 4 * ndim)
    if body.size != int(np.prod(dims)):
        raise ValueError(f"{path}: {body.size} bytes of data for dims {dims}")
    return body.reshape(dims)


def fashion_mnist(root=None, flatten=True, normalize=True):
    """((x_train, y_train), (x_test, y_test)): 60000 and 10000 images of 28x28 as float32 in
    [0, 1] (flattened to 784 unless FLATTEN is False) and int64 labels 0-9."""
    root = root or os.environ.get("AXON_FASHION_MNIST", FASHION_MNIST_DIR)
    out = []
    for split in ("train", "t10k"):
        ip = os.path.join(root, f"{split}-images-idx3-ubyte.gz")
        lp = os.path.join(root, f"{split}-labels-idx1-ubyte.gz")
        for p in (ip, lp):
            if not os.path.exists(p):
                raise FileNotFoundError(
                    f"{p}: missing; install Debian's dataset-fashion-mnist (scripts/setup.sh) or "
                    f"set AXON_FASHION_MNIST")
        x = _read_idx(ip)
        y = _read_idx(lp).astype(np.int64)
        x = x.reshape(len(x), -1) if flatten else x
        x = x.astype(np.float32) / 255.0 if normalize else x
        out.append((x, y))
    return tuple(out)
