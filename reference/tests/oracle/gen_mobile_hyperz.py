#!/usr/bin/env python3
"""Generate reference/tests/fixtures_mobile_hyperz.rs: numpy cases for the MobileMamba,
UniRepLKNet, HyperZ·Z·W and standard-block operators of the `mobile_hyperz` group:
mobilemamba_haar_wavelet_dwconv, mobilemamba_ss2d_bidirectional_scan,
mobilemamba_mrffi_local_identity_fuse, unireplknet_dilated_reparam_dwconv,
hyperzzw_magnet_hyperkernel, hyperzzw_global_product, hyperzzw_local_context_conv,
std_batchnorm_fold, std_squeeze_excitation.

Regenerate (from the repository root):
    .venv/bin/python reference/tests/oracle/gen_mobile_hyperz.py

Byte-for-byte reproducible: fixed seed, no timestamps. Expected outputs are computed in float64
numpy from the operator catalogue's formulas, written independently of the Rust references and
deliberately in a different form where one exists: the Haar transform as a 2x2 filter bank
(outer products of [1,1] and [1,-1]), convolutions through sliding-window views + einsum, the
Dilated Reparam Block in its merged deploy form (one 13x13 kernel built by dilating and
zero-padding the branch kernels), BatchNorm in its unfolded form, the SS2D scan vectorised over
channels and states with np.flip for the reversed direction. Inputs are float32 values printed
exactly; outputs are rounded to 9 significant digits.
"""

import math
import os

import numpy as np

RNG = np.random.default_rng(20251126)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures_mobile_hyperz.rs")

CASES = []  # (test_name, const_name, op_path, dims, attrs, inputs, outputs, atol, rtol)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def normal(*shape, mean=0.0, scale=1.0):
    return f32(RNG.normal(mean, scale, size=shape))


def uniform(lo, hi, *shape):
    return f32(RNG.uniform(lo, hi, size=shape))


