#!/usr/bin/env python3
"""Generate reference/tests/fixtures_yolo_longconv.rs: numpy cases for the YOLOv13 hypergraph,
long-convolution, SGConv, block-FFT and fused-conv operators:
yolov13_adaptive_hyperedge_generation, yolov13_hypergraph_conv_v2e2v, longconv_kernel_squash,
longconv_fft_causal_conv, monarch_block_fft, sgconv_structured_global_conv, dsconv_dw_pw_bn_act,
gated_short_conv1d, parallel_residual_branch_sum.

Regenerate (from the repository root):
    .venv/bin/python reference/tests/oracle/gen_yolo_longconv.py

Byte-for-byte reproducible: fixed seed, no timestamps. Expected outputs are computed in float64
numpy directly from the catalogue formulas, written independently of the Rust references:
vectorised einsum / reshape formulations, np.convolve for the causal long convolution, the
official irfft(rfft(pad_right(k0) + pad_left(flip(k1)), 2L) * rfft(u, 2L)) form for SGConv,
np.interp for the linear upsampling, a batched reshape recursion for the block FFT (checked
against np.fft.fft with exact DFT blocks), zero-padded slicing for the convolutions.
"""

import math
import os

import numpy as np

RNG = np.random.default_rng(20251125)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures_yolo_longconv.rs")

# Both sides are f64 computations of the same f32 inputs; they differ by the f32 rounding of the
# Rust output (~6e-8 relative) and summation order.
ATOL, RTOL = 1e-6, 1e-6

CASES = []  # (test_name, const_name, op_path, dims, attrs, inputs, outputs, atol, rtol)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def normal(*shape, scale=1.0):
    return f32(RNG.normal(0.0, scale, size=shape))


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


_erf = np.vectorize(math.erf)


def gelu(t):
    return 0.5 * t * (1.0 + _erf(t / math.sqrt(2.0)))


def hardswish(a):
    return a * np.clip(a + 3.0, 0.0, 6.0) / 6.0


# ----------------------------------------------------------------------------- YOLOv13 hypergraph


def hyperedge_gen(X, P0, Wc, bc, Wp, bp, dh):
    B, Nv, D = X.shape
    M = P0.shape[0]
    nh = D // dh
    ctx = np.concatenate([X.mean(axis=1), X.max(axis=1)], axis=-1)           # [B, 2D]
    P = P0[None] + (ctx @ Wc.T + bc).reshape(B, M, D)                        # [B, M, D]
    Xp = X @ Wp.T + bp                                                       # [B, Nv, D]
    Xh = Xp.reshape(B, Nv, nh, dh)
    Ph = P.reshape(B, M, nh, dh)
    logits = np.einsum("bvhe,bmhe->bhvm", Xh, Ph) / math.sqrt(dh)            # per head
    logits = logits.mean(axis=1)                                              # [B, Nv, M]
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)                                   # softmax over vertices


