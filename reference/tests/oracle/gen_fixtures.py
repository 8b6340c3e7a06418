#!/usr/bin/env python3
"""Generate reference/tests/fixtures_generated.rs: small operator cases computed with numpy.

Regenerate (from the repository root; ./scripts/test creates .venv with numpy and fails when
the committed file is stale):
    .venv/bin/python reference/tests/oracle/gen_fixtures.py

The output must be byte-for-byte reproducible: fixed seed, no timestamps, no dependence on the
working directory, and every generated item carries #[rustfmt::skip] so `cargo fmt` leaves it alone.

Every expected output here is computed INDEPENDENTLY of the Rust reference operators, in
float64, straight from the catalogue definitions (shared/operators.md, docs/first-tasks.md):
convolutions by summing shifted slices of a zero-padded array, max pooling over -inf-padded
sliding windows, erf from math.erf, NATTEN from the window rule written as list slicing over
each dilation group. Inputs are float32 values (numpy's own RNG, fixed seed), printed with 9
significant digits so that they round-trip exactly; expected outputs are rounded to 9 digits.
"""

import math
import os

import numpy as np

RNG = np.random.default_rng(20240611)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures_generated.rs")

# Default comparison tolerance: |got - exp| <= ATOL + RTOL * |exp|. Both sides are f64
# computations of the same f32 inputs, so they differ by f32 output rounding (~6e-8 relative).
ATOL, RTOL = 1e-6, 1e-5

CASES = []  # (test_name, const_name, op_path, dims, attrs, inputs, outputs, atol, rtol)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def normal(*shape, scale=1.0):
    return f32(RNG.normal(0.0, scale, size=shape))


def uniform(lo, hi, *shape):
    return f32(RNG.uniform(lo, hi, size=shape))


