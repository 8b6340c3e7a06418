#!/usr/bin/env python3
"""Generate reference/tests/fixtures_natten2d_dcls_hornet.rs: numpy cases for natten_na2d,
dcls_gauss_kernel_construct_conv2d, hornet_gnconv, hornet_global_local_filter and
cp_separable_conv2d.

Regenerate (from the repository root):
    .venv/bin/python reference/tests/oracle/gen_natten2d_dcls_hornet.py

Byte-for-byte reproducible: fixed seed, no timestamps; every generated item carries
#[rustfmt::skip]. Expected outputs are computed INDEPENDENTLY of the Rust reference operators, in
float64 numpy written from the catalogue formulas:
  - natten_na2d: a dense [HW x HW] attention with a boolean neighbourhood mask built from the list
    of same-dilation-group indices per axis (plus a full-attention sanity case, k = H = W);
  - dcls: the official broadcasting form (an index grid minus positions, divided by spreads,
    squared norm, exp, normalise, weighted sum over kernel_count), then a convolution by explicit
    zero-padded sliding windows (numpy stride tricks + einsum);
  - hornet_gnconv: 1x1 convs as einsum, depthwise 7x7 by sliding windows, np.split for the gates;
  - hornet_global_local_filter: numpy.fft.rfft2 / irfft2 (norm='ortho') with the filter resized
    by align_corners interpolation matrices;
  - cp_separable_conv2d: einsum reconstruction of the kernel, sliding-window convolution.
Inputs are float32 values printed with 9 significant digits (exact round trip); outputs are
rounded to 9 digits.
"""

import os

import numpy as np

RNG = np.random.default_rng(20251125_2)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures_natten2d_dcls_hornet.rs")

# Both sides are float64 computations of the same f32 inputs; they differ by the f32 rounding of
# the output (~6e-8 relative) and summation order.
ATOL, RTOL = 1e-6, 1e-6

CASES = []  # (test_name, const_name, op_path, dims, attrs, inputs, outputs, atol, rtol)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def normal(*shape, mean=0.0, scale=1.0):
    return f32(RNG.normal(mean, scale, size=shape))


def uniform(low, high, *shape):
    return f32(RNG.uniform(low, high, size=shape))


def f64(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def add(test_name, op, dims, attrs, inputs, outputs, atol=ATOL, rtol=RTOL):
    const = test_name.upper()
    if const.endswith("_MATCHES_NUMPY"):
        const = const[: -len("_MATCHES_NUMPY")]
    for name, arr in inputs:
        assert arr.dtype == np.float32, name
        assert arr.size <= 800, (test_name, name, arr.size)
    CASES.append((test_name, const, op, dims, attrs, inputs, outputs, atol, rtol))


def windows(xp, kh, kw):
    """Sliding kh x kw windows over the last two axes: [..., Ho, Wo, kh, kw] (stride 1)."""
    return np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(-2, -1))


def zero_pad(x, p):
    return np.pad(x, [(0, 0)] * (x.ndim - 2) + [(p, p), (p, p)])


# ----------------------------------------------------------------------------- natten_na2d


