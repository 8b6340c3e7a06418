#!/usr/bin/env python3
"""Generate reference/tests/fixtures_part_b.rs: numpy cases for std_layernorm_channels_nchw,
std_l2_normalize, std_pointwise_conv2d, std_replication_pad2d and std_interpolate_resize.

Regenerate (from the repository root):
    .venv/bin/python reference/tests/oracle/gen_part_b.py

Byte-for-byte reproducible: fixed seed, no timestamps; every generated item carries
#[rustfmt::skip]. Expected outputs are computed INDEPENDENTLY of the Rust reference operators,
in float64 with whole-array numpy expressions written from the catalogue definitions
(shared/operators.md); padding and resizing use numpy's own np.pad(mode="edge") and a
gather-matrix formulation of bilinear interpolation, not index loops. Inputs are
float32 values printed with 9 significant digits (exact round trip); outputs rounded to 9 digits.
"""

import math
import os

import numpy as np

RNG = np.random.default_rng(20250214)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures_part_b.rs")

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


def layernorm_channels(x, gamma, beta, eps):
    x = f64(x)                                                   # [B, C, H, W]
    mean = x.mean(axis=1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * f64(gamma)[None, :, None, None] + f64(beta)[None, :, None, None]


def l2_normalize(x, eps):
    x = f64(x)                                                   # [B, C, H, W]
    norm = np.sqrt((x * x).sum(axis=1, keepdims=True))
    return x / np.maximum(norm, eps)


def pointwise_conv(x, w, bias):
    # y[b, o, h, w] = bias[o] + sum_c w[o, c] x[b, c, h, w], via einsum
    return np.einsum("oc,bchw->bohw", f64(w), f64(x)) + f64(bias)[None, :, None, None]


def replication_pad(x, p):
    return np.pad(f64(x), ((0, 0), (0, 0), (p, p), (p, p)), mode="edge")


def interp_matrix(n_in, n_out):
    # [n_out, n_in] matrix of bilinear weights, align_corners=False (catalogue formula with the
    # n_in/n_out ratio); row d has (1 - l) at i0 and l at i1 (summed when i0 == i1)
    d = np.arange(n_out, dtype=np.float64)
    src = np.maximum((d + 0.5) * (n_in / n_out) - 0.5, 0.0)
    i0 = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    i1 = np.minimum(i0 + 1, n_in - 1)
    lam = src - i0
    m = np.zeros((n_out, n_in))
    np.add.at(m, (np.arange(n_out), i0), 1.0 - lam)
    np.add.at(m, (np.arange(n_out), i1), lam)
    return m


def bilinear_resize(x, scale):
    x = f64(x)
    _, _, h, w = x.shape
    mh, mw = interp_matrix(h, h * scale), interp_matrix(w, w * scale)
    return np.einsum("ih,bchw,jw->bcij", mh, x, mw)


# ----------------------------------------------------------------------------- cases


def lnc_case(name, b, c, h, w, eps=1e-6):
    x = normal(b, c, h, w, mean=0.5, scale=2.0)
    gamma, beta = uniform(0.5, 1.5, c), uniform(-0.5, 0.5, c)
    add(name, "normalization::std_layernorm_channels_nchw", [("B", b), ("C", c), ("H", h), ("W", w)],
        [("eps", eps)], [("x", x), ("gamma", gamma), ("beta", beta)],
        [("y", layernorm_channels(x, gamma, beta, eps))])


def l2n_case(name, b, c, h, w, zero_pixel=False, eps=1e-12):
    x = normal(b, c, h, w)
    if zero_pixel:
        x[0, :, 0, 1] = 0.0                                       # norm 0: clamped, output zeros
        x[-1, :, -1, -1] *= np.float32(1e-13)                     # nonzero norm ~2e-13 < eps: clamped
    add(name, "normalization::std_l2_normalize", [("B", b), ("C", c), ("H", h), ("W", w)],
        [("eps", eps)], [("x", x)], [("y", l2_normalize(x, eps))])


def pw_case(name, b, cin, cout, h, w):
    x = normal(b, cin, h, w)
    wt, bias = uniform(-0.2, 0.2, cout, cin), uniform(-0.5, 0.5, cout)
    add(name, "matmul::std_pointwise_conv2d", [("B", b), ("Cin", cin), ("Cout", cout), ("H", h), ("W", w)],
        [], [("x", x), ("w", wt), ("bias", bias)], [("y", pointwise_conv(x, wt, bias))])


def pad_case(name, b, c, h, w, p):
    x = normal(b, c, h, w)
    add(name, "resampling_index::std_replication_pad2d", [("B", b), ("C", c), ("H", h), ("W", w)],
        [("p", p)], [("x", x)], [("y", replication_pad(x, p))], atol=0.0, rtol=1e-8)  # exact up to 9-digit printing


def interp_case(name, b, c, h, w, scale):
    x = normal(b, c, h, w)
    add(name, "resampling_index::std_interpolate_resize", [("B", b), ("C", c), ("H", h), ("W", w)],
        [("scale", scale)], [("x", x)], [("y", bilinear_resize(x, scale))])


lnc_case("std_layernorm_channels_nchw_matches_numpy", 2, 6, 3, 5)
lnc_case("std_layernorm_channels_nchw_one_channel_matches_numpy", 1, 1, 2, 3)
l2n_case("std_l2_normalize_matches_numpy", 2, 7, 3, 4)
l2n_case("std_l2_normalize_zero_and_tiny_pixels_matches_numpy", 2, 5, 2, 3, zero_pixel=True)
pw_case("std_pointwise_conv2d_matches_numpy", 2, 5, 7, 3, 4)
pw_case("std_pointwise_conv2d_expand_matches_numpy", 1, 3, 9, 2, 5)
pad_case("std_replication_pad2d_matches_numpy", 2, 3, 4, 5, 3)
pad_case("std_replication_pad2d_pad_exceeds_size_matches_numpy", 1, 2, 1, 2, 3)
interp_case("std_interpolate_resize_matches_numpy", 2, 3, 4, 5, 2)
interp_case("std_interpolate_resize_single_row_matches_numpy", 1, 2, 1, 3, 2)
interp_case("std_interpolate_resize_scale3_matches_numpy", 1, 2, 3, 4, 3)


from rustlit import emit  # noqa: E402  (shared literal emitter; this folder is on sys.path)

if __name__ == "__main__":
    assert len({c[0] for c in CASES}) == len(CASES), "duplicate test names"
    emit(CASES, OUT, "gen_part_b.py", "oracle_part_b.rs")