for tag, (B, Nv, D, M, dh) in [("two_heads", (1, 12, 8, 3, 4)), ("odd_batch2", (2, 5, 6, 2, 3)),
                               ("one_head", (1, 9, 4, 2, 4))]:
    X = normal(B, Nv, D)
    P0 = normal(M, D, scale=0.5)
    Wc = normal(M * D, 2 * D, scale=0.4)
    bc = normal(M * D, scale=0.2)
    Wp = normal(D, D, scale=0.5)
    bp = normal(D, scale=0.2)
    A = hyperedge_gen(*(f64(t) for t in (X, P0, Wc, bc, Wp, bp)), dh)
    add(f"yolov13_adaptive_hyperedge_generation_{tag}_matches_numpy",
        "attention::yolov13_adaptive_hyperedge_generation",
        [("B", B), ("Nv", Nv), ("D", D), ("M", M)], [("dh", dh), ("nh", D // dh)],
        [("X", X), ("P0", P0), ("Wc", Wc), ("bc", bc), ("Wp", Wp), ("bp", bp)], [("A", A)],
        atol=1e-7, rtol=1e-6)


def hypergraph_conv(X, A, We, be, Wn, bn):
    E = np.einsum("bvm,bvf->bmf", A, X)
    He = gelu(E @ We.T + be)
    G = np.einsum("bvm,bmf->bvf", A, He)
    return gelu(G @ Wn.T + bn) + X


for tag, (B, Nv, D, M) in [("small", (1, 10, 8, 3)), ("odd_batch2", (2, 5, 6, 2))]:
    X = normal(B, Nv, D)
    A = uniform(0.0, 0.5, B, Nv, M)
    We, Wn = normal(D, D, scale=0.5), normal(D, D, scale=0.5)
    be, bn = normal(D, scale=0.3), normal(D, scale=0.3)
    Y = hypergraph_conv(*(f64(t) for t in (X, A, We, be, Wn, bn)))
    add(f"yolov13_hypergraph_conv_v2e2v_{tag}_matches_numpy", "matmul::yolov13_hypergraph_conv_v2e2v",
        [("B", B), ("Nv", Nv), ("D", D), ("M", M)], [],
        [("X", X), ("A", A), ("We", We), ("be", be), ("Wn", Wn), ("bn", bn)], [("Y", Y)])

# ----------------------------------------------------------------------------- long convolutions


def squash(k, lam, smooth, w):
    if smooth:
        half = w // 2
        padded = np.pad(k, [(0, 0)] * (k.ndim - 1) + [(half, half)])
        windows = np.lib.stride_tricks.sliding_window_view(padded, w, axis=-1)
        s = windows.sum(axis=-1) / w                                          # count_include_pad
    else:
        s = k
    return np.sign(s) * np.maximum(np.abs(s) - lam, 0.0)


for tag, (C, H, Lk, lam, smooth, w) in [("smooth7", (2, 3, 20, 0.003, 1, 7)),
                                        ("no_smooth", (1, 2, 16, 0.003, 0, 7)),
                                        ("smooth3_lam001", (1, 2, 11, 0.001, 1, 3)),
                                        ("short_kernel", (1, 1, 4, 0.003, 1, 7))]:
    k = normal(C, H, Lk, scale=0.01)
    add(f"longconv_kernel_squash_{tag}_matches_numpy", "activation::longconv_kernel_squash",
        [("C", C), ("H", H), ("Lk", Lk)], [("lam", float(lam)), ("smooth", smooth), ("window", w)],
        [("k", k)], [("k_out", squash(f64(k), lam, smooth, w))], atol=1e-9, rtol=1e-6)


def longconv(u, k, D):
    B, H, L = u.shape
    C = k.shape[0]
    y = np.zeros((B, C * H, L))
    for b in range(B):
        for c in range(C):
            for h in range(H):
                y[b, c * H + h] = np.convolve(u[b, h], k[c, h])[:L] + D[c, h] * u[b, h]
    return y


for tag, (B, C, H, L) in [("small", (1, 2, 2, 16)), ("odd_length", (2, 1, 3, 9)), ("length1", (1, 2, 1, 1))]:
    u, k, D = normal(B, H, L), normal(C, H, L, scale=0.3), normal(C, H)
    add(f"longconv_fft_causal_conv_{tag}_matches_numpy", "fft_spectral::longconv_fft_causal_conv",
        [("B", B), ("C", C), ("H", H), ("L", L)], [], [("u", u), ("k", k), ("Dskip", D)],
        [("y", longconv(f64(u), f64(k), f64(D)))])


def block_fft(x, mats):
    """BF over the last axis of x [R, N] (complex), batched: reshape recursion."""
    R, N = x.shape
    if N <= 16:
        return x @ mats[N].T
    n = N // 16
    A = x.reshape(R, 16, n)                                                   # A[r, a, b] = x[r, a*n + b]
    Y = np.einsum("pa,rab->rpb", mats[16], A)
    p, b = np.arange(16)[:, None], np.arange(n)[None, :]
    Y = Y * np.exp(-2j * np.pi * p * b / N)
    Z = block_fft(Y.reshape(R * 16, n), mats).reshape(R, 16, n)               # Z[r, p, q]
    return Z.transpose(0, 2, 1).reshape(R, N)                                 # X[q*16 + p] = Z[p, q]


def dft(n):
    r = np.arange(n)
    return np.exp(-2j * np.pi * np.outer(r, r) / n)


# the oracle itself: with exact DFT blocks the block FFT is the FFT
_x = RNG.normal(size=(3, 2048)) + 1j * RNG.normal(size=(3, 2048))
assert np.allclose(block_fft(_x, {n: dft(n) for n in (2, 4, 8, 16)}), np.fft.fft(_x, axis=-1), atol=1e-9)

for tag, (R, N, exact) in [("n32_leaf_m2", (2, 32, False)), ("n64_leaf_m4", (1, 64, False)),
                           ("n128_leaf_m8", (1, 128, False)), ("n8_direct", (2, 8, False)),
                           ("n256_two_levels", (1, 256, False)), ("n64_dft_blocks", (1, 64, True))]:
    xr, xi = normal(R, N), normal(R, N)
    mats_in = []
    mats = {}
    for n in (2, 4, 8, 16):
        if exact:
            mr, mi = f32(dft(n).real), f32(dft(n).imag)
        else:
            mr, mi = uniform(-1.0, 1.0, n, n), uniform(-1.0, 1.0, n, n)
        mats_in += [(f"M{n}r", mr), (f"M{n}i", mi)]
        mats[n] = f64(mr) + 1j * f64(mi)
    X = block_fft(f64(xr) + 1j * f64(xi), mats)
    if exact:
        assert np.allclose(X, np.fft.fft(f64(xr) + 1j * f64(xi), axis=-1), atol=1e-4)
    add(f"monarch_block_fft_{tag}_matches_numpy", "fft_spectral::monarch_block_fft", [("R", R), ("N", N)], [],
        [("xr", xr), ("xi", xi)] + mats_in, [("Xr", X.real), ("Xi", X.imag)], atol=1e-5)


def sgconv(u, K, mult, D):
    B, H, L = u.shape
    S, C2, _, Kd = K.shape
    C = C2 // 2
    parts = []
    for i in range(S):
        f = 2 ** max(0, i - 1)
        src = np.maximum((np.arange(Kd * f) + 0.5) / f - 0.5, 0.0)
        up = np.apply_along_axis(lambda row: np.interp(src, np.arange(Kd), row), -1, K[i])  # [2C, H, Kd*f]
        parts.append(up * (mult[None, :, None] ** (S - 1 - i)))
    k = np.concatenate(parts, axis=-1)
    knorm = np.linalg.norm(k, axis=-1, keepdims=True)
    k = k[..., :L] if k.shape[-1] >= L else np.pad(k, [(0, 0), (0, 0), (0, L - k.shape[-1])])
    k = k / knorm
    k0, k1 = k[:C], k[C:]
    kk = np.pad(k0, [(0, 0), (0, 0), (0, L)]) + np.pad(k1[..., ::-1], [(0, 0), (0, 0), (L, 0)])
    y = np.fft.irfft(np.fft.rfft(u, n=2 * L)[:, None] * np.fft.rfft(kk, n=2 * L)[None], n=2 * L)[..., :L]
    y = y + u[:, None] * D[None, :, :, None]                                 # [B, C, H, L]
    return y.reshape(B, C * H, L)


for tag, (B, C, H, L, Kd, S) in [("exact_length", (1, 1, 2, 32, 4, 4)), ("padded", (2, 2, 2, 20, 4, 3)),
                                 ("cut_odd_kd", (1, 1, 3, 25, 3, 5))]:
    u = normal(B, H, L)
    K = normal(S, 2 * C, H, Kd)
    mult = uniform(1.5, 2.5, H)
    D = normal(C, H)
    add(f"sgconv_structured_global_conv_{tag}_matches_numpy", "fft_spectral::sgconv_structured_global_conv",
        [("B", B), ("C", C), ("H", H), ("L", L), ("Kd", Kd), ("S", S)], [],
        [("u", u), ("K", K), ("mult", mult), ("Dskip", D)], [("y", sgconv(f64(u), f64(K), f64(mult), f64(D)))])

# ----------------------------------------------------------------------------- fused convolutions


def dsconv(x, w_dw, s_dw, t_dw, w_pw, s, t, k, st, dl):
    B, Cin, H, W = x.shape
    p = dl * (k - 1) // 2
    Ho = (H + 2 * p - dl * (k - 1) - 1) // st + 1
    Wo = (W + 2 * p - dl * (k - 1) - 1) // st + 1
    xp = np.pad(x, [(0, 0), (0, 0), (p, p), (p, p)])
    u = np.zeros((B, Cin, Ho, Wo))
    for a in range(k):
        for e in range(k):
            patch = xp[:, :, a * dl: a * dl + st * (Ho - 1) + 1: st, e * dl: e * dl + st * (Wo - 1) + 1: st]
            u += w_dw[None, :, 0, a, e, None, None] * patch
    v = hardswish(s_dw[None, :, None, None] * u + t_dw[None, :, None, None])
    z = np.einsum("oc,bchw->bohw", w_pw, v)
    return hardswish(s[None, :, None, None] * z + t[None, :, None, None])


for tag, (B, Cin, Cout, H, W, k, st, dl) in [("k3_s1", (1, 3, 4, 6, 5, 3, 1, 1)), ("k3_s2", (2, 2, 3, 7, 6, 3, 2, 1)),
                                             ("k5_d2", (1, 2, 2, 7, 7, 5, 1, 2))]:
    x = normal(B, Cin, H, W, scale=2.0)
    w_dw = normal(Cin, 1, k, k, scale=0.6)
    s_dw, t_dw = uniform(0.5, 1.5, Cin), normal(Cin, scale=0.5)
    w_pw = normal(Cout, Cin, scale=0.8)
    s, t = uniform(0.5, 1.5, Cout), normal(Cout, scale=0.5)
    y = dsconv(*(f64(a) for a in (x, w_dw, s_dw, t_dw, w_pw, s, t)), k, st, dl)
    add(f"dsconv_dw_pw_bn_act_{tag}_matches_numpy", "convolution::dsconv_dw_pw_bn_act",
        [("B", B), ("Cin", Cin), ("Cout", Cout), ("H", H), ("W", W)], [("k", k), ("stride", st), ("dilation", dl)],
        [("x", x), ("w_dw", w_dw), ("s_dw", s_dw), ("t_dw", t_dw), ("w_pw", w_pw), ("s", s), ("t", t)], [("y", y)])


def gated_short_conv(x, w_in, w_conv, w_out):
    D, L = w_conv.shape
    z = x @ w_in.T
    Bg, Cg, xv = z[..., :D], z[..., D:2 * D], z[..., 2 * D:]
    g = Bg * xv
    T = x.shape[1]
    gp = np.pad(g, [(0, 0), (L - 1, 0), (0, 0)])                              # causal: zeros before t = 0
    c = sum(w_conv[:, j] * gp[:, j:j + T, :] for j in range(L))
    return (Cg * c) @ w_out.T


for tag, (B, T, D, L) in [("small", (1, 8, 6, 3)), ("batch2", (2, 5, 4, 3)), ("shorter_than_conv", (1, 2, 3, 4))]:
    x = normal(B, T, D)
    w_in, w_conv, w_out = normal(3 * D, D, scale=0.5), normal(D, L, scale=0.5), normal(D, D, scale=0.5)
    add(f"gated_short_conv1d_{tag}_matches_numpy", "gating_fusion::gated_short_conv1d",
        [("B", B), ("T", T), ("D", D)], [("L", L)],
        [("x", x), ("w_in", w_in), ("w_conv", w_conv), ("w_out", w_out)],
        [("out", gated_short_conv(*(f64(a) for a in (x, w_in, w_conv, w_out))))])


def conv3x3_same(x, w):
    H, W = x.shape[2:]
    xp = np.pad(x, [(0, 0), (0, 0), (1, 1), (1, 1)])
    return sum(np.einsum("oc,bchw->bohw", w[:, :, u, v], xp[:, :, u:u + H, v:v + W]) for u in range(3) for v in range(3))


def parallel_branches(x, w1, s1, t1, w2, s2, t2):
    y = x.copy()
    for i in range(w1.shape[0]):
        a = np.maximum(s1[i][None, :, None, None] * conv3x3_same(x, w1[i]) + t1[i][None, :, None, None], 0.0)
        y += s2[i][None, :, None, None] * conv3x3_same(a, w2[i]) + t2[i][None, :, None, None]
    return np.maximum(y, 0.0)


for tag, (B, NB, C, H, W) in [("two_branches", (1, 2, 3, 5, 4)), ("width1", (2, 1, 2, 3, 1)),
                              ("three_branches", (1, 3, 2, 4, 4))]:
    x = normal(B, C, H, W)
    w1, w2 = normal(NB, C, C, 3, 3, scale=0.4), normal(NB, C, C, 3, 3, scale=0.4)
    s1, s2 = uniform(0.5, 1.0, NB, C), uniform(0.5, 1.0, NB, C)
    t1, t2 = normal(NB, C, scale=0.3), normal(NB, C, scale=0.3)
    add(f"parallel_residual_branch_sum_{tag}_matches_numpy", "convolution::parallel_residual_branch_sum",
        [("B", B), ("NB", NB), ("C", C), ("H", H), ("W", W)], [],
        [("x", x), ("w1", w1), ("s1", s1), ("t1", t1), ("w2", w2), ("s2", s2), ("t2", t2)],
        [("y", parallel_branches(*(f64(a) for a in (x, w1, s1, t1, w2, s2, t2))))])


from rustlit import emit  # noqa: E402  (shared literal emitter; this folder is on sys.path)

if __name__ == "__main__":
    assert len({c[0] for c in CASES}) == len(CASES), "duplicate test names"
    emit(CASES, OUT, "gen_yolo_longconv.py", "oracle_yolo_longconv.rs")
