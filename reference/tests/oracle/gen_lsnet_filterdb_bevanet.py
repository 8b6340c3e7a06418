#!/usr/bin/env python3
"""Generate reference/tests/fixtures_lsnet_filterdb_bevanet.rs: numpy cases for the LSNet (LKP,
SKA), CNN Filter DB (sparsity, variance entropy, distribution drift) and BEVANet (LSKA, SDLSKA + CKS,
DLKPPM) operators.

Regenerate (from the repository root):
    .venv/bin/python reference/tests/oracle/gen_lsnet_filterdb_bevanet.py

Byte-for-byte reproducible: fixed seed, no timestamps. Expected outputs are computed in float64
INDEPENDENTLY of the Rust reference operators: convolutions through one generic NCHW conv2d
(explicit zero padding + a loop over kernel taps, grouped einsum), GroupNorm by reshaping, the
variance entropy through numpy's SVD of the centred filters (as the CNN Filter DB notebook does),
the drift through numpy.histogram(density=True), bilinear resizing with a separable
interpolation matrix, and the SDLSKA channel branch through full 3x3 depthwise convolutions of the
1x1 pooled map (not the centre-tap shortcut). Inputs are float32, outputs rounded to 9 digits.
"""

import math
import os

import numpy as np

RNG = np.random.default_rng(20251126)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures_lsnet_filterdb_bevanet.rs")

# Both sides compute in f64 from the same f32 inputs; the Rust output is rounded to f32 once.
ATOL, RTOL = 1e-6, 1e-6

CASES = []  # (test_name, const_name, op_path, dims, attrs, inputs, outputs, atol, rtol)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def f64(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def uni(shape, lo, hi):
    return f32(RNG.uniform(lo, hi, size=shape))


def normal(shape, std=1.0):
    return f32(RNG.normal(0.0, std, size=shape))


def add(test_name, op, dims, attrs, inputs, outputs, atol=ATOL, rtol=RTOL):
    const = test_name.upper()
    if const.endswith("_MATCHES_NUMPY"):
        const = const[: -len("_MATCHES_NUMPY")]
    for name, arr in inputs:
        assert arr.dtype == np.float32, name
        assert arr.size <= 1200, (test_name, name, arr.size)
    CASES.append((test_name, const, op, dims, attrs, inputs, outputs, atol, rtol))


# ----------------------------------------------------------------------------- numpy building blocks


def conv2d(x, w, b=None, pad=(0, 0), dil=(1, 1), groups=1):
    """PyTorch Conv2d (stride 1): x [N, Cin, H, W], w [Cout, Cin/groups, kh, kw]."""
    x, w = np.asarray(x, np.float64), np.asarray(w, np.float64)
    n, cin, h, wd = x.shape
    cout, cg, kh, kw = w.shape
    ph, pw = pad
    dh, dw = dil
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    ho, wo = h + 2 * ph - dh * (kh - 1), wd + 2 * pw - dw * (kw - 1)
    og = cout // groups
    out = np.zeros((n, cout, ho, wo))
    for g in range(groups):
        xs = xp[:, g * cg:(g + 1) * cg]
        ws = w[g * og:(g + 1) * og]
        for u in range(kh):
            for v in range(kw):
                patch = xs[:, :, u * dh:u * dh + ho, v * dw:v * dw + wo]
                out[:, g * og:(g + 1) * og] += np.einsum("nchw,oc->nohw", patch, ws[:, :, u, v])
    if b is not None:
        out += np.asarray(b, np.float64)[None, :, None, None]
    return out


def pw(x, w, b=None):
    """1x1 conv with a [Cout, Cin] matrix."""
    w = np.asarray(w, np.float64)
    return conv2d(x, w[:, :, None, None], b)


def relu(t):
    return np.maximum(t, 0.0)


def sigmoid(t):
    return 1.0 / (1.0 + np.exp(-t))


def gelu(t):
    return 0.5 * t * (1.0 + np.vectorize(math.erf)(t / math.sqrt(2.0)))


def affine(t, scale, shift):
    return t * np.asarray(scale, np.float64)[None, :, None, None] + np.asarray(shift, np.float64)[None, :, None, None]