def f64(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def add(test_name, op, dims, attrs, inputs, outputs, atol=1e-6, rtol=1e-6):
    const = test_name.upper()
    if const.endswith("_MATCHES_NUMPY"):
        const = const[: -len("_MATCHES_NUMPY")]
    for name, arr in inputs:
        assert arr.dtype == np.float32, name
        assert arr.size <= 400, (test_name, name, arr.size)
    CASES.append((test_name, const, op, dims, attrs, inputs, outputs, atol, rtol))


# ----------------------------------------------------------------------------- numpy helpers


def dwconv2d(x, w, dilation=1, pad=None):
    """Depthwise cross-correlation, stride 1, zero padding. x [..., C, H, W], w [C, k, k]."""
    k = w.shape[-1]
    if pad is None:
        pad = dilation * (k - 1) // 2
    H, W = x.shape[-2:]
    xp = np.pad(x, [(0, 0)] * (x.ndim - 2) + [(pad, pad), (pad, pad)])
    ext = dilation * (k - 1) + 1
    win = np.lib.stride_tricks.sliding_window_view(xp, (ext, ext), axis=(-2, -1))[..., ::dilation, ::dilation]
    win = win[..., :H, :W, :, :]
    return np.einsum("...chwuv,cuv->...chw", win, w)


def gelu(z):
    return 0.5 * z * (1.0 + np.vectorize(math.erf)(z / math.sqrt(2.0)))


def softplus(t):
    return np.where(t > 20.0, t, np.log1p(np.exp(np.minimum(t, 20.0))))


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# ----------------------------------------------------------------------------- Haar wavelet dwconv

LO, HI = np.array([1.0, 1.0]), np.array([1.0, -1.0])
# band q filter f_q[di, dj] = r[di] * c[dj] / 2 ; (r, c) = (lo,lo), (hi,lo), (lo,hi), (hi,hi)
HAAR = np.stack([np.outer(r, c) / 2.0 for r, c in [(LO, LO), (HI, LO), (LO, HI), (HI, HI)]])


def haar_dwconv(x, g, w_wt, s_wt, s_base, k):
    B, C, H, W = x.shape
    Hh, Wh = (H + 1) // 2, (W + 1) // 2
    xp = np.zeros((B, C, 2 * Hh, 2 * Wh))
    xp[:, :, :H, :W] = x
    blocks = xp.reshape(B, C, Hh, 2, Wh, 2)                       # [b, c, i, di, j, dj]
    S = np.einsum("bcidje,qde->bcqij", blocks, HAAR).reshape(B, 4 * C, Hh, Wh)
    T = dwconv2d(S, w_wt[:, 0]) * s_wt[None, :, None, None]
    T = T.reshape(B, C, 4, Hh, Wh)
    Z = np.einsum("bcqij,qde->bcidje", T, HAAR).reshape(B, C, 2 * Hh, 2 * Wh)[:, :, :H, :W]
    return s_base[None, :, None, None] * g + Z


def haar_case(tag, B, C, H, W, k, identity=False):
    x = normal(B, C, H, W)
    if identity:
        g = f32(np.zeros((B, C, H, W)))
        w = np.zeros((4 * C, 1, k, k), dtype=np.float32)
        w[:, 0, k // 2, k // 2] = 1.0
        s_wt, s_base = f32(np.ones(4 * C)), uniform(0.5, 1.5, C)
    else:
        g = normal(B, C, H, W)
        w, s_wt, s_base = uniform(-0.3, 0.3, 4 * C, 1, k, k), uniform(0.05, 0.5, 4 * C), uniform(0.5, 1.5, C)
    y = haar_dwconv(f64(x), f64(g), f64(w), f64(s_wt), f64(s_base), k)
    if identity:
        assert np.allclose(y, f64(x), atol=1e-12)
        y = f64(x)  # the transform pair is exact: y must equal x
    add(f"mobilemamba_haar_wavelet_dwconv_{tag}_matches_numpy", "fft_spectral::mobilemamba_haar_wavelet_dwconv",
        [("B", B), ("C", C), ("H", H), ("W", W)], [("k", k)],
        [("x", x), ("g", g), ("w_wt", w), ("s_wt", s_wt), ("s_base", s_base)], [("y", y)], atol=1e-6, rtol=1e-5)


haar_case("even", 1, 2, 8, 6, 5)
haar_case("odd", 2, 1, 5, 7, 3)
haar_case("identity", 1, 2, 6, 8, 5, identity=True)


# ----------------------------------------------------------------------------- SS2D bidirectional scan


def ss2d(x, Wx, Wdt, bdt, A_logs, Ds, ln_w, ln_b, N, R):
    B, D, H, W = x.shape
    L = H * W
    xf = x.reshape(B, D, L)
    merged = np.zeros((B, D, L))
    for k in range(2):
        xs = xf if k == 0 else np.flip(xf, axis=-1)
        xd = np.einsum("cd,bdl->bcl", Wx[k], xs)
        dts, Bm, Cm = xd[:, :R], xd[:, R:R + N], xd[:, R + N:]
        dt = softplus(np.einsum("dr,brl->bdl", Wdt[k], dts) + bdt[k][None, :, None])
        A = -np.exp(A_logs[k * D:(k + 1) * D])                    # [D, N]
        h = np.zeros((B, D, N))
        ys = np.zeros((B, D, L))
        for l in range(L):
            dA = np.exp(dt[:, :, l, None] * A[None])              # [B, D, N]
            h = dA * h + dt[:, :, l, None] * Bm[:, None, :, l] * xs[:, :, l, None]
            ys[:, :, l] = np.einsum("bdn,bn->bd", h, Cm[:, :, l]) + Ds[k * D:(k + 1) * D] * xs[:, :, l]
        merged += ys if k == 0 else np.flip(ys, axis=-1)
    mu = merged.mean(axis=1, keepdims=True)
    var = ((merged - mu) ** 2).mean(axis=1, keepdims=True)
    y = (merged - mu) / np.sqrt(var + 1e-5) * ln_w[None, :, None] + ln_b[None, :, None]
    return y.reshape(B, D, H, W)


def ss2d_case(tag, B, D, H, W, N, R, big_bias=False):
    x = normal(B, D, H, W, mean=0.1)
    Wx = uniform(-0.4, 0.4, 2, R + 2 * N, D)
    Wdt = uniform(0.0, 0.5, 2, D, R)
    bdt = uniform(-1.0, 0.5, 2, D)
    if big_bias:
        bdt[1, 0] = 25.0  # softplus threshold branch (dt = t for t > 20) with a fast-decaying state
    A_logs = uniform(-0.5, 1.0, 2 * D, N)
    Ds = uniform(0.5, 1.5, 2 * D)
    ln_w, ln_b = uniform(0.5, 1.5, D), uniform(-0.1, 0.1, D)
    y = ss2d(f64(x), f64(Wx), f64(Wdt), f64(bdt), f64(A_logs), f64(Ds), f64(ln_w), f64(ln_b), N, R)
    add(f"mobilemamba_ss2d_bidirectional_scan_{tag}_matches_numpy", "scan_recurrence::mobilemamba_ss2d_bidirectional_scan",
        [("B", B), ("D", D), ("H", H), ("W", W), ("N", N), ("R", R)], [],
        [("x", x), ("Wx", Wx), ("Wdt", Wdt), ("bdt", bdt), ("A_logs", A_logs), ("Ds", Ds), ("ln_w", ln_w), ("ln_b", ln_b)],
        [("y", y)], atol=1e-6, rtol=1e-5)


ss2d_case("single_state", 1, 4, 3, 4, 1, 1)
ss2d_case("multi_state", 2, 5, 2, 3, 2, 2, big_bias=True)


# ----------------------------------------------------------------------------- MRFFI local + identity + projection


def mrffi_case(tag, B, C, Cg, Cl, H, W, k):
    x, g = normal(B, C, H, W), normal(B, Cg, H, W)
    w_l, b_l = uniform(-0.4, 0.4, Cl, 1, k, k), uniform(-0.1, 0.1, Cl)
    s_l, t_l = uniform(0.5, 1.5, Cl), uniform(-0.2, 0.2, Cl)
    w_p, b_p = uniform(-0.3, 0.3, C, C), uniform(-0.1, 0.1, C)
    xd = f64(x)
    conv = dwconv2d(xd[:, Cg:Cg + Cl], f64(w_l)[:, 0]) + f64(b_l)[None, :, None, None]
    loc = f64(s_l)[None, :, None, None] * np.maximum(conv, 0.0) + f64(t_l)[None, :, None, None]
    cat = np.concatenate([f64(g), loc, xd[:, Cg + Cl:]], axis=1)
    y = np.einsum("oc,bchw->bohw", f64(w_p), np.maximum(cat, 0.0)) + f64(b_p)[None, :, None, None]
    add(f"mobilemamba_mrffi_local_identity_fuse_{tag}_matches_numpy", "convolution::mobilemamba_mrffi_local_identity_fuse",
        [("B", B), ("C", C), ("Cg", Cg), ("Cl", Cl), ("H", H), ("W", W)], [("k", k)],
        [("x", x), ("g", g), ("w_l", w_l), ("b_l", b_l), ("s_l", s_l), ("t_l", t_l), ("w_p", w_p), ("b_p", b_p)],
        [("y", y)], atol=1e-6, rtol=1e-5)


mrffi_case("with_identity", 1, 12, 4, 5, 5, 4, 3)
mrffi_case("no_identity_k5", 2, 6, 2, 4, 3, 3, 5)


# ----------------------------------------------------------------------------- Dilated Reparam Block (merged form)

BRANCHES = [(13, 1), (5, 1), (7, 2), (3, 3), (3, 4), (3, 5)]


def dilated_reparam_merged(x, ws, s, t):
    """Deploy form: one 13x13 depthwise kernel (branch kernels dilated, centred), bias = sum t."""
    C = x.shape[1]
    Wm = np.zeros((C, 13, 13))
    for br, (k, r) in enumerate(BRANCHES):
        ext = r * (k - 1) + 1
        dil = np.zeros((C, ext, ext))
        dil[:, ::r, ::r] = ws[br][:, 0] * s[br][:, None, None]
        off = (13 - ext) // 2
        Wm[:, off:off + ext, off:off + ext] += dil
    return dwconv2d(x, Wm) + t.sum(axis=0)[None, :, None, None]


def reparam_case(tag, N, C, H, W):
    x = normal(N, C, H, W)
    ws = [uniform(-0.3, 0.3, C, 1, k, k) for k, _ in BRANCHES]
    s, t = uniform(0.5, 1.5, 6, C), uniform(-0.1, 0.1, 6, C)
    y = dilated_reparam_merged(f64(x), [f64(w) for w in ws], f64(s), f64(t))
    add(f"unireplknet_dilated_reparam_dwconv_{tag}_matches_numpy", "convolution::unireplknet_dilated_reparam_dwconv",
        [("N", N), ("C", C), ("H", H), ("W", W)], [("K", 13)],
        [("x", x)] + [(f"w{i}", w) for i, w in enumerate(ws)] + [("s", s), ("t", t)], [("y", y)], atol=1e-6, rtol=1e-5)


reparam_case("square", 1, 2, 9, 9)
reparam_case("narrow", 1, 1, 15, 6)


# ----------------------------------------------------------------------------- MAGNet global hyper-kernel


def magnet(Wf, bf, Wl, bl, Wo, bo, bias_p, K, L):
    lin = np.linspace(-1.0, 1.0, K)
    g0, g1 = np.meshgrid(lin, lin, indexing="ij")
    grid = np.stack([g0, g1])                                     # [2, K, K]
    filt = np.sin(np.einsum("fhe,eij->fhij", Wf, grid) + bf[:, :, None, None])
    out = filt[0]
    for l in range(L):
        out = filt[l + 1] * (np.einsum("hg,gij->hij", Wl[l], out) + bl[l][:, None, None]) + bias_p[None]
    return np.einsum("ch,hij->cij", Wo, out) + bo[:, None, None]


def magnet_case(tag, C, Hd, K, L):
    Wf, bf = uniform(-3.0, 3.0, L + 1, Hd, 2), uniform(-1.5, 1.5, L + 1, Hd)
    Wl, bl = uniform(-0.5, 0.5, L, Hd, Hd), uniform(-0.1, 0.1, L, Hd)
    Wo, bo = uniform(-0.5, 0.5, C, Hd), uniform(-0.1, 0.1, C)
    bias_p = uniform(-0.1, 0.1, K, K)
    Hk = magnet(*(f64(a) for a in (Wf, bf, Wl, bl, Wo, bo, bias_p)), K, L)
    add(f"hyperzzw_magnet_hyperkernel_{tag}_matches_numpy", "kernel_methods::hyperzzw_magnet_hyperkernel",
        [("C", C), ("Hd", Hd), ("K", K), ("L", L)], [],
        [("Wf", Wf), ("bf", bf), ("Wl", Wl), ("bl", bl), ("Wo", Wo), ("bo", bo), ("bias_p", bias_p)],
        [("Hk", Hk)], atol=1e-6, rtol=1e-5)


magnet_case("two_layers", 3, 4, 5, 2)
magnet_case("grid2_one_layer", 2, 3, 2, 1)


# ----------------------------------------------------------------------------- HyperZ·Z·W global product


def global_case(tag, B, C, S):
    x, V, Hk = normal(B, C, S, S), normal(B, C, S, S), uniform(-1.0, 1.0, C, S, S)
    Y = (f64(x) * f64(Hk)[None]) @ f64(V)
    add(f"hyperzzw_global_product_{tag}_matches_numpy", "matmul::hyperzzw_global_product",
        [("B", B), ("C", C), ("S", S)], [], [("x", x), ("V", V), ("Hk", Hk)], [("Y", Y)], atol=1e-6, rtol=1e-5)


global_case("small", 1, 2, 5)
global_case("batch", 2, 1, 3)


# ----------------------------------------------------------------------------- HyperZ·Z·W local context conv


def local_case(tag, B, C, H, W, K):
    x, Hk = normal(B, C, H, W), uniform(-0.3, 0.3, C, K, K)
    Wm, bm, fb = uniform(-0.5, 0.5, C, C), uniform(-0.1, 0.1, C), uniform(-0.1, 0.1, 1)
    t = dwconv2d(f64(x), f64(Hk))
    u = np.einsum("oc,bchw->bohw", f64(Wm), t) + f64(bm)[None, :, None, None]
    mu = u.mean(axis=(0, 2, 3), keepdims=True)
    var = u.var(axis=(0, 2, 3), keepdims=True)
    y = gelu((u - mu) / np.sqrt(var + 1e-5)) + f64(fb)[0]
    add(f"hyperzzw_local_context_conv_{tag}_matches_numpy", "convolution::hyperzzw_local_context_conv",
        [("B", B), ("C", C), ("H", H), ("W", W), ("K", K)], [],
        [("x", x), ("Hk", Hk), ("Wm", Wm), ("bm", bm), ("fast_bias", fb)], [("y", y)], atol=1e-6, rtol=1e-5)


local_case("k3", 2, 3, 5, 4, 3)
local_case("k5_single_image", 1, 2, 6, 7, 5)


# ----------------------------------------------------------------------------- standard blocks


def bn_case(tag, B, C, H, W, eps):
    x = normal(B, C, H, W, mean=0.3, scale=1.5)
    gamma, beta = uniform(0.5, 1.5, C), uniform(-0.5, 0.5, C)
    mean, var = uniform(-0.5, 0.5, C), uniform(0.2, 2.0, C)
    bc = lambda a: f64(a)[None, :, None, None]  # noqa: E731
    y = bc(gamma) * (f64(x) - bc(mean)) / np.sqrt(bc(var) + eps) + bc(beta)
    add(f"std_batchnorm_fold_{tag}_matches_numpy", "normalization::std_batchnorm_fold",
        [("B", B), ("C", C), ("H", H), ("W", W)], [("eps", eps)],
        [("x", x), ("gamma", gamma), ("beta", beta), ("mean", mean), ("var", var)], [("y", y)], atol=1e-7, rtol=1e-6)


bn_case("default_eps", 2, 3, 4, 5, 1e-5)
bn_case("yolo_eps", 1, 4, 3, 3, 1e-3)


def se_case(tag, B, C, Cr, H, W):
    x = normal(B, C, H, W, mean=0.25)
    w1, b1 = uniform(-0.5, 0.5, Cr, C), uniform(-0.1, 0.1, Cr)
    w2, b2 = uniform(-0.5, 0.5, C, Cr), uniform(-0.1, 0.1, C)
    p = f64(x).mean(axis=(2, 3))
    q = np.maximum(p @ f64(w1).T + f64(b1), 0.0)
    a = sigmoid(q @ f64(w2).T + f64(b2))
    y = f64(x) * a[:, :, None, None]
    add(f"std_squeeze_excitation_{tag}_matches_numpy", "gating_fusion::std_squeeze_excitation",
        [("B", B), ("C", C), ("Cr", Cr), ("H", H), ("W", W)], [],
        [("x", x), ("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2)], [("y", y)], atol=1e-7, rtol=1e-6)


se_case("even", 2, 8, 2, 4, 4)
se_case("odd_bottleneck", 1, 7, 3, 5, 3)


from rustlit import emit  # noqa: E402  (shared literal emitter; this folder is on sys.path)

if __name__ == "__main__":
    assert len({c[0] for c in CASES}) == len(CASES), "duplicate test names"
    emit(CASES, OUT, "gen_mobile_hyperz.py", "oracle_mobile_hyperz.rs")
