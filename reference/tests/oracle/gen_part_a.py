#!/usr/bin/env python3
"""Generate reference/tests/fixtures_part_a.rs: numpy cases for std_global_avg_pool2d,
std_group_norm, grn_global_response_norm, se_block_squeeze_excite and mamba_selective_scan.

Regenerate (from the repository root):
    .venv/bin/python reference/tests/oracle/gen_part_a.py

Byte-for-byte reproducible: fixed seed, no timestamps; every generated item carries
#[rustfmt::skip]. Expected outputs are computed INDEPENDENTLY of the Rust reference operators,
in float64 with whole-array numpy expressions written from the catalogue definitions
(shared/operators.md); the Mamba scan is an explicit loop over l with vectorised n. Inputs are
float32 values printed with 9 significant digits (exact round trip); outputs rounded to 9 digits.
"""

import math
import os

import numpy as np

RNG = np.random.default_rng(20250107)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures_part_a.rs")

# |got - exp| <= ATOL + RTOL*|exp|: both sides are f64 computations of the same f32 inputs and
# differ by f32 output rounding (~6e-8 relative) plus summation order.
ATOL, RTOL = 1e-6, 1e-5

CASES = []  # (test_name, const_name, op_path, dims, attrs, inputs, outputs, atol, rtol)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def normal(*shape, mean=0.0, scale=1.0):
    return f32(RNG.normal(mean, scale, size=shape))


def uniform(lo, hi, *shape):
    return f32(RNG.uniform(lo, hi, size=shape))