# ----------------------------------------------------------------------------- LSNet


def lkp(x, w1, b1, w2, b2, w3, b3, w4, b4, gn_w, gn_b, groups=8, eps=1e-5):
    n, c, h, w = x.shape
    ch, g = c // 2, c // groups
    a = relu(pw(f64(x), w1, b1))
    a = conv2d(a, w2, b2, pad=(3, 3), groups=ch)
    a = relu(pw(a, w3, b3))
    z = pw(a, w4, b4)  # [n, g*9, h, w]
    zg = z.reshape(n, g, 9 * h * w)
    mu = zg.mean(axis=2, keepdims=True)
    var = zg.var(axis=2, keepdims=True)
    zn = ((zg - mu) / np.sqrt(var + eps)).reshape(n, g * 9, h, w)
    zn = affine(zn, gn_w, gn_b)
    return zn.reshape(n, g, 9, h, w)


for tag, (n, c, h, w) in [("c16", (1, 16, 5, 5)), ("image_smaller_than_kernel", (1, 8, 3, 4))]:
    ch, g = c // 2, c // 8
    x = normal((n, c, h, w))
    ins = [("x", x), ("w1", uni((ch, c), -0.3, 0.3)), ("b1", uni((ch,), -0.1, 0.1)),
           ("w2", uni((ch, 1, 7, 7), -0.2, 0.2)), ("b2", uni((ch,), -0.1, 0.1)),
           ("w3", uni((ch, ch), -0.4, 0.4)), ("b3", uni((ch,), -0.1, 0.1)),
           ("w4", uni((g * 9, ch), -0.4, 0.4)), ("b4", uni((g * 9,), -0.1, 0.1)),
           ("gn_w", uni((g * 9,), 0.5, 1.5)), ("gn_b", uni((g * 9,), -0.2, 0.2))]
    y = lkp(*[a for _, a in ins])
    add(f"lsnet_lkp_dynamic_kernel_gen_{tag}_matches_numpy", "convolution::lsnet_lkp_dynamic_kernel_gen",
        [("N", n), ("C", c), ("H", h), ("W", w)],
        [("lks", 7), ("sks", 3), ("groups", 8), ("eps", 1e-5)], ins, [("Wdyn", y)], atol=1e-5, rtol=1e-5)


def ska(x, wdyn, groups=8):
    x, wdyn = f64(x), f64(wdyn)
    n, c, h, w = x.shape
    g = c // groups
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    kern = wdyn[:, np.arange(c) % g]  # [n, c, 9, h, w]: channel c uses group c mod G
    y = np.zeros_like(x)
    for kh in range(3):
        for kw in range(3):
            y += xp[:, :, kh:kh + h, kw:kw + w] * kern[:, :, kh * 3 + kw]
    return y


