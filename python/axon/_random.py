"""The library's random generator (parameter initialization, shuffling): axon.manual_seed(s)."""
import numpy as np

_gen = [np.random.default_rng(0)]


def manual_seed(seed):
    _gen[0] = np.random.default_rng(seed)


def generator():
    return _gen[0]