def natten_axis_mask(L, ks, dil):
    """mask[i, j] = True when index j is in the NATTEN window of query index i (one axis)."""
    mask = np.zeros((L, L), dtype=bool)
    for i in range(L):
        group = [j for j in range(L) if j % dil == i % dil]  # same dilation group, in order
        pos = group.index(i)
        start = min(max(pos - ks // 2, 0), len(group) - ks)
        for j in group[start:start + ks]:
            mask[i, j] = True
    return mask


def natten_na2d(q, k, v, ks, dil):
    B, H, W, Hh, D = q.shape
    mask = np.einsum("ac,bd->abcd", natten_axis_mask(H, ks, dil), natten_axis_mask(W, ks, dil)).reshape(H * W, H * W)
    assert (mask.sum(1) == ks * ks).all()
    qf = q.reshape(B, H * W, Hh, D)
    kf = k.reshape(B, H * W, Hh, D)
    vf = v.reshape(B, H * W, Hh, D)
    s = np.einsum("bqhd,bkhd->bhqk", qf, kf) / np.sqrt(D)
    s = np.where(mask[None, None], s, -np.inf)
    s = s - s.max(-1, keepdims=True)
    p = np.exp(s)
    p /= p.sum(-1, keepdims=True)
    return np.einsum("bhqk,bkhd->bqhd", p, vf).reshape(B, H, W, Hh, D)


def full_attention(q, k, v):
    B, H, W, Hh, D = q.shape
    qf, kf, vf = (t.reshape(B, H * W, Hh, D) for t in (q, k, v))
    s = np.einsum("bqhd,bkhd->bhqk", qf, kf) / np.sqrt(D)
    p = np.exp(s - s.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    return np.einsum("bhqk,bkhd->bqhd", p, vf).reshape(B, H, W, Hh, D)


for tag, (B, H, W, Hh, D), ks, dil in [
    ("k5_d1", (1, 10, 10, 1, 3), 5, 1),
    ("k5_d2_uneven", (1, 10, 11, 1, 2), 5, 2),
    ("k3_d2_two_heads", (1, 8, 7, 2, 3), 3, 2),
    ("k3_d3_tight", (2, 9, 10, 1, 2), 3, 3),
]:
    q, k, v = (normal(B, H, W, Hh, D) for _ in range(3))
    add(f"natten_na2d_{tag}_matches_numpy", "attention::natten_na2d",
        [("B", B), ("H", H), ("W", W), ("Hh", Hh), ("D", D)], [("kernel_size", ks), ("dilation", dil)],
        [("q", q), ("k", k), ("v", v)], [("o", natten_na2d(f64(q), f64(k), f64(v), ks, dil))])

q, k, v = (normal(1, 3, 3, 2, 4) for _ in range(3))
add("natten_na2d_full_window_is_full_attention", "attention::natten_na2d",
    [("B", 1), ("H", 3), ("W", 3), ("Hh", 2), ("D", 4)], [("kernel_size", 3), ("dilation", 1)],
    [("q", q), ("k", k), ("v", v)], [("o", full_attention(f64(q), f64(k), f64(v)))])

# ----------------------------------------------------------------------------- DCLS gauss


def dcls_kernel(Wt, P, SIG, K):
    """Official forward_vgauss broadcasting: IDX[a, b] = (b, a) (column, row) against P[0], P[1]."""
    C, _, kc = Wt.shape
    rows, cols = np.meshgrid(np.arange(K), np.arange(K), indexing="ij")
    idx = np.stack([cols, rows])[:, :, :, None, None, None]                 # [2, K, K, 1, 1, 1]
    pos = P[:, None, None] + K // 2                                        # [2, 1, 1, C, 1, kc]
    sig = np.abs(SIG[:, None, None]) + 0.27
    X = np.sqrt((((idx - pos) / sig) ** 2).sum(0))                          # [K, K, C, 1, kc]
    G = np.exp(-0.5 * X ** 2)
    G = G / (G.sum((0, 1)) + 1e-7)
    Kd = (G * Wt[None, None]).sum(-1)                                      # [K, K, C, 1]
    return Kd.transpose(2, 3, 0, 1)                                        # [C, 1, K, K]


def dcls_conv(x, Wt, P, SIG, bias, K, pad):
    Kd = dcls_kernel(Wt, P, SIG, K)[:, 0]                                   # [C, K, K]
    win = windows(zero_pad(x, pad), K, K)                                  # [N, C, Ho, Wo, K, K]
    return np.einsum("ncijab,cab->ncij", win, Kd) + bias[None, :, None, None]


for tag, (N, C, H, W), K, kc, pad in [
    ("k7_same", (1, 4, 9, 9), 7, 3, 3),
    ("k5_valid_pad1", (2, 2, 7, 6), 5, 2, 1),
    ("k9_wide_positions", (1, 3, 8, 10), 9, 4, 4),
]:
    x = normal(N, C, H, W)
    Wt = uniform(-0.4, 0.4, C, 1, kc)
    P = uniform(-(K // 2), K // 2, 2, C, 1, kc)
    SIG = uniform(-0.6, 0.6, 2, C, 1, kc)
    bias = uniform(-0.2, 0.2, C)
    add(f"dcls_gauss_{tag}_matches_numpy", "convolution::dcls_gauss_kernel_construct_conv2d",
        [("N", N), ("C", C), ("H", H), ("W", W)],
        [("dilated_kernel_size", K), ("kernel_count", kc), ("padding", pad)],
        [("x", x), ("Wt", Wt), ("P", P), ("SIG", SIG), ("bias", bias)],
        [("y", dcls_conv(f64(x), f64(Wt), f64(P), f64(SIG), f64(bias), K, pad))])

# ----------------------------------------------------------------------------- HorNet gnconv


def conv1x1(w, b, t):
    return np.einsum("oc,nchw->nohw", w, t) + b[None, :, None, None]


def gnconv(x, order, scale, p):
    C = x.shape[1]
    dims = [C // 2 ** i for i in range(order)][::-1]
    f = conv1x1(p["W_in"], p["b_in"], x)
    pwa, abc = np.split(f, [dims[0]], axis=1)
    dw = np.einsum("ncijuv,cuv->ncij", windows(zero_pad(abc, 3), 7, 7), p["W_dw"][:, 0])
    dw = (dw + p["b_dw"][None, :, None, None]) * scale
    gates = np.split(dw, np.cumsum(dims)[:-1], axis=1)
    z = pwa * gates[0]
    for i in range(order - 1):
        z = conv1x1(p[f"W_pw{i}"], p[f"b_pw{i}"], z) * gates[i + 1]
    return conv1x1(p["W_out"], p["b_out"], z)


for tag, (N, C, H, W), order in [
    ("order3", (1, 8, 5, 6), 3),
    ("order2_batch2", (2, 6, 4, 3), 2),
    ("order4", (1, 8, 4, 4), 4),
]:
    dims = [C // 2 ** i for i in range(order)][::-1]
    S = sum(dims)
    x = normal(N, C, H, W)
    params = [("W_in", uniform(-0.4, 0.4, 2 * C, C)), ("b_in", uniform(-0.1, 0.1, 2 * C)),
              ("W_dw", uniform(-0.5, 0.5, S, 1, 7, 7)), ("b_dw", uniform(-0.1, 0.1, S))]
    for i in range(order - 1):
        params += [(f"W_pw{i}", uniform(-0.5, 0.5, dims[i + 1], dims[i])), (f"b_pw{i}", uniform(-0.1, 0.1, dims[i + 1]))]
    params += [("W_out", uniform(-0.4, 0.4, C, C)), ("b_out", uniform(-0.1, 0.1, C))]
    add(f"hornet_gnconv_{tag}_matches_numpy", "gating_fusion::hornet_gnconv",
        [("N", N), ("C", C), ("H", H), ("W", W)], [("order", order), ("scale", 1.0 / 3.0)],
        [("x", x)] + params,
        [("y", gnconv(f64(x), order, 1.0 / 3.0, {n: f64(a) for n, a in params}))])

# ----------------------------------------------------------------------------- HorNet GF layer


def ln_channels(t, g, b):
    mu = t.mean(1, keepdims=True)
    var = ((t - mu) ** 2).mean(1, keepdims=True)
    return (t - mu) / np.sqrt(var + 1e-6) * g[None, :, None, None] + b[None, :, None, None]


def align_corners_matrix(n_out, n_in):
    """M [n_out, n_in] with (M @ v) = 1-D linear interpolation, align_corners=True."""
    M = np.zeros((n_out, n_in))
    for t in range(n_out):
        src = t * (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
        lo = min(int(np.floor(src)), n_in - 1)
        hi = min(lo + 1, n_in - 1)
        lam = src - lo
        M[t, lo] += 1 - lam
        M[t, hi] += lam
    return M


def global_local_filter(x, g1, b1, w_dw, wc, g2, b2):
    N, C, H, W = x.shape
    u = ln_channels(x, g1, b1)
    u1, u2 = u[:, : C // 2], u[:, C // 2:]
    a = np.einsum("ncijpq,cpq->ncij", windows(zero_pad(u1, 1), 3, 3), w_dw[:, 0])
    U = np.fft.rfft2(u2, axes=(2, 3), norm="ortho")
    Mh = align_corners_matrix(H, wc.shape[1])
    Mw = align_corners_matrix(W // 2 + 1, wc.shape[2])
    filt = np.einsum("ia,cabt,jb->cijt", Mh, wc, Mw)
    F = filt[..., 0] + 1j * filt[..., 1]
    bo = np.fft.irfft2(U * F[None], s=(H, W), axes=(2, 3), norm="ortho")
    v = np.stack([a, bo], axis=2).reshape(N, C, H, W)
    return ln_channels(v, g2, b2)


for tag, (N, C, H, W), (fh, fw) in [
    ("no_resize", (1, 4, 6, 6), (6, 4)),
    ("resize_odd_w", (1, 4, 5, 7), (6, 3)),
    ("resize_even_w_batch2", (2, 6, 7, 4), (4, 5)),
]:
    x = normal(N, C, H, W, mean=0.3)
    g1, b1 = uniform(0.5, 1.5, C), uniform(-0.2, 0.2, C)
    w_dw = uniform(-0.4, 0.4, C // 2, 1, 3, 3)
    wc = uniform(-1.0, 1.0, C // 2, fh, fw, 2)
    g2, b2 = uniform(0.5, 1.5, C), uniform(-0.2, 0.2, C)
    ins = [("x", x), ("g1", g1), ("b1", b1), ("W_dw", w_dw), ("Wc", wc), ("g2", g2), ("b2", b2)]
    add(f"hornet_global_local_filter_{tag}_matches_numpy", "fft_spectral::hornet_global_local_filter",
        [("N", N), ("C", C), ("H", H), ("W", W)], [("fh", fh), ("fw", fw)], ins,
        [("y", global_local_filter(*(f64(a) for _, a in ins)))], atol=2e-6)

# ----------------------------------------------------------------------------- CP separable conv


def cp_conv(x, A, Bf, bias, k):
    Wk = np.einsum("ocru,ocrv->ocuv", A, Bf)
    win = windows(zero_pad(x, k // 2), k, k)
    return np.einsum("ncijuv,ocuv->noij", win, Wk) + bias[None, :, None, None]


for tag, (N, Cin, Cout, H, W), k, R in [
    ("k3_r2", (1, 2, 3, 6, 7), 3, 2),
    ("k5_r1_small_map", (2, 2, 2, 5, 4), 5, 1),
    ("k5_r3", (1, 3, 2, 6, 6), 5, 3),
]:
    x = normal(N, Cin, H, W)
    A = uniform(-0.5, 0.5, Cout, Cin, R, k)
    Bf = uniform(-0.5, 0.5, Cout, Cin, R, k)
    bias = uniform(-0.1, 0.1, Cout)
    add(f"cp_separable_conv2d_{tag}_matches_numpy", "convolution::cp_separable_conv2d",
        [("N", N), ("Cin", Cin), ("Cout", Cout), ("H", H), ("W", W)], [("k", k), ("rank", R)],
        [("x", x), ("A", A), ("B", Bf), ("bias", bias)],
        [("y", cp_conv(f64(x), f64(A), f64(Bf), f64(bias), k))])


from rustlit import emit  # noqa: E402  (shared literal emitter; this folder is on sys.path)

if __name__ == "__main__":
    assert len({c[0] for c in CASES}) == len(CASES), "duplicate test names"
    emit(CASES, OUT, "gen_natten2d_dcls_hornet.py", "oracle_natten2d_dcls_hornet.rs")
