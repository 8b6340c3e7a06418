#!/usr/bin/env python3
"""Generate reference/tests/fixtures_patnet_polymax.rs: numpy cases for the operators of the
PATNet / Scale-DiT / weighted-conv / AutoNeural-depthwise / PolyMaX group:

    convolution::weighted_conv2d                      (Optimal Weighted Convolution, wConv2d)
    resampling_index::hilbert_permute_tokens          (Scale-DiT)
    attention::hierarchical_local_window_attention    (Scale-DiT)
    gating_fusion::pat_ch_partial_gaussian_channel_attention   (PATNet PAT_ch)
    gating_fusion::pat_sp_mlp_spatial_attention       (PATNet PAT_sp)
    quantized::int8_depthwise_conv2d_requant          (AutoNeural, TFLite requantisation)
    attention::kmeans_cross_attention                 (kMaX-DeepLab / PolyMaX)
    gating_fusion::cluster_soft_assignment_regression (PolyMaX)

Regenerate (from the repository root):
    .venv/bin/python reference/tests/oracle/gen_patnet_polymax.py

Byte-for-byte reproducible: fixed seed, no timestamps. Expected outputs are computed
INDEPENDENTLY of the Rust reference operators, from the catalogue formulas, in float64 numpy:
convolutions through padded sliding windows + einsum, attention through a dense boolean mask
and a full masked softmax, the Hilbert order through the d -> (x, y) map (the Rust uses the
opposite xy -> d map), GELU through math.erf, and the int8 requantisation through exact Python
integers (round-half-away-from-zero written as sign(x) * ((|x| + 2^(e-1)) >> e)).
Float cases go through rustlit.emit; the int8 cases (i8/i32 inputs, which rustlit cannot print)
are appended to the same file as `IntCase`s with exact expected int8 outputs.
"""

import math
import os

import numpy as np

from rustlit import emit  # shared literal emitter (this folder is on sys.path)

RNG = np.random.default_rng(20251125)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures_patnet_polymax.rs")

# f64 reference vs f64 numpy of the same f32 inputs: they differ by the f32 output rounding
# (~6e-8 relative) and summation order (~1e-15).
ATOL, RTOL = 1e-6, 1e-6

CASES = []  # float cases: (test_name, const_name, op_path, dims, attrs, inputs, outputs, atol, rtol)
INT_CASES = []  # int8 cases: (test_name, const_name, op_path, dims, attrs, inputs, outputs)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def normal(*shape, mean=0.0, scale=1.0):
    return f32(RNG.normal(mean, scale, size=shape))


def uniform(lo, hi, *shape):
    return f32(RNG.uniform(lo, hi, size=shape))