def f64(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def add(test_name, op, dims, attrs, inputs, outputs, atol=ATOL, rtol=RTOL):
    const = test_name.upper()
    if const.endswith("_MATCHES_NUMPY"):
        const = const[: -len("_MATCHES_NUMPY")]
    for name, arr in inputs:
        assert arr.dtype == np.float32, name
    CASES.append((test_name, const, op, dims, attrs, inputs, outputs, atol, rtol))


# ----------------------------------------------------------------------------- numpy oracles


def gap(x):
    return f64(x).mean(axis=(2, 3))


def group_norm(x, gamma, beta, groups, eps):
    x = f64(x)
    b, c, h, w = x.shape
    xg = x.reshape(b, groups, -1)
    mean = xg.mean(axis=2, keepdims=True)
    var = ((xg - mean) ** 2).mean(axis=2, keepdims=True)
    xn = ((xg - mean) / np.sqrt(var + eps)).reshape(b, c, h, w)
    return xn * f64(gamma)[None, :, None, None] + f64(beta)[None, :, None, None]


def grn(x, gamma, beta, eps):
    x = f64(x)  # [N, H, W, C]
    g = np.sqrt((x * x).sum(axis=(1, 2), keepdims=True))        # [N, 1, 1, C]
    nx = g / (g.mean(axis=-1, keepdims=True) + eps)
    return f64(gamma) * (x * nx) + f64(beta) + x                 # official GRNwithNHWC form


def se_block(x, wd, bd, wu, bu):
    x = f64(x)
    p = x.mean(axis=(2, 3))                                      # [N, C]
    q = np.maximum(p @ f64(wd).T + f64(bd), 0.0)                 # [N, Cr]
    g = 1.0 / (1.0 + np.exp(-(q @ f64(wu).T + f64(bu))))        # [N, C]
    return x * g[:, :, None, None]


def mamba_scan(u, delta, A, Bm, Cm, Dskip, delta_bias, z):
    u, delta, A, Bm, Cm = f64(u), f64(delta), f64(A), f64(Bm), f64(Cm)
    Dskip, delta_bias, z = f64(Dskip), f64(delta_bias), f64(z)
    t = delta + delta_bias[None, :, None]
    dt = np.where(t > 20.0, t, np.log1p(np.exp(np.minimum(t, 20.0))))   # F.softplus threshold 20
    b, d, L = u.shape
    h = np.zeros((b, d, A.shape[1]))
    out = np.zeros((b, d, L))
    for l in range(L):
        dA = np.exp(dt[:, :, l, None] * A[None])                         # [B, D, N]
        dBu = dt[:, :, l, None] * Bm[:, None, :, l] * u[:, :, l, None]
        h = dA * h + dBu
        y = (h * Cm[:, None, :, l]).sum(axis=-1)
        out[:, :, l] = y + u[:, :, l] * Dskip[None, :]
    return out * (z / (1.0 + np.exp(-z)))


# ----------------------------------------------------------------------------- cases


def gap_case(name, b, c, h, w):
    x = normal(b, c, h, w, mean=0.25)
    add(name, "pooling::std_global_avg_pool2d", [("B", b), ("C", c), ("H", h), ("W", w)], [],
        [("x", x)], [("g", gap(x))])


def gn_case(name, b, c, h, w, groups, eps):
    x = normal(b, c, h, w, mean=0.5, scale=2.0)
    gamma, beta = uniform(0.5, 1.5, c), uniform(-0.5, 0.5, c)
    add(name, "normalization::std_group_norm", [("B", b), ("C", c), ("H", h), ("W", w)],
        [("groups", groups), ("eps", eps)], [("x", x), ("gamma", gamma), ("beta", beta)],
        [("y", group_norm(x, gamma, beta, groups, eps))])


def grn_case(name, n, h, w, c):
    x = normal(n, h, w, c)
    gamma, beta = uniform(-1.0, 1.0, c), uniform(-0.5, 0.5, c)
    add(name, "normalization::grn_global_response_norm", [("N", n), ("H", h), ("W", w), ("C", c)],
        [("eps", 1e-6)], [("x", x), ("gamma", gamma), ("beta", beta)], [("y", grn(x, gamma, beta, 1e-6))])


def se_case(name, n, c, h, w, reduction=4):
    cr = c // reduction
    x = normal(n, c, h, w, mean=0.25)
    wd, bd = uniform(-0.5, 0.5, cr, c), uniform(-0.1, 0.1, cr)
    wu, bu = uniform(-0.5, 0.5, c, cr), uniform(-0.1, 0.1, c)
    add(name, "gating_fusion::se_block_squeeze_excite", [("N", n), ("C", c), ("H", h), ("W", w)],
        [("reduction", reduction)],
        [("x", x), ("w_down", wd), ("b_down", bd), ("w_up", wu), ("b_up", bu)],
        [("y", se_block(x, wd, bd, wu, bu))])


def mamba_case(name, b, d, L, n, big_delta=0):
    u = normal(b, d, L)
    delta = normal(b, d, L, scale=1.5)
    if big_delta:
        # a few raw deltas above the softplus threshold: dt = delta + bias exactly (> 20)
        flat = delta.reshape(-1)
        idx = RNG.choice(flat.size, size=big_delta, replace=False)
        flat[idx] = uniform(25.0, 30.0, big_delta)
    A = uniform(-16.0, -1.0, d, n)
    Bm, Cm = normal(b, n, L), normal(b, n, L)
    Dskip, delta_bias = uniform(0.5, 1.5, d), uniform(-4.6, -2.3, d)
    z = normal(b, d, L)
    add(name, "scan_recurrence::mamba_selective_scan", [("B", b), ("D", d), ("L", L), ("N", n)], [],
        [("u", u), ("delta", delta), ("A", A), ("Bm", Bm), ("Cm", Cm), ("Dskip", Dskip),
         ("delta_bias", delta_bias), ("z", z)],
        [("out", mamba_scan(u, delta, A, Bm, Cm, Dskip, delta_bias, z))], atol=1e-5, rtol=1e-5)


gap_case("std_global_avg_pool2d_matches_numpy", 2, 6, 5, 7)
gap_case("std_global_avg_pool2d_1x1_plane_matches_numpy", 3, 5, 1, 1)
gn_case("std_group_norm_g4_matches_numpy", 2, 8, 5, 6, 4, 1e-5)
gn_case("std_group_norm_g1_matches_numpy", 2, 6, 4, 5, 1, 1e-6)
grn_case("grn_global_response_norm_matches_numpy", 2, 4, 5, 12)
grn_case("grn_global_response_norm_odd_matches_numpy", 1, 3, 7, 9)
se_case("se_block_squeeze_excite_matches_numpy", 2, 8, 4, 5)
se_case("se_block_squeeze_excite_floor_cr_matches_numpy", 1, 11, 3, 7)
mamba_case("mamba_selective_scan_matches_numpy", 1, 4, 24, 6)
mamba_case("mamba_selective_scan_softplus_threshold_matches_numpy", 2, 3, 16, 5, big_delta=6)


from rustlit import emit  # noqa: E402  (shared literal emitter; this folder is on sys.path)

if __name__ == "__main__":
    assert len({c[0] for c in CASES}) == len(CASES), "duplicate test names"
    emit(CASES, OUT, "gen_part_a.py", "oracle_part_a.rs")
