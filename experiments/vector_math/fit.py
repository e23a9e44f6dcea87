#!/usr/bin/python3
"""Fits the polynomials of the LLVM backend's inline vector math (emit/cpu/vector_math.cpp).

Each is a least-squares fit of relative error on Chebyshev nodes, reweighted by Lawson's
iteration toward the minimax fit, then rounded to float. Prints the coefficients (lowest power
first) and the largest relative error of the float coefficients on a dense grid, in exact
arithmetic (the kernel's own rounding comes on top; tests/emit/vector_math_test.cpp measures the
whole routine).

    /usr/bin/python3 experiments/vector_math/fit.py
"""
import numpy as np


def lawson(x, target, weight, basis, iterations):
    """Coefficients c minimizing max |(basis @ c - target) * weight| over the nodes x."""
    ww = np.ones_like(x)
    for _ in range(iterations):
        s = weight * np.sqrt(ww)
        c, *_ = np.linalg.lstsq(basis * s[:, None], target * s, rcond=None)
        err = np.abs((basis @ c - target) * weight)
        ww = ww * err
        ww /= ww.sum()
    return c.astype(np.float32)


def chebyshev_nodes(lo, hi, n=4000):
    return lo + (np.cos(np.pi * (np.arange(n) + 0.5) / n) + 1) / 2 * (hi - lo)


def fit_exp():
    # e^r = 1 + r + r^2 P(r) on |r| <= ln2 / 2, P of degree 4 (c2..c6 of inline_exp).
    h = np.log(2) / 2
    r = chebyshev_nodes(-h, h)
    c = lawson(r, (np.expm1(r) - r) / r**2, r**2 / np.exp(r), np.vander(r, 5, increasing=True), 200)
    rr = np.linspace(-h, h, 200001)
    approx = 1 + rr + rr**2 * (np.vander(rr, 5, increasing=True) @ c.astype(np.float64))
    return c, np.abs(approx / np.exp(rr) - 1).max()


def fit_tanh():
    # tanh(a) = a + a^3 P(a^2) on 0 <= a <= 0.625, P of degree 4.
    t = 0.625
    a = chebyshev_nodes(0, t)
    a = a[a > 1e-4]  # (tanh(a) - a) / a^3 cancels in double below this
    z = a * a
    c = lawson(a, (np.tanh(a) - a) / a**3, a**3 / np.tanh(a), np.vander(z, 5, increasing=True), 300)
    aa = np.linspace(1e-4, t, 400001)
    approx = aa + aa**3 * (np.vander(aa * aa, 5, increasing=True) @ c.astype(np.float64))
    return c, np.abs(approx / np.tanh(aa) - 1).max()


if __name__ == "__main__":
    for name, fit in (("exp: c2..c6", fit_exp), ("tanh: P(z)", fit_tanh)):
        c, err = fit()
        print(f"{name}: {', '.join(f'{float(x):.8g}' for x in c)}  (relative fit error {err:.2g})")