def f64(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def const_name(test_name):
    const = test_name.upper()
    if const.endswith("_MATCHES_NUMPY"):
        const = const[: -len("_MATCHES_NUMPY")]
    return const


def add(test_name, op, dims, attrs, inputs, outputs, atol=ATOL, rtol=RTOL):
    for name, arr in inputs:
        assert arr.dtype == np.float32, name
        assert arr.size <= 600, (test_name, name, arr.size)
    CASES.append((test_name, const_name(test_name), op, dims, attrs, inputs, outputs, atol, rtol))


# ----------------------------------------------------------------------------- numpy oracles


def conv2d_nchw(x, w, stride=1, pad=0, dil=1, groups=1):
    """PyTorch Conv2d (cross-correlation, zero padding) in float64 via sliding windows."""
    B, Cin, H, W = x.shape
    Cout, Cg, k, _ = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    span = dil * (k - 1) + 1
    win = np.lib.stride_tricks.sliding_window_view(xp, (span, span), axis=(2, 3))  # B,Cin,Hp',Wp',span,span
    win = win[:, :, ::stride, ::stride, ::dil, ::dil]  # B,Cin,Ho,Wo,k,k
    og = Cout // groups
    outs = []
    for g in range(groups):
        outs.append(np.einsum("bchwuv,ocuv->bohw", win[:, g * Cg:(g + 1) * Cg], w[g * og:(g + 1) * og]))
    return np.concatenate(outs, axis=1)


def weighted_conv2d_np(x, w, den, stride, pad, dil, groups):
    alfa = np.concatenate([den, [1.0], den[::-1]])
    phi = np.outer(alfa, alfa)
    return conv2d_nchw(x, w * phi[None, None], stride, pad, dil, groups)


def hilbert_d2xy(n, d):
    """Classic Hilbert d -> (x, y) map (Wikipedia `d2xy`), the inverse of xy2d."""
    x = y = 0
    s = 1
    t = d
    while s < n:
        rx = 1 & (t // 2)
        ry = 1 & (t ^ rx)
        if ry == 0:
            if rx == 1:
                x = s - 1 - x
                y = s - 1 - y
            x, y = y, x
        x += s * rx
        y += s * ry
        t //= 4
        s *= 2
    return x, y


def hilbert_rank_grid(n):
    """rank[h, w] = Hilbert index of row h, column w (x = column, y = row)."""
    rank = np.full((n, n), -1, dtype=np.int64)
    for d in range(n * n):
        x, y = hilbert_d2xy(n, d)
        rank[y, x] = d
    assert sorted(rank.ravel().tolist()) == list(range(n * n))
    return rank


# the catalogue's 4x4 example, and the "consecutive ranks are 4-neighbours" property
assert hilbert_rank_grid(4).tolist() == [[0, 1, 14, 15], [3, 2, 13, 12], [4, 7, 8, 11], [5, 6, 9, 10]]
for _n in (2, 4, 8, 16):
    _pts = [hilbert_d2xy(_n, d) for d in range(_n * _n)]
    assert all(abs(a[0] - b[0]) + abs(a[1] - b[1]) == 1 for a, b in zip(_pts, _pts[1:]))


def hilbert_np(x, n, inverse):
    rank = hilbert_rank_grid(n).ravel()  # rank of raster token t
    order = np.argsort(rank)  # order[d] = raster token with Hilbert rank d
    return x[:, rank] if inverse else x[:, order]


def local_window_attention_np(q, k, v, G, lw, gsl):
    T = q.shape[2]
    i = np.arange(T)[:, None]
    j = np.arange(T)[None, :]
    win_i = np.where(i >= G, (i - G) // lw, -1)
    win_j = np.where(j >= G, (j - G) // lw, -2)
    allowed = (j < G) | ((i >= G) & (j >= G) & (win_i == win_j)) | ((i < G) & (j >= G) & gsl)
    s = np.einsum("bhid,bhjd->bhij", q, k) / math.sqrt(q.shape[-1])
    s = np.where(allowed, s, -np.inf)
    s = s - s.max(axis=-1, keepdims=True)
    p = np.exp(s)
    p /= p.sum(axis=-1, keepdims=True)
    return np.einsum("bhij,bhjd->bhid", p, v)


def pat_ch_np(x, w, n_div, cg, eps):
    C = x.shape[1]
    cp = C // n_div
    y = x.copy()
    y[:, :cp] = conv2d_nchw(x[:, :cp], w, pad=1)
    u = x[:, cp:]
    g = u.mean(axis=(2, 3))  # B, Cu
    m = g.mean(axis=1, keepdims=True)
    var = g.var(axis=1, keepdims=True)  # population variance (ddof 0)
    z = (g - m) / np.sqrt(var + eps)
    a = np.exp(-(z ** 2) * cg / 2)
    y[:, cp:] = u * a[:, :, None, None]
    return y


ERF = np.vectorize(math.erf)


def pat_sp_np(x, w1, s1, t1, w2, ws, bs):
    a = np.einsum("ec,bchw->behw", w1, x) * s1[None, :, None, None] + t1[None, :, None, None]
    h = 0.5 * a * (1.0 + ERF(a / math.sqrt(2.0)))
    sp = 1.0 / (1.0 + np.exp(-(np.einsum("oe,behw->bohw", ws, h) + bs[0])))  # B,1,H,W
    return np.einsum("ce,behw->bchw", w2, h) * sp


def kmeans_np(centers, pix_k, pix_v):
    logits = np.einsum("bkd,bnd->bkn", centers, pix_k)
    a = np.argmax(logits, axis=1)  # first maximum on ties
    K = centers.shape[1]
    onehot = (a[:, None, :] == np.arange(K)[None, :, None]).astype(np.float64)  # B,K,N
    return np.einsum("bkn,bne->bke", onehot, pix_v), logits


def cluster_np(pix, memb, vals, normalize):
    logit = np.einsum("bkd,bdhw->bkhw", memb, pix)
    logit -= logit.max(axis=1, keepdims=True)
    p = np.exp(logit)
    p /= p.sum(axis=1, keepdims=True)
    o = np.einsum("bkhw,bkc->bchw", p, vals)
    if normalize:
        o = o / np.maximum(np.sqrt((o ** 2).sum(axis=1, keepdims=True)), 1e-12)
    return o


def requant(acc, m0, shift):
    """TFLite MultiplyByQuantizedMultiplier on Python ints (exact)."""
    x = acc * (1 << max(shift, 0))
    assert -(2 ** 31) <= x < 2 ** 31
    if x == m0 == -(2 ** 31):
        y = 2 ** 31 - 1
    else:
        t = x * m0 + ((1 << 30) if x * m0 >= 0 else 1 - (1 << 30))
        y = abs(t) // (1 << 31) * (1 if t >= 0 else -1)  # truncating division
    e = max(-shift, 0)
    if e == 0:
        return y
    return (1 if y >= 0 else -1) * ((abs(y) + (1 << (e - 1))) >> e)  # round half away from zero


def int8_dw_np(xq, wq, bias, M0, shift, k, stride, dil, pads, zx, zy, act_min, act_max):
    B, H, W, C = xq.shape
    pt, pl, pb, pr = pads
    Ho = (H + pt + pb - dil * (k - 1) - 1) // stride + 1
    Wo = (W + pl + pr - dil * (k - 1) - 1) // stride + 1
    xs = xq.astype(np.int64) - zx
    # pad with the REAL value 0, i.e. (xq - zx) = 0 outside
    xs = np.pad(xs, ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    acc = np.zeros((B, Ho, Wo, C), dtype=np.int64) + bias.astype(np.int64)
    for i in range(k):
        for j in range(k):
            hs, ws_ = i * dil, j * dil
            patch = xs[:, hs:hs + stride * (Ho - 1) + 1:stride, ws_:ws_ + stride * (Wo - 1) + 1:stride, :]
            acc += patch * wq[i, j].astype(np.int64)
    out = np.empty_like(acc)
    for idx in np.ndindex(acc.shape):
        c = idx[3]
        out[idx] = requant(int(acc[idx]), int(M0[c]), int(shift[c])) + zy
    return np.clip(out, act_min, act_max).astype(np.int8), acc


# ----------------------------------------------------------------------------- float cases

# weighted_conv2d: (tag, B, Cin, Cout, H, W, k, stride, pad, dil, groups, den)
for tag, B, Cin, Cout, H, W, k, s, p, d, g, den in [
    ("k7_same", 1, 2, 3, 9, 9, 7, 1, 3, 1, 1, [0.25, 0.15, 0.55]),
    ("k3_stride2_groups2", 2, 4, 4, 7, 8, 3, 2, 1, 1, 2, [0.7]),
    ("k5_dilation2_pad1", 1, 3, 2, 11, 10, 5, 1, 1, 2, 1, [1.5, 0.75]),
]:
    x = normal(B, Cin, H, W)
    w = uniform(-0.2, 0.2, Cout, Cin // g, k, k)
    den_a = f32(den)
    y = weighted_conv2d_np(f64(x), f64(w), f64(den_a), s, p, d, g)
    add(f"weighted_conv2d_{tag}_matches_numpy", "convolution::weighted_conv2d",
        [("B", B), ("Cin", Cin), ("Cout", Cout), ("H", H), ("W", W)],
        [("k", k), ("stride", s), ("pad", p), ("dilation", d), ("groups", g)],
        [("x", x), ("w", w), ("den", den_a)], [("y", y)])

# hilbert_permute_tokens: exact copies (atol 0; 9 printed digits of an f32 are exact after rounding)
for tag, B, n, C, inv in [("n4_forward", 2, 4, 3, 0), ("n8_forward", 1, 8, 2, 0), ("n8_inverse", 1, 8, 3, 1),
                          ("n2_inverse", 3, 2, 1, 1)]:
    x = normal(B, n * n, C)
    add(f"hilbert_permute_tokens_{tag}_matches_numpy", "resampling_index::hilbert_permute_tokens",
        [("B", B), ("n", n), ("C", C)], [("inverse", inv)], [("x", x)], [("y", hilbert_np(f64(x), n, inv))],
        atol=0.0, rtol=1e-8)

# hierarchical_local_window_attention: (tag, B, nh, G, N, dh, l, global_sees_local)
for tag, B, nh, G, N, dh, l, gsl in [
    ("g3_l4", 1, 2, 3, 32, 4, 4, 0),
    ("g3_l4_global_sees_local", 1, 2, 3, 32, 4, 4, 1),
    ("g1_l3_odd", 2, 1, 1, 18, 5, 3, 0),
    ("g2_l2_global_sees_local", 1, 3, 2, 8, 3, 2, 1),
]:
    T = G + N
    q, kk, v = normal(B, nh, T, dh), normal(B, nh, T, dh), normal(B, nh, T, dh)
    o = local_window_attention_np(f64(q), f64(kk), f64(v), G, l * l, bool(gsl))
    add(f"hierarchical_local_window_attention_{tag}_matches_numpy", "attention::hierarchical_local_window_attention",
        [("B", B), ("nh", nh), ("G", G), ("N", N), ("dh", dh), ("l", l)], [("global_sees_local", gsl)],
        [("q", q), ("k", kk), ("v", v)], [("o", o)])

# pat_ch_partial_gaussian_channel_attention: (tag, B, C, H, W, n_div, cg, eps)
for tag, B, C, H, W, n_div, cg, eps in [
    ("c8", 2, 8, 5, 6, 4, 2.0, 1e-5),
    ("c6_cp1", 1, 6, 7, 5, 4, 2.0, 1e-5),
    ("c10_ndiv2", 1, 10, 4, 3, 2, 1.5, 1e-3),
]:
    cp = C // n_div
    x = normal(B, C, H, W)
    w = uniform(-0.3, 0.3, cp, cp, 3, 3)
    y = pat_ch_np(f64(x), f64(w), n_div, cg, eps)
    add(f"pat_ch_partial_gaussian_channel_attention_{tag}_matches_numpy",
        "gating_fusion::pat_ch_partial_gaussian_channel_attention",
        [("B", B), ("C", C), ("H", H), ("W", W)], [("n_div", n_div), ("cg", cg), ("eps", eps)],
        [("x", x), ("w", w)], [("y", y)])

# pat_sp_mlp_spatial_attention: (tag, B, C, H, W, r)
for tag, B, C, H, W, r in [("c4_r2", 1, 4, 3, 5, 2), ("c3_r3", 2, 3, 2, 3, 3), ("c6_r2_wide", 1, 6, 4, 4, 2)]:
    ch = r * C
    x = normal(B, C, H, W, scale=1.5)
    w1 = uniform(-0.6, 0.6, ch, C)
    s1 = uniform(0.5, 1.5, ch)
    t1 = uniform(-0.3, 0.3, ch)
    w2 = uniform(-0.4, 0.4, C, ch)
    ws = uniform(-0.8, 0.8, 1, ch)
    bs = uniform(-0.2, 0.2, 1)
    y = pat_sp_np(f64(x), f64(w1), f64(s1), f64(t1), f64(w2), f64(ws), f64(bs))
    add(f"pat_sp_mlp_spatial_attention_{tag}_matches_numpy", "gating_fusion::pat_sp_mlp_spatial_attention",
        [("B", B), ("C", C), ("H", H), ("W", W)], [("r", r)],
        [("x", x), ("w1", w1), ("s1", s1), ("t1", t1), ("w2", w2), ("ws", ws), ("bs", bs)], [("y", y)])

# kmeans_cross_attention: integer-valued centres / keys (exact logits, ties resolved to the first k)
for tag, B, K, N, D, Dv, lo, hi in [("k4_d6", 1, 4, 24, 6, 5, -4, 5), ("heavy_ties", 2, 5, 20, 2, 3, -1, 2),
                                    ("k8_d3", 1, 8, 30, 3, 4, -3, 4)]:
    centers = f32(RNG.integers(lo, hi, size=(B, K, D)))
    pix_k = f32(RNG.integers(lo, hi, size=(B, N, D)))
    pix_v = normal(B, N, Dv)
    upd, logits = kmeans_np(f64(centers), f64(pix_k), f64(pix_v))
    srt = np.sort(logits, axis=1)
    if tag == "heavy_ties":
        assert (srt[:, -1] == srt[:, -2]).sum() >= 5, "want several tied pixels"
    add(f"kmeans_cross_attention_{tag}_matches_numpy", "attention::kmeans_cross_attention",
        [("B", B), ("K", K), ("N", N), ("D", D), ("Dv", Dv)], [],
        [("centers", centers), ("pix_k", pix_k), ("pix_v", pix_v)], [("update", upd)])

# cluster_soft_assignment_regression: (tag, B, D, K, H, W, Co, normalize)
for tag, B, D, K, H, W, Co, norm in [("normals_co3", 1, 6, 4, 4, 5, 3, 1), ("depth_co1", 2, 5, 3, 3, 4, 1, 0),
                                     ("co3_unnormalized", 1, 4, 5, 3, 3, 3, 0), ("co1_normalized_sign", 1, 3, 2, 2, 3, 1, 1)]:
    pix = normal(B, D, H, W)
    memb = uniform(-0.8, 0.8, B, K, D)
    vals = uniform(-1.0, 1.0, B, K, Co) if tag == "co1_normalized_sign" else uniform(0.1, 2.0, B, K, Co)
    out = cluster_np(f64(pix), f64(memb), f64(vals), bool(norm))
    add(f"cluster_soft_assignment_regression_{tag}_matches_numpy", "gating_fusion::cluster_soft_assignment_regression",
        [("B", B), ("D", D), ("K", K), ("H", H), ("W", W), ("Co", Co)], [("normalize_output", norm)],
        [("pix", pix), ("memb", memb), ("vals", vals)], [("out", out)], atol=1e-6, rtol=1e-6)


# ----------------------------------------------------------------------------- int8 cases


def int8_case(tag, B, H, W, C, k, stride, dil, pads, zx, zy, act_min, act_max, ties=False):
    if ties:
        # small values, M0 = 2^30 (one half) and shifts -1..-3: many exact .5 ties in the rounding
        xq = RNG.integers(-6, 7, size=(B, H, W, C)).astype(np.int8)
        wq = RNG.integers(-3, 4, size=(k, k, C)).astype(np.int8)
        bias = RNG.integers(-5, 6, size=C).astype(np.int32)
        M0 = np.full(C, 1 << 30, dtype=np.int32)
        shift = RNG.integers(-3, 0, size=C).astype(np.int32)
    else:
        xq = RNG.integers(-128, 128, size=(B, H, W, C)).astype(np.int8)
        wq = RNG.integers(-127, 128, size=(k, k, C)).astype(np.int8)
        bias = RNG.integers(-20000, 20001, size=C).astype(np.int32)
        M0 = RNG.integers(1 << 30, (1 << 31) - 1, size=C).astype(np.int32)
        shift = RNG.integers(-10, -7, size=C).astype(np.int32)
    yq, acc = int8_dw_np(xq, wq, bias, M0, shift, k, stride, dil, pads, zx, zy, act_min, act_max)
    assert np.abs(acc).max() < 2 ** 31
    attrs = [("k", k), ("stride", stride), ("dilation", dil), ("pad_top", pads[0]), ("pad_left", pads[1]),
             ("pad_bottom", pads[2]), ("pad_right", pads[3]), ("zx", zx), ("zy", zy), ("act_min", act_min),
             ("act_max", act_max)]
    name = f"int8_depthwise_conv2d_requant_{tag}_matches_numpy"
    INT_CASES.append((name, const_name(name), "quantized::int8_depthwise_conv2d_requant",
                      [("B", B), ("H", H), ("W", W), ("C", C)], attrs,
                      [("xq", xq), ("wq", wq), ("bias", bias), ("M0", M0), ("shift", shift)], [("yq", yq)]))


int8_case("s1_same", 1, 5, 6, 4, 3, 1, 1, (1, 1, 1, 1), 3, -4, -128, 127)
int8_case("s2_tf_same", 1, 8, 8, 3, 3, 2, 1, (0, 0, 1, 1), -7, 5, -128, 127)
int8_case("dilation2_relu6_clamp", 2, 7, 5, 3, 3, 1, 2, (2, 2, 2, 2), 3, -4, -4, 60)
int8_case("ties", 1, 4, 5, 4, 3, 1, 1, (1, 1, 1, 1), 1, 2, -128, 127, ties=True)


def int_tensor(name, arr, variant):
    shape = ", ".join(str(s) for s in arr.shape)
    vals = [str(int(v)) for v in np.asarray(arr).ravel()]
    lines = ["            " + ", ".join(vals[i:i + 16]) + "," for i in range(0, len(vals), 16)]
    body = "\n".join(lines)
    if not variant:
        return f'        ("{name}", &[{shape}], &[\n{body}\n        ]),'
    return f'        ("{name}", &[{shape}], {variant}(&[\n{body}\n        ])),'


INT_SECTION = '''
/// Typed integer input values of an int8 case.
#[derive(Clone, Copy, Debug)]
pub enum IntVals {
    /// i8 values.
    I8(&'static [i8]),
    /// i32 values.
    I32(&'static [i32]),
}

/// One integer operator case (i8 / i32 inputs, exact int8 outputs).
#[derive(Debug)]
pub struct IntCase {
    /// The test that runs this case.
    pub test: &'static str,
    /// Registry path `<category>::<name>`.
    pub op: &'static str,
    /// Declared dimensions by name.
    pub dims: &'static [(&'static str, i64)],
    /// Integer attributes by name.
    pub attrs: &'static [(&'static str, i64)],
    /// Inputs in spec order: (name, shape, values).
    pub inputs: &'static [(&'static str, &'static [usize], IntVals)],
    /// Expected int8 outputs in spec order: (name, shape, values), compared exactly.
    pub outputs: &'static [(&'static str, &'static [usize], &'static [i8])],
}
'''


def int_section():
    parts = [INT_SECTION]
    for test, const, op, dims, attrs, inputs, outputs in INT_CASES:
        dims_s = ", ".join(f'("{n}", {v})' for n, v in dims)
        attrs_s = ", ".join(f'("{n}", {int(v)})' for n, v in attrs)
        ins = "\n".join(int_tensor(n, a, "IntVals::I8" if a.dtype == np.int8 else "IntVals::I32") for n, a in inputs)
        outs = "\n".join(int_tensor(n, a, "") for n, a in outputs)
        parts.append(f'''
#[rustfmt::skip]
pub const {const}: IntCase = IntCase {{
    test: "{test}",
    op: "{op}",
    dims: &[{dims_s}],
    attrs: &[{attrs_s}],
    inputs: &[
{ins}
    ],
    outputs: &[
{outs}
    ],
}};
''')
    parts.append("\n/// Every int8 case, in generation order.\n#[rustfmt::skip]\npub static ALL_INT_CASES: &[&IntCase] = &[\n"
                 + "".join(f"    &{c[1]},\n" for c in INT_CASES) + "];\n")
    pairs = "".join(f"            {c[0]} => {c[1]},\n" for c in INT_CASES)
    parts.append(f'''
/// Calls `$m! {{ test_name => INT_CASE, ... }}` with every int8 case.
#[rustfmt::skip]
macro_rules! for_each_int_case {{
    ($m:ident) => {{
        $m! {{
{pairs}        }}
    }};
}}
''')
    return "".join(parts)


if __name__ == "__main__":
    names = [c[0] for c in CASES] + [c[0] for c in INT_CASES]
    assert len(set(names)) == len(names), "duplicate test names"
    emit(CASES, OUT, "gen_patnet_polymax.py", "oracle_patnet_polymax.rs")
    with open(OUT, "a") as f:
        f.write(int_section())
    print(f"appended {len(INT_CASES)} int8 cases")