def f64(a):
    """The exact float64 value of float32 inputs (what the reference sees)."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def add(test_name, op, dims, attrs, inputs, outputs, atol=ATOL, rtol=RTOL):
    const = test_name.upper()
    if const.endswith("_MATCHES_NUMPY"):
        const = const[: -len("_MATCHES_NUMPY")]
    for name, arr in inputs:
        assert arr.dtype == np.float32, name
    CASES.append((test_name, const, op, dims, attrs, inputs, outputs, atol, rtol))


# ----------------------------------------------------------------------------- numpy oracles


def conv2d(x, w, b, stride, pad_hw, dilation, groups):
    """Cross-correlation with zero padding, summing shifted slices of the padded input.

    x [N, Cin, H, W], w [Cout, Cin/groups, kh, kw], b [Cout]; pad_hw = (ph, pw).
    """
    x, w, b = f64(x), f64(w), f64(b)
    n, cin, h, wd = x.shape
    cout, cg, kh, kw = w.shape
    ph, pw = pad_hw
    og = cout // groups
    ho = (h + 2 * ph - dilation * (kh - 1) - 1) // stride + 1
    wo = (wd + 2 * pw - dilation * (kw - 1) - 1) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    y = np.zeros((n, cout, ho, wo)) + b[None, :, None, None]
    for g in range(groups):
        xs = xp[:, g * cg:(g + 1) * cg]
        ws = w[g * og:(g + 1) * og]
        for u in range(kh):
            for v in range(kw):
                r0, c0 = u * dilation, v * dilation
                patch = xs[:, :, r0:r0 + stride * (ho - 1) + 1:stride, c0:c0 + stride * (wo - 1) + 1:stride]
                y[:, g * og:(g + 1) * og] += np.einsum("nchw,oc->nohw", patch, ws[:, :, u, v])
    return y


def maxpool2d(x, kernel, stride, pad):
    xp = np.pad(f64(x), ((0, 0), (0, 0), (pad, pad), (pad, pad)), constant_values=-np.inf)
    win = np.lib.stride_tricks.sliding_window_view(xp, (kernel, kernel), axis=(2, 3))
    return win[:, :, ::stride, ::stride].max(axis=(-2, -1))


def natten_neighbors(i, L, k, d):
    """Keys of query i: the k consecutive members of i's dilation group, centred on i and
    shifted inward at the group borders (operators.md, NATTEN common window rule)."""
    group = list(range(i % d, L, d))  # positions of dilation group g = i % d, in order
    pos = group.index(i)               # i' = i // d
    assert len(group) >= k
    start = min(max(pos - k // 2, 0), len(group) - k)
    keys = group[start:start + k]
    assert len(keys) == k
    return keys


def natten_na1d(q, k, v, ks, dil):
    q, k, v = f64(q), f64(k), f64(v)
    B, L, Hh, D = q.shape
    o = np.zeros_like(q)
    for i in range(L):
        keys = natten_neighbors(i, L, ks, dil)
        for b in range(B):
            for h in range(Hh):
                s = np.array([q[b, i, h] @ k[b, j, h] for j in keys]) / math.sqrt(D)
                p = np.exp(s - s.max())
                p /= p.sum()
                o[b, i, h] = sum(pj * v[b, j, h] for pj, j in zip(p, keys))
    return o


def full_attention(q, k, v):
    q, k, v = f64(q), f64(k), f64(v)
    s = np.einsum("bihd,bjhd->bhij", q, k) / math.sqrt(q.shape[-1])
    p = np.exp(s - s.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    return np.einsum("bhij,bjhd->bihd", p, v)


def softmax_rows(x):
    x = f64(x)
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def gelu_erf(x):
    return np.array([0.5 * t * (1.0 + math.erf(t / math.sqrt(2.0))) for t in f64(x)])


def eca(x, w):
    x, w = f64(x), f64(w)
    B, C = x.shape[:2]
    kk = len(w)
    g = x.mean(axis=(2, 3))
    half = (kk - 1) // 2
    out = np.empty_like(x)
    for b in range(B):
        gp = np.concatenate([np.zeros(half), g[b], np.zeros(half)])
        z = np.correlate(gp, w, mode="valid")  # z[c] = sum_t w[t] * g[c + t - half]
        assert z.shape == (C,)
        out[b] = x[b] * (1.0 / (1.0 + np.exp(-z)))[:, None, None]
    return out


# ----------------------------------------------------------------------------- cases

# activation::relu
x = normal(64)
x[[3, 17, 40]] = 0.0
add("relu_matches_numpy", "activation::relu", [("N", 64)], [], [("x", x)], [("y", np.maximum(f64(x), 0.0))])

# activation::gelu_erf
x = f32(np.concatenate([np.linspace(-10.0, 10.0, 41), normal(40, scale=2.0)]))
add("gelu_erf_from_minus_10_to_10_matches_numpy", "activation::gelu_erf", [("N", 81)], [], [("x", x)],
    [("y", gelu_erf(x))])
x = normal(50, scale=0.5)
add("gelu_erf_near_zero_matches_numpy", "activation::gelu_erf", [("N", 50)], [], [("x", x)],
    [("y", gelu_erf(x))])

# reduction::std_softmax_lastdim
x = normal(3, 17, scale=2.0)
add("std_softmax_lastdim_matches_numpy", "reduction::std_softmax_lastdim", [("R", 3), ("D", 17)], [],
    [("x", x)], [("y", softmax_rows(x))])
# Rows around 80..90 overflow exp() in f32 without the max subtraction; 1000..1010 overflow it in f64.
x = np.stack([np.linspace(80.0, 90.0, 11), uniform(85.0, 90.0, 11), normal(11), np.linspace(1000.0, 1010.0, 11)])
x = x.astype(np.float32)
x[2, 4] = -np.inf  # an entry of -inf gets probability 0
y = softmax_rows(x)
assert np.isfinite(y).all() and y[2, 4] == 0.0
add("std_softmax_lastdim_with_large_values_and_minus_inf_matches_numpy", "reduction::std_softmax_lastdim",
    [("R", 4), ("D", 11)], [], [("x", x)], [("y", y)])

# reduction::sum_reduce
x = normal(5, 37)
add("sum_reduce_matches_numpy", "reduction::sum_reduce", [("R", 5), ("D", 37)], [], [("x", x)],
    [("y", f64(x).sum(axis=1))])
x = f32([[1.0e8, 1.0, -1.0e8, 0.25], [3.0, 1.0e-3, 2.0e7, -2.0e7]])
# An f32 accumulator loses the small terms next to 1e8 / 2e7; the f64 reference keeps them.
add("sum_reduce_accumulates_in_f64_matches_numpy", "reduction::sum_reduce", [("R", 2), ("D", 4)], [],
    [("x", x)], [("y", f64(x).sum(axis=1))])


# normalization::std_layernorm_lastdim
def layernorm(x, gamma, beta, eps):
    x = f64(x)
    mu = x.mean(axis=1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=1, keepdims=True)  # biased
    return (x - mu) / np.sqrt(var + eps) * f64(gamma) + f64(beta)


x, gamma, beta = normal(4, 24), uniform(0.5, 1.5, 24), normal(24, scale=0.1)
add("std_layernorm_lastdim_matches_numpy", "normalization::std_layernorm_lastdim", [("R", 4), ("D", 24)],
    [("eps", 1e-5)], [("x", x), ("gamma", gamma), ("beta", beta)], [("y", layernorm(x, gamma, beta, 1e-5))])
x = f32(1000.0 + normal(3, 16, scale=0.05))
x[2] = 7.0  # a constant row: variance 0, so y = beta exactly
gamma, beta = uniform(0.5, 1.5, 16), normal(16, scale=0.1)
add("std_layernorm_lastdim_with_large_mean_and_constant_row_matches_numpy", "normalization::std_layernorm_lastdim",
    [("R", 3), ("D", 16)], [("eps", 1e-5)], [("x", x), ("gamma", gamma), ("beta", beta)],
    [("y", layernorm(x, gamma, beta, 1e-5))])

# matmul::matmul
a, b = normal(5, 7), normal(7, 6)
add("matmul_matches_numpy", "matmul::matmul", [("M", 5), ("K", 7), ("N", 6)], [], [("a", a), ("b", b)],
    [("c", f64(a) @ f64(b))])
a, b = normal(1, 33), normal(33, 3)
add("matmul_with_one_row_matches_numpy", "matmul::matmul", [("M", 1), ("K", 33), ("N", 3)], [],
    [("a", a), ("b", b)], [("c", f64(a) @ f64(b))])


# convolution::std_conv2d_grouped
def conv_case(test_name, n, cin, cout, h, w, kh, kw, stride, pad, dilation, groups):
    x = normal(n, cin, h, w)
    wt = uniform(-0.5, 0.5, cout, cin // groups, kh, kw)
    b = uniform(-0.2, 0.2, cout)
    y = conv2d(x, wt, b, stride, (pad, pad), dilation, groups)
    add(test_name, "convolution::std_conv2d_grouped",
        [("N", n), ("Cin", cin), ("Cout", cout), ("H", h), ("W", w)],
        [("kh", kh), ("kw", kw), ("stride", stride), ("pad", pad), ("dilation", dilation), ("groups", groups)],
        [("x", x), ("w", wt), ("b", b)], [("y", y)])


conv_case("std_conv2d_grouped_3x3_same_padding_matches_numpy", 1, 3, 4, 6, 7, 3, 3, 1, 1, 1, 1)
conv_case("std_conv2d_grouped_with_stride_2_matches_numpy", 2, 2, 3, 7, 8, 3, 3, 2, 1, 1, 1)
conv_case("std_conv2d_grouped_with_2_groups_and_3x2_kernel_matches_numpy", 1, 4, 6, 5, 6, 3, 2, 1, 1, 1, 2)
conv_case("std_conv2d_grouped_with_dilation_2_matches_numpy", 1, 2, 2, 8, 9, 3, 3, 1, 1, 2, 1)


# convolution::std_depthwise_conv2d
def dw_case(test_name, n, c, h, w, k, stride, dilation):
    x = normal(n, c, h, w)
    wt = uniform(-0.5, 0.5, c, 1, k, k)
    b = uniform(-0.2, 0.2, c)
    pad = dilation * (k - 1) // 2
    y = conv2d(x, wt, b, stride, (pad, pad), dilation, c)
    add(test_name, "convolution::std_depthwise_conv2d", [("N", n), ("C", c), ("H", h), ("W", w)],
        [("k", k), ("stride", stride), ("dilation", dilation)], [("x", x), ("w", wt), ("b", b)], [("y", y)])


dw_case("std_depthwise_conv2d_3x3_matches_numpy", 2, 3, 6, 5, 3, 1, 1)
dw_case("std_depthwise_conv2d_5x5_with_stride_2_matches_numpy", 1, 2, 9, 8, 5, 2, 1)
dw_case("std_depthwise_conv2d_with_dilation_2_matches_numpy", 1, 3, 7, 8, 3, 1, 2)


# convolution::inception_dwconv2d
def inception_case(test_name, n, c, h, w, ks, kb, ratio):
    gc = int(c * ratio)
    c_id = c - 3 * gc
    x = normal(n, c, h, w)
    w_hw, b_hw = uniform(-0.5, 0.5, gc, 1, ks, ks), uniform(-0.2, 0.2, gc)
    w_w, b_w = uniform(-0.5, 0.5, gc, 1, 1, kb), uniform(-0.2, 0.2, gc)
    w_h, b_h = uniform(-0.5, 0.5, gc, 1, kb, 1), uniform(-0.2, 0.2, gc)
    y = np.concatenate([
        f64(x[:, :c_id]),
        conv2d(x[:, c_id:c_id + gc], w_hw, b_hw, 1, (ks // 2, ks // 2), 1, gc),
        conv2d(x[:, c_id + gc:c_id + 2 * gc], w_w, b_w, 1, (0, kb // 2), 1, gc),
        conv2d(x[:, c_id + 2 * gc:], w_h, b_h, 1, (kb // 2, 0), 1, gc),
    ], axis=1)
    assert y.shape == x.shape
    add(test_name, "convolution::inception_dwconv2d", [("N", n), ("C", c), ("H", h), ("W", w)],
        [("square_kernel", ks), ("band_kernel", kb), ("branch_ratio", float(ratio))],
        [("x", x), ("w_hw", w_hw), ("b_hw", b_hw), ("w_w", w_w), ("b_w", b_w), ("w_h", w_h), ("b_h", b_h)],
        [("y", y)])


# Band kernel 11 is longer than H=6 and W=7, so every band output touches the zero padding.
inception_case("inception_dwconv2d_tiny_config_on_6x7_matches_numpy", 1, 32, 6, 7, 3, 11, 0.125)
inception_case("inception_dwconv2d_atto_config_matches_numpy", 2, 8, 5, 10, 3, 9, 0.25)


# pooling::max_pool2d
def pool_case(test_name, x, kernel, stride, pad):
    n, c, h, w = x.shape
    add(test_name, "pooling::max_pool2d", [("N", n), ("C", c), ("H", h), ("W", w)],
        [("kernel", kernel), ("stride", stride), ("pad", pad)], [("x", x)], [("y", maxpool2d(x, kernel, stride, pad))])


pool_case("max_pool2d_3x3_stride_2_on_odd_size_matches_numpy", normal(1, 2, 7, 9), 3, 2, 1)
pool_case("max_pool2d_2x2_stride_2_floors_odd_size_matches_numpy", normal(2, 1, 5, 7), 2, 2, 0)
# All inputs negative: zero padding would put 0 on every border output; -inf padding does not.
pool_case("max_pool2d_pads_with_minus_inf_matches_numpy", f32(-np.abs(normal(1, 2, 6, 5)) - 0.1), 3, 1, 1)


# gating_fusion::eca_channel_attention
def eca_case(test_name, b, c, h, w, k):
    x = normal(b, c, h, w)
    wt = uniform(-1.0, 1.0, k)
    add(test_name, "gating_fusion::eca_channel_attention", [("B", b), ("C", c), ("H", h), ("W", w)],
        [("k", k)], [("x", x), ("w", wt)], [("y", eca(x, wt))])


eca_case("eca_channel_attention_with_k_3_matches_numpy", 2, 10, 3, 4, 3)
eca_case("eca_channel_attention_with_k_5_matches_numpy", 2, 10, 3, 4, 5)


# attention::natten_na1d
def natten_case(test_name, b, L, hh, d, ks, dil, check_full=False):
    q, k, v = normal(b, L, hh, d), normal(b, L, hh, d), normal(b, L, hh, d)
    o = natten_na1d(q, k, v, ks, dil)
    if check_full:
        assert np.allclose(o, full_attention(q, k, v), rtol=1e-12, atol=1e-12)
    add(test_name, "attention::natten_na1d", [("B", b), ("L", L), ("Hh", hh), ("D", d)],
        [("kernel_size", ks), ("dilation", dil)], [("q", q), ("k", k), ("v", v)], [("o", o)])


natten_case("natten_na1d_with_kernel_5_matches_numpy", 1, 16, 2, 8, 5, 1)
# L=20, d=3: dilation groups of length 7, 7, 6 (uneven); k=5 so windows shift at both ends.
natten_case("natten_na1d_with_dilation_3_and_uneven_groups_matches_numpy", 2, 20, 2, 4, 5, 3)
# Even kernel (left = 2, right = 1) with dilation 2 and L odd (groups 7 and 6).
natten_case("natten_na1d_with_even_kernel_and_dilation_2_matches_numpy", 1, 13, 1, 6, 4, 2)
natten_case("natten_na1d_with_kernel_equal_to_length_is_full_attention", 1, 12, 2, 8, 12, 1, check_full=True)


from rustlit import emit  # noqa: E402  (shared literal emitter; this folder is on sys.path)

if __name__ == "__main__":
    assert len({c[0] for c in CASES}) == len(CASES), "duplicate test names"
    emit(CASES, OUT, "gen_fixtures.py", "oracle_tests.rs")