for tag, (n, c, h, w) in [("c16_g2", (1, 16, 5, 4)), ("odd_batch2", (2, 24, 3, 3))]:
    x = normal((n, c, h, w))
    wd = normal((n, c // 8, 9, h, w), 0.5)
    add(f"lsnet_ska_pixelwise_aggregation_{tag}_matches_numpy", "convolution::lsnet_ska_pixelwise_aggregation",
        [("N", n), ("C", c), ("H", h), ("W", w)], [("ks", 3), ("groups", 8)], [("x", x), ("Wdyn", wd)],
        [("y", ska(x, wd))])


# ----------------------------------------------------------------------------- CNN Filter DB


def sparsity(w, eps_rel=0.01):
    w = f64(w)
    o, i = w.shape[:2]
    t = np.float32(eps_rel) * np.float32(np.abs(w).max()) if np.abs(w).max() > 0 else 1.0
    t = float(t)
    a = np.abs(w.reshape(o * i, 9))
    # keep test data unambiguous: no |w| within a relative 1e-4 of the threshold
    assert np.all(np.abs(a - t) > 1e-4 * t), "a weight sits on the threshold"
    mask = (a < t).all(axis=1).astype(np.float64)
    return np.array([mask.mean()]), mask.reshape(o, i)


for tag, (o, i, frac) in [("o16_i8", (16, 8, 0.2)), ("odd", (5, 7, 0.3)), ("all_zero", (2, 3, None))]:
    if frac is None:
        w = np.zeros((o, i, 3, 3), np.float32)
    else:
        w = RNG.normal(0, 1, size=(o, i, 3, 3))
        small = RNG.random((o, i)) < frac
        w[small] *= 1e-3
        # one nearly-sparse filter: a single tap above the threshold
        w[0, 0] = 1e-3 * w[0, 0]
        w[0, 0, 1, 1] = 0.5
        w = f32(w)
    s, m = sparsity(w)
    add(f"filter_db_sparsity_{tag}_matches_numpy", "reduction::filter_db_sparsity", [("O", o), ("I", i)],
        [("eps_rel", 0.01)], [("w", w)], [("sparsity", s), ("sparse", m)], atol=1e-7, rtol=1e-7)


def variance_entropy(w):
    x = f64(w).reshape(-1, 9)
    n = x.shape[0]
    xc = x - x.mean(axis=0)
    s = np.linalg.svd(xc, compute_uv=False)
    v = s ** 2 / (n - 1)
    if v.sum() == 0:
        ve = 0.0
    else:
        p = v / v.sum()
        p = p[p > 0]
        ve = float(-(p * np.log(p)).sum() / np.log(10.0))
    fit = 1.2618047 / (1 + np.exp(-0.88767525 * (np.log2(n) - 2.30436435))) - 0.31050834
    return np.array([ve]), np.array([ve / fit])


ve_cases = []
ve_cases.append(("random_o16_i8", normal((16, 8, 3, 3))))
a = RNG.normal(0, 1, size=(16, 8, 1, 1))
v = RNG.normal(0, 1, size=(1, 1, 3, 3))
ve_cases.append(("rank1_o16_i8", f32(a * v)))
ve_cases.append(("anisotropic_odd", f32(RNG.normal(0, 1, size=(5, 7, 3, 3)) * np.linspace(0.1, 2.0, 9).reshape(3, 3))))
for tag, w in ve_cases:
    ve, ven = variance_entropy(w)
    add(f"filter_db_variance_entropy_{tag}_matches_numpy", "reduction::filter_db_variance_entropy",
        [("O", w.shape[0]), ("I", w.shape[1])], [], [("w", w)], [("ve", ve), ("ve_norm", ven)], atol=1e-6, rtol=1e-6)


def drift(xp, xq, V, mu, r, bins):
    def coef(x):
        x = f64(x)
        m = np.abs(x).max(axis=1, keepdims=True)
        m[m == 0] = 1.0
        return (x / m - f64(mu)) @ f64(V).T  # sklearn PCA.transform without whitening

    cp, cq = coef(xp), coef(xq)
    allc = np.concatenate([cp, cq])
    lo, hi = allc.min(), allc.max()
    edges = np.linspace(lo, hi, bins + 1)
    # keep test data away from bin edges (interior edges only)
    d = np.abs(allc.ravel()[:, None] - edges[None, 1:-1]).min()
    assert d > 1e-9 * (hi - lo), "a coefficient sits on a bin edge"
    total = 0.0
    for j in range(9):
        dists = []
        for c in (cp, cq):
            h, _ = np.histogram(c[:, j], bins=bins, range=(lo, hi), density=True)
            h[h == 0] = np.finfo(np.float32).eps
            dists.append(h / h.sum())
        p, q = dists
        total += float(f64(r)[j]) * (np.sum(p * np.log(p / q)) + np.sum(q * np.log(q / p)))
    return np.array([total])


for tag, (n_p, n_q, bins, zero_filter) in [("np40_nq33", (40, 33, 70, False)), ("ten_bins_zero_filter", (30, 25, 10, True))]:
    xp = normal((n_p, 9))
    xq = uni((n_q, 9), -1.0, 1.0)
    if zero_filter:
        xq[3] = 0.0
    V = normal((9, 9), 0.33)
    mu = uni((9,), -0.1, 0.1)
    r = uni((9,), 0.02, 0.2)
    add(f"filter_db_distribution_drift_{tag}_matches_numpy", "reduction::filter_db_distribution_drift",
        [("NP", n_p), ("NQ", n_q)], [("bins", bins)],
        [("Xp", xp), ("Xq", xq), ("V", V), ("mu", mu), ("r", r)], [("D", drift(xp, xq, V, mu, r, bins))],
        atol=1e-7, rtol=1e-6)


# ----------------------------------------------------------------------------- BEVANet


def lska(x, p, k1, k2, d):
    """p: dict of f32 arrays wh1, bh1, wv1, bv1, wh2, bh2, wv2, bv2, wp, bp. x is float64."""
    c = x.shape[1]
    a = conv2d(x, p["wh1"], p["bh1"], pad=(0, k1 // 2), groups=c)
    a = conv2d(a, p["wv1"], p["bv1"], pad=(k1 // 2, 0), groups=c)
    a = conv2d(a, p["wh2"], p["bh2"], pad=(0, d * (k2 - 1) // 2), dil=(1, d), groups=c)
    a = conv2d(a, p["wv2"], p["bv2"], pad=(d * (k2 - 1) // 2, 0), dil=(d, 1), groups=c)
    return x * pw(a, p["wp"], p["bp"])


def lska_params(c, k1, k2, prefix=""):
    return [(prefix + "wh1", uni((c, 1, 1, k1), -0.6, 0.6)), (prefix + "bh1", uni((c,), -0.1, 0.1)),
            (prefix + "wv1", uni((c, 1, k1, 1), -0.6, 0.6)), (prefix + "bv1", uni((c,), -0.1, 0.1)),
            (prefix + "wh2", uni((c, 1, 1, k2), -0.4, 0.4)), (prefix + "bh2", uni((c,), -0.1, 0.1)),
            (prefix + "wv2", uni((c, 1, k2, 1), -0.4, 0.4)), (prefix + "bv2", uni((c,), -0.1, 0.1)),
            (prefix + "wp", uni((c, c), -0.4, 0.4)), (prefix + "bp", uni((c,), -0.1, 0.1))]


for tag, (n, c, h, w), (K, k1, k2, d) in [("k35", (1, 3, 9, 10), (35, 5, 11, 3)),
                                            ("k11_batch2", (2, 4, 6, 7), (11, 3, 5, 2))]:
    x = normal((n, c, h, w))
    prm = lska_params(c, k1, k2)
    y = lska(f64(x), dict(prm), k1, k2, d)
    add(f"bevanet_lska_separable_attention_{tag}_matches_numpy", "convolution::bevanet_lska_separable_attention",
        [("N", n), ("C", c), ("H", h), ("W", w)], [("K", K), ("k1", k1), ("k2", k2), ("d", d)],
        [("x", x)] + prm, [("y", y)])


def sdlska(x, p, s, k2, d):
    x = f64(x)
    n, c, h, w = x.shape
    a_s = conv2d(x, p["ws"], p["bs"], pad=(s // 2, s // 2), groups=c)
    a_h = conv2d(a_s, p["wh"], p["bh"], pad=(0, d * (k2 - 1) // 2), dil=(1, d), groups=c)
    a_v = conv2d(a_s, p["wv"], p["bv"], pad=(d * (k2 - 1) // 2, 0), dil=(d, 1), groups=c)
    S = a_s + a_h + a_v
    g = S.mean(axis=(2, 3), keepdims=True)  # [n, c, 1, 1]
    ch = p["Wr"].shape[0]
    # full 3x3 depthwise convs (pad 1) on the 1x1 map, as nn.Conv2d would run them
    z = relu(affine(conv2d(pw(g, p["Wr"], p["br"]), p["dr"], p["drb"], pad=(1, 1), groups=ch),
                    p["bnr_scale"], p["bnr_shift"]))
    ce = []
    for e in range(3):
        t = conv2d(pw(z, p["We"][e], p["be"][e]), p["de"][e][:, None], p["deb"][e], pad=(1, 1), groups=c)
        ce.append(sigmoid(relu(affine(t, p["bne_scale"][e], p["bne_shift"][e]))))
    m = np.concatenate([S.mean(axis=1, keepdims=True), S.max(axis=1, keepdims=True)], axis=1)
    q = sigmoid(conv2d(m, p["Wsq"], p["bsq"], pad=(3, 3)))
    attn = a_s * ce[0] * q[:, 0:1] + a_h * ce[1] * q[:, 1:2] + a_v * ce[2] * q[:, 2:3]
    return x * pw(attn, p["wp"], p["bp"])


for tag, (n, c, h, w), (K, s, k2, d) in [("k23", (1, 4, 6, 7), (23, 5, 7, 3)), ("k7_batch2", (2, 3, 5, 5), (7, 3, 3, 2))]:
    ch = max(c // 16, 32)
    x = normal((n, c, h, w))
    prm = [("ws", uni((c, 1, s, s), -0.3, 0.3)), ("bs", uni((c,), -0.3, 0.3)),
           ("wh", uni((c, 1, 1, k2), -0.4, 0.4)), ("bh", uni((c,), -0.3, 0.3)),
           ("wv", uni((c, 1, k2, 1), -0.4, 0.4)), ("bv", uni((c,), -0.3, 0.3)),
           ("Wr", uni((ch, c), -0.5, 0.5)), ("br", uni((ch,), -0.2, 0.2)),
           ("dr", uni((ch, 1, 3, 3), -1.0, 1.0)), ("drb", uni((ch,), -0.2, 0.2)),
           ("bnr_scale", uni((ch,), 0.5, 1.5)), ("bnr_shift", uni((ch,), -0.3, 0.5)),
           ("We", uni((3, c, ch), -0.3, 0.3)), ("be", uni((3, c), -0.2, 0.2)),
           ("de", uni((3, c, 3, 3), -1.0, 1.0)), ("deb", uni((3, c), -0.2, 0.2)),
           ("bne_scale", uni((3, c), 0.5, 1.5)), ("bne_shift", uni((3, c), -0.3, 0.5)),
           ("Wsq", uni((3, 2, 7, 7), -0.3, 0.3)), ("bsq", uni((3,), -0.1, 0.1)),
           ("wp", uni((c, c), -0.5, 0.5)), ("bp", uni((c,), -0.1, 0.1))]
    y = sdlska(x, dict(prm), s, k2, d)
    add(f"bevanet_sdlska_kernel_selection_{tag}_matches_numpy", "gating_fusion::bevanet_sdlska_kernel_selection",
        [("N", n), ("C", c), ("H", h), ("W", w)], [("K", K), ("s", s), ("k2", k2), ("d", d)],
        [("x", x)] + prm, [("y", y)])



def avgpool(x, k, s, pad):
    """AvgPool2d(k, stride s, padding pad), count_include_pad=True."""
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    ho, wo = (h + 2 * pad - k) // s + 1, (w + 2 * pad - k) // s + 1
    out = np.zeros((n, c, ho, wo))
    for u in range(k):
        for v in range(k):
            out += xp[:, :, u:u + s * (ho - 1) + 1:s, v:v + s * (wo - 1) + 1:s]
    return out / (k * k)


def adaptive_avg(x, oh, ow):
    n, c, h, w = x.shape
    out = np.zeros((n, c, oh, ow))
    for i in range(oh):
        r0, r1 = (i * h) // oh, -((-(i + 1) * h) // oh)
        for j in range(ow):
            c0, c1 = (j * w) // ow, -((-(j + 1) * w) // ow)
            out[:, :, i, j] = x[:, :, r0:r1, c0:c1].mean(axis=(2, 3))
    return out


def interp_matrix(n_in, n_out):
    """Rows: output positions; PyTorch bilinear, align_corners=False."""
    m = np.zeros((n_out, n_in))
    for o in range(n_out):
        src = max((o + 0.5) * n_in / n_out - 0.5, 0.0)
        i0 = min(int(math.floor(src)), n_in - 1)
        i1 = min(i0 + 1, n_in - 1)
        lam = src - i0
        m[o, i0] += 1 - lam
        m[o, i1] += lam
    return m


def upsample(t, h, w):
    return np.einsum("hi,ncij,wj->nchw", interp_matrix(t.shape[2], h), t, interp_matrix(t.shape[3], w))


def dlkppm(x, p):
    x = f64(x)
    n, cin, h, w = x.shape
    cb = p["pw_w"].shape[1]

    def P(t, k):
        return pw(relu(affine(t, p["bn_scale"][k], p["bn_shift"][k])), p["pw_w"][k])

    def proc(t, i):
        dil = 2 if i < 2 else 1
        return conv2d(relu(affine(t, p["proc_scale"][i], p["proc_shift"][i])), p["proc_w"][i], pad=(dil, dil), dil=(dil, dil))

    s0 = P(x, 0)
    t = affine(s0, p["bnl_scale"], p["bnl_shift"])
    lp = dict(p, wp=p["lp_w"], bp=p["lp_b"])  # the LSKA's own 1x1 conv
    lsk = lska(gelu(pw(t, p["sa_w1"], p["sa_b1"])), lp, 5, 11, 3)
    sa = pw(lsk, p["sa_w2"], p["sa_b2"]) + t
    sl = s0 + f64(p["ls"])[None, :, None, None] * sa
    x1 = proc(upsample(P(avgpool(x, 5, 2, 2), 1), h, w) + s0, 0)
    x2 = proc(upsample(P(avgpool(x, 9, 4, 4), 2), h, w) + x1, 1)
    x3 = proc(sl + x2, 2)
    x4 = proc(upsample(P(adaptive_avg(x, 2, 2), 3), h, w) + x3, 3)
    x5 = proc(upsample(P(adaptive_avg(x, 1, 1), 4), h, w) + x4, 4)
    cat = np.concatenate([s0, x1, x2, x3, x4, x5], axis=1)
    return pw(relu(affine(cat, p["comp_scale"], p["comp_shift"])), p["comp_w"]) + \
        pw(relu(affine(x, p["sc_scale"], p["sc_shift"])), p["sc_w"])


for tag, (n, cin, cb, cout, h, w) in [("odd_9x7", (1, 8, 4, 6, 9, 7)), ("batch2_6x10", (2, 6, 3, 4, 6, 10))]:
    x = normal((n, cin, h, w))
    prm = [("bn_scale", uni((5, cin), 0.5, 1.5)), ("bn_shift", uni((5, cin), -0.2, 0.2)),
           ("pw_w", uni((5, cb, cin), -0.4, 0.4)),
           ("bnl_scale", uni((cb,), 0.5, 1.5)), ("bnl_shift", uni((cb,), -0.2, 0.2)),
           ("sa_w1", uni((cb, cb), -0.5, 0.5)), ("sa_b1", uni((cb,), -0.1, 0.1))]
    lp = lska_params(cb, 5, 11)
    prm += lp[:8] + [("lp_w", lp[8][1]), ("lp_b", lp[9][1])]
    prm += [("sa_w2", uni((cb, cb), -0.5, 0.5)), ("sa_b2", uni((cb,), -0.1, 0.1)), ("ls", uni((cb,), 0.1, 0.5)),
            ("proc_scale", uni((5, cb), 0.5, 1.5)), ("proc_shift", uni((5, cb), -0.2, 0.2)),
            ("proc_w", uni((5, cb, cb, 3, 3), -0.3, 0.3)),
            ("comp_scale", uni((6 * cb,), 0.5, 1.5)), ("comp_shift", uni((6 * cb,), -0.2, 0.2)),
            ("comp_w", uni((cout, 6 * cb), -0.3, 0.3)),
            ("sc_scale", uni((cin,), 0.5, 1.5)), ("sc_shift", uni((cin,), -0.2, 0.2)),
            ("sc_w", uni((cout, cin), -0.3, 0.3))]
    y = dlkppm(x, dict(prm))
    add(f"bevanet_dlkppm_pyramid_pooling_{tag}_matches_numpy", "pooling::bevanet_dlkppm_pyramid_pooling",
        [("N", n), ("Cin", cin), ("Cb", cb), ("Cout", cout), ("H", h), ("W", w)],
        [("K", 35), ("k1", 5), ("k2", 11), ("d", 3)], [("x", x)] + prm, [("y", y)])


from rustlit import emit  # noqa: E402  (shared literal emitter; this folder is on sys.path)

if __name__ == "__main__":
    assert len({c[0] for c in CASES}) == len(CASES), "duplicate test names"
    emit(CASES, OUT, "gen_lsnet_filterdb_bevanet.py", "oracle_lsnet_filterdb_bevanet.rs")
