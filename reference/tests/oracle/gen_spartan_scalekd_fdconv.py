#!/usr/bin/env python3
"""Generate reference/tests/fixtures_spartan_scalekd_fdconv.rs: numpy cases for spartan_smixer,
spartan_wave_channel_aggregation, scalekd_cross_attention_projector, scalekd_dual_view_mimic_loss,
windowed_epipolar_cross_attention, fdconv_fourier_disjoint_weight,
fdconv_kernel_spatial_modulation_conv and frequency_band_modulation.

Regenerate (from the repository root):
    .venv/bin/python reference/tests/oracle/gen_spartan_scalekd_fdconv.py

Byte-for-byte reproducible: fixed seed, no timestamps. Expected outputs are computed
INDEPENDENTLY of the Rust reference operators, in float64 numpy, from the catalogue formulas:
convolutions as sums of shifted slices of a zero-padded array, attention with einsum and a -inf
mask, the ScaleKD frequency view through explicit DCT-II / inverse-DCT matrices (not the mean
subtraction the Rust uses), np.fft.irfft2 / np.fft.rfft2 for the FDConv spectra (numpy's c2r
convention), and FDConv's groups from np.fft.fftfreq with a stable argsort.
"""

import math
import os

import numpy as np

RNG = np.random.default_rng(20251126)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures_spartan_scalekd_fdconv.rs")

CASES = []  # (test_name, const_name, op_path, dims, attrs, inputs, outputs, atol, rtol)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def normal(*shape, mean=0.0, scale=1.0):
    return f32(RNG.normal(mean, scale, size=shape))


def uniform(low, high, *shape):
    return f32(RNG.uniform(low, high, size=shape))


def d(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def add(test_name, op, dims, attrs, inputs, outputs, atol=1e-6, rtol=1e-6):
    const = test_name.upper()
    if const.endswith("_MATCHES_NUMPY"):
        const = const[: -len("_MATCHES_NUMPY")]
    for name, arr in inputs:
        assert arr.dtype == np.float32, name
        assert arr.size <= 1200, (test_name, name, arr.size)
    CASES.append((test_name, const, op, dims, attrs, inputs, outputs, atol, rtol))


_erf = np.vectorize(math.erf)


def gelu(t):
    return 0.5 * t * (1.0 + _erf(t / math.sqrt(2.0)))


def sigmoid(t):
    return 1.0 / (1.0 + np.exp(-t))


def conv2d(z, w, pad, dil, groups):
    """z [B, Ci, H, W], w [Co, Ci/groups, kh, kw], stride 1 -> [B, Co, H', W'] via shifted slices."""
    B, Ci, H, W = z.shape
    Co, cg, kh, kw = w.shape
    zp = np.pad(z, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    Ho, Wo = H + 2 * pad - dil * (kh - 1), W + 2 * pad - dil * (kw - 1)
    out = np.zeros((B, Co, Ho, Wo))
    og = Co // groups
    for g in range(groups):
        zg = zp[:, g * cg:(g + 1) * cg]
        wg = w[g * og:(g + 1) * og]
        for u in range(kh):
            for v in range(kw):
                win = zg[:, :, u * dil:u * dil + Ho, v * dil:v * dil + Wo]
                out[:, g * og:(g + 1) * og] += np.einsum("oc,bchw->bohw", wg[:, :, u, v], win)
    return out


# ----------------------------------------------------------------------------- spartan_smixer

def smixer_case(tag, B, C, H, W, dw):
    Ci, Cr = C // 2, C // 8
    g = Ci if dw else 1
    cg = Ci // g
    p = dict(
        x=normal(B, C, H, W), w_in=uniform(-0.3, 0.3, Ci, C), b_in=uniform(-0.1, 0.1, Ci),
        gamma=normal(Ci, scale=0.1), w_h=uniform(-0.3, 0.3, Ci, cg, 3, 3), s_h=uniform(0.5, 1.5, Ci),
        t_h=uniform(-0.2, 0.2, Ci), w_l1=uniform(-0.3, 0.3, Ci, cg, 3, 3), w_l2=uniform(-0.3, 0.3, Ci, cg, 3, 3),
        s_l=uniform(0.5, 1.5, Ci), t_l=uniform(-0.2, 0.2, Ci),
        wsq_h=uniform(-0.5, 0.5, Cr, Ci), bsq_h=uniform(-0.1, 0.1, Cr), wex_h=uniform(-0.5, 0.5, Ci, Cr),
        bex_h=uniform(-0.1, 0.1, Ci), wsq_l=uniform(-0.5, 0.5, Cr, Ci), bsq_l=uniform(-0.1, 0.1, Cr),
        wex_l=uniform(-0.5, 0.5, Ci, Cr), bex_l=uniform(-0.1, 0.1, Ci), w_out=uniform(-0.3, 0.3, C, C),
        b_out=uniform(-0.1, 0.1, C))
    q = {k: d(v) for k, v in p.items()}
    y = np.einsum("ck,bkhw->bchw", q["w_in"], q["x"]) + q["b_in"][None, :, None, None]
    y = y + q["gamma"][None, :, None, None] * (y - y.mean(axis=(2, 3), keepdims=True))
    cvec = lambda v: v[None, :, None, None]  # noqa: E731
    hb = gelu(cvec(q["s_h"]) * conv2d(y, q["w_h"], 1, 1, g) + cvec(q["t_h"]))
    l1 = conv2d(y, q["w_l1"], 2, 2, g)
    lb = gelu(cvec(q["s_l"]) * conv2d(l1, q["w_l2"], 2, 2, g) + cvec(q["t_l"]))

    def se(z, s):
        pm = z.mean(axis=(2, 3))
        r = np.maximum(pm @ q["wsq_" + s].T + q["bsq_" + s], 0.0)
        a = sigmoid(r @ q["wex_" + s].T + q["bex_" + s])
        return z * a[:, :, None, None]

    cat = np.concatenate([se(hb, "h"), se(lb, "l")], axis=1)
    out = np.einsum("oc,bchw->bohw", q["w_out"], cat) + cvec(q["b_out"])
    add(f"spartan_smixer_{tag}_matches_numpy", "convolution::spartan_smixer",
        [("B", B), ("C", C), ("H", H), ("W", W)], [("dw", dw)], list(p.items()), [("out", out)],
        atol=1e-6, rtol=1e-5)


smixer_case("dense", 1, 16, 5, 5, 0)
smixer_case("depthwise_odd", 2, 8, 5, 3, 1)

# ----------------------------------------------------------------------------- wave aggregation


def wave_case(tag, B, C, E, H, W):
    while True:
        x = normal(B, C, H, W)
        top2 = np.sort(d(x), axis=1)[:, -2:]
        if np.min(top2[:, 1] - top2[:, 0]) >= 1e-4:
            break
    Cn = C * E
    p = dict(x=x, w_t=uniform(-0.4, 0.4, Cn, C), b_t=uniform(-0.1, 0.1, Cn), w_p=uniform(-0.4, 0.4, Cn, C),
             b_p=uniform(-0.1, 0.1, Cn), cplx=normal(Cn // 2, 2, scale=0.5))
    q = {k: d(v) for k, v in p.items()}
    xt = q["x"].transpose(0, 2, 3, 1)  # channels last [B, H, W, C]
    idx = np.argmax(xt, axis=-1)        # first maximum
    theta = gelu(xt @ q["w_t"].T + q["b_t"])
    wgt = xt @ q["w_p"].T + q["b_p"]
    sel = lambda a: np.take_along_axis(a, idx[..., None], axis=-1)  # noqa: E731
    f = wgt * theta + sel(wgt) * sel(theta)
    z = f.reshape(B, H, W, Cn // 2, 2)
    zc = (z[..., 0] + 1j * z[..., 1]) * (q["cplx"][:, 0] + 1j * q["cplx"][:, 1])
    o = np.stack([zc.real, zc.imag], axis=-1).reshape(B, H, W, Cn).transpose(0, 3, 1, 2)
    add(f"spartan_wave_channel_aggregation_{tag}_matches_numpy", "gating_fusion::spartan_wave_channel_aggregation",
        [("B", B), ("C", C), ("H", H), ("W", W)], [("E", E)], list(p.items()), [("out", o)], atol=1e-6, rtol=1e-5)


wave_case("e4", 1, 4, 4, 3, 5)
wave_case("e2_odd", 2, 3, 2, 3, 5)

# ----------------------------------------------------------------------------- ScaleKD projector


def projector_case(tag, B, N, Nq, Cs, Ct, Dp, nh, scale):
    p = dict(xs=normal(B, N, Cs, scale=0.5), qe=normal(B, Nq, Dp, scale=0.5),
             wq=uniform(-0.3, 0.3, Ct, Dp), bq=uniform(-0.1, 0.1, Ct), wk=uniform(-0.3, 0.3, Ct, Cs),
             bk=uniform(-0.1, 0.1, Ct), wv=uniform(-0.3, 0.3, Ct, Cs), bv=uniform(-0.1, 0.1, Ct),
             wo=uniform(-0.3, 0.3, Ct, Ct), bo=uniform(-0.1, 0.1, Ct))
    q = {k: d(v) for k, v in p.items()}
    dh = Ct // nh
    heads = lambda t: t.reshape(t.shape[0], t.shape[1], nh, dh).transpose(0, 2, 1, 3)  # noqa: E731
    Q = heads(q["qe"] @ q["wq"].T + q["bq"])
    K = heads(q["xs"] @ q["wk"].T + q["bk"])
    V = heads(q["xs"] @ q["wv"].T + q["bv"])
    S = np.einsum("bhqd,bhnd->bhqn", Q, K) * dh ** -0.5 * scale
    P = np.exp(S - S.max(axis=-1, keepdims=True))
    P /= P.sum(axis=-1, keepdims=True)
    O = np.einsum("bhqn,bhnd->bhqd", P, V).transpose(0, 2, 1, 3).reshape(B, Nq, Ct)
    out = O @ q["wo"].T + q["bo"]
    add(f"scalekd_cross_attention_projector_{tag}_matches_numpy", "attention::scalekd_cross_attention_projector",
        [("B", B), ("N", N), ("Nq", Nq), ("Cs", Cs), ("Ct", Ct), ("Dp", Dp)],
        [("nh", nh), ("softmax_scale", float(scale))], list(p.items()), [("out", out)], atol=1e-6, rtol=1e-5)


projector_case("four_heads", 1, 10, 7, 12, 16, 8, 4, 5.0)
projector_case("three_heads_batch2", 2, 5, 6, 6, 12, 5, 3, 5.0)

# ----------------------------------------------------------------------------- ScaleKD mimic loss


def dual_view_case(tag, B, C, H, alpha=(0.08, 0.06)):
    W = H
    p = dict(s_spat=normal(B, H * W, C), s_freq=normal(B, H * W, C), t=normal(B, C, H, W, mean=0.2))
    q = {k: d(v) for k, v in p.items()}
    to_map = lambda s: s.transpose(0, 2, 1).reshape(B, C, H, W)  # noqa: E731

    def l2n(z):
        return z / np.maximum(np.sqrt((z ** 2).sum(axis=1, keepdims=True)), 1e-12)

    n = np.arange(H)
    D = 2.0 * np.cos(np.pi * n[:, None] * (2 * n[None, :] + 1) / (2 * H))  # D[k, n]
    # inverse: x[n] = (1/N) (X[0]/2 + sum_{k>=1} X[k] cos(pi k (2n+1)/(2N)))
    Dinv = np.cos(np.pi * n[None, :] * (2 * n[:, None] + 1) / (2 * H)) / H  # Dinv[n, k]
    Dinv[:, 0] *= 0.5
    assert np.allclose(Dinv @ D, np.eye(H))

    def hp(z):
        X = np.einsum("kh,bchw,lw->bckl", D, z, D)
        X[:, :, 0, 0] = 0.0
        return np.einsum("nk,bckl,ml->bcnm", Dinv, X, Dinv)

    ls = alpha[0] * ((l2n(to_map(q["s_spat"])) - l2n(q["t"])) ** 2).sum() / B
    lf = alpha[1] * ((l2n(hp(to_map(q["s_freq"]))) - l2n(hp(q["t"]))) ** 2).sum() / B
    add(f"scalekd_dual_view_mimic_loss_{tag}_matches_numpy", "loss::scalekd_dual_view_mimic_loss",
        [("B", B), ("C", C), ("H", H), ("W", W)], [("alpha_spat", alpha[0]), ("alpha_freq", alpha[1])],
        list(p.items()), [("loss_spat", np.array([ls])), ("loss_freq", np.array([lf]))], atol=1e-7, rtol=1e-6)


dual_view_case("tiny", 2, 8, 4)
dual_view_case("odd", 1, 5, 3, alpha=(0.5, 1.5))

# ----------------------------------------------------------------------------- CCNeXt attention


def epipolar_case(tag, B, C, H, W, pct):
    p = dict(x1=normal(B, C, H, W, scale=0.5), x2=normal(B, C, H, W, scale=0.5))
    for n in ["q", "k", "v"]:
        p["w" + n] = uniform(-0.4, 0.4, C, C)
        p["b" + n] = uniform(-0.1, 0.1, C)
        if n == "v":
            p["sv"], p["tv"] = uniform(0.5, 1.5, C), uniform(-0.2, 0.2, C)
    p["ww"], p["bw"], p["sw"], p["tw"] = uniform(-0.4, 0.4, C, C), uniform(-0.1, 0.1, C), uniform(0.5, 1.5, C), uniform(-0.3, 0.3, C)
    q = {k: d(v) for k, v in p.items()}
    mw = int(math.floor(W * pct))
    ii, jj = np.meshgrid(np.arange(W), np.arange(W), indexing="ij")
    visible = np.abs(ii - jj) < mw
    conv = lambda z, w, b: np.einsum("ok,bkhw->bohw", w, z) + b[None, :, None, None]  # noqa: E731
    cv = lambda v: v[None, :, None, None]  # noqa: E731
    Q = [conv(q[x], q["wq"], q["bq"]) for x in ("x1", "x2")]
    K = [conv(q[x], q["wk"], q["bk"]) for x in ("x1", "x2")]
    V = [cv(q["sv"]) * conv(q[x], q["wv"], q["bv"]) + cv(q["tv"]) for x in ("x1", "x2")]

    def attn(Qa, Kb, Vb):
        S = np.einsum("bchi,bchj->bhij", Qa, Kb)
        S = np.where(visible[None, None], S, -np.inf)
        A = np.exp(S - S.max(axis=-1, keepdims=True))
        A /= A.sum(axis=-1, keepdims=True)
        return np.einsum("bhij,bchj->bchi", A, Vb)

    z1 = q["x1"] + cv(q["sw"]) * conv(attn(Q[0], K[1], V[1]), q["ww"], q["bw"]) + cv(q["tw"])
    z2 = q["x2"] + cv(q["sw"]) * conv(attn(Q[1], K[0], V[0]), q["ww"], q["bw"]) + cv(q["tw"])
    order = ["x1", "x2", "wq", "bq", "wk", "bk", "wv", "bv", "sv", "tv", "ww", "bw", "sw", "tw"]
    add(f"windowed_epipolar_cross_attention_{tag}_matches_numpy", "attention::windowed_epipolar_cross_attention",
        [("B", B), ("C", C), ("H", H), ("W", W)], [("pct", pct)], [(n, p[n]) for n in order],
        [("z1", z1), ("z2", z2)], atol=1e-6, rtol=1e-5)


epipolar_case("tiny", 1, 4, 2, 16, 0.26)
epipolar_case("odd_width", 2, 3, 2, 13, 0.26)
epipolar_case("wide_window", 1, 3, 2, 9, 0.5)

# ----------------------------------------------------------------------------- FDConv weight


def fdw_case(tag, B, Cout, Cin, k, kn):
    M, N = Cout * k, Cin * k
    Nh = N // 2 + 1
    assert (M * Nh) % kn == 0 and N % 2 == 0
    p = dict(a=uniform(0.2 / kn, 2.0 / kn, B, kn), D=normal(M, Nh, 2, scale=0.25))
    q = {key: d(v) for key, v in p.items()}
    fu = np.rint(np.fft.fftfreq(M) * M).astype(np.int64)      # signed row frequency index
    fv = np.rint(np.fft.rfftfreq(N) * N).astype(np.int64)
    key = (fu[:, None] ** 2) * N * N + (fv[None, :] ** 2) * M * M
    order = np.argsort(key.ravel(), kind="stable")
    grp = np.empty(M * Nh, dtype=np.int64)
    grp[order] = np.arange(M * Nh) // (M * Nh // kn)
    grp = grp.reshape(M, Nh)
    alpha = (min(Cout, Cin) // 2) * kn
    Dc = q["D"][..., 0] + 1j * q["D"][..., 1]
    S = alpha * q["a"][:, grp] * Dc[None]                      # [B, M, Nh]
    w2 = np.fft.irfft2(S, s=(M, N))                            # numpy c2r convention
    Wt = w2.reshape(B, Cout, k, Cin, k).transpose(0, 1, 3, 2, 4)
    add(f"fdconv_fourier_disjoint_weight_{tag}_matches_numpy", "fft_spectral::fdconv_fourier_disjoint_weight",
        [("B", B), ("Cout", Cout), ("Cin", Cin)], [("k", k), ("kn", kn)], list(p.items()), [("Wt", Wt)],
        atol=1e-7, rtol=1e-5)


fdw_case("k3", 2, 4, 2, 3, 8)
fdw_case("odd_rows", 1, 3, 4, 3, 9)
fdw_case("k1", 2, 6, 10, 1, 4)

# ----------------------------------------------------------------------------- FDConv KSM conv


def ksm_case(tag, B, Cin, Cout, H, W, k, stride, pad, ks):
    A = max(Cin // 16, 16)
    kk = k * k
    p = dict(x=normal(B, Cin, H, W), xf=normal(B, Cin, H, W), Wt=normal(B, Cout, Cin, k, k, scale=0.2),
             w_fc=uniform(-2, 2, A, Cin), s_bn=uniform(0.5, 1.5, A), t_bn=uniform(-0.2, 0.4, A),
             sr_s=uniform(0.8, 1.2, 1), sr_b=uniform(-0.1, 0.1, 1), w_ch=uniform(-0.5, 0.5, Cin, A),
             b_ch=uniform(-0.2, 0.2, Cin), w_fil=uniform(-0.5, 0.5, Cout, A), b_fil=uniform(-0.2, 0.2, Cout),
             w_sp=uniform(-0.5, 0.5, kk, A), b_sp=uniform(-0.2, 0.2, kk), ln_w=uniform(0.5, 1.5, Cin),
             ln_b=uniform(-0.2, 0.2, Cin), w_loc=uniform(-0.5, 0.5, Cout * kk, ks))
    q = {key: d(v) for key, v in p.items()}
    gx = q["x"].mean(axis=(2, 3))                                               # [B, Cin]
    z = q["sr_s"][0] * np.maximum(q["s_bn"] * (gx @ q["w_fc"].T) + q["t_bn"], 0.0) ** 2 + q["sr_b"][0]
    ch = 2 * sigmoid(z @ q["w_ch"].T + q["b_ch"])
    fil = 2 * sigmoid(z @ q["w_fil"].T + q["b_fil"])
    sp = 2 * sigmoid(z @ q["w_sp"].T + q["b_sp"])
    mu, var = gx.mean(axis=1, keepdims=True), gx.var(axis=1, keepdims=True)
    g2 = (gx - mu) / np.sqrt(var + 1e-5) * q["ln_w"] + q["ln_b"]
    half = (ks - 1) // 2
    g2p = np.pad(g2, ((0, 0), (half, half)))
    loc = np.stack([sum(q["w_loc"][None, :, s, None] * g2p[:, None, s:s + Cin] for s in range(ks))], 0)[0]
    hr = 2 * sigmoid(loc).reshape(B, Cout, k, k, Cin).transpose(0, 1, 4, 2, 3)  # [B, Cout, Cin, k, k]
    Wf = sp.reshape(B, 1, 1, k, k) * ch[:, None, :, None, None] * fil[:, :, None, None, None] * hr * q["Wt"]
    xp = np.pad(q["xf"], ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    Ho, Wo = (H + 2 * pad - k) // stride + 1, (W + 2 * pad - k) // stride + 1
    y = np.zeros((B, Cout, Ho, Wo))
    for u in range(k):
        for v in range(k):
            win = xp[:, :, u:u + stride * (Ho - 1) + 1:stride, v:v + stride * (Wo - 1) + 1:stride]
            y += np.einsum("boi,bihw->bohw", Wf[:, :, :, u, v], win)
    add(f"fdconv_kernel_spatial_modulation_conv_{tag}_matches_numpy", "convolution::fdconv_kernel_spatial_modulation_conv",
        [("B", B), ("Cin", Cin), ("Cout", Cout), ("H", H), ("W", W)],
        [("k", k), ("stride", stride), ("pad", pad), ("ks", ks)], list(p.items()), [("y", y)], atol=1e-6, rtol=1e-5)


ksm_case("k3", 2, 4, 4, 6, 6, 3, 1, 1, 5)
ksm_case("stride2_ks3", 1, 5, 3, 7, 5, 3, 2, 1, 3)
ksm_case("k1", 1, 6, 4, 3, 5, 1, 1, 0, 5)

# ----------------------------------------------------------------------------- FDConv FBM


def torch_nearest(out, inp):
    if out == inp:
        return np.arange(out)
    scale = np.float32(inp) / np.float32(out)
    return np.minimum(np.floor(np.arange(out, dtype=np.float32) * scale).astype(np.int64), inp - 1)


def fbm_case(tag, B, C, H, W, k_list=(2, 4, 8)):
    p = dict(x=normal(B, C, H, W), wb=normal(3, C, 3, 3, scale=0.1), bb=uniform(-0.2, 0.2, 3))
    q = {key: d(v) for key, v in p.items()}
    fr = np.abs(np.fft.fftfreq(64))[:, None]
    fc = (np.arange(33) / 64.0)[None, :]
    Wh = W // 2 + 1
    ri, ci = torch_nearest(H, 64), torch_nearest(Wh, 33)
    X = np.fft.rfft2(q["x"], norm="ortho")
    prev, out = q["x"], 0.0
    for j, kj in enumerate(k_list):
        base = np.maximum(fr, fc) < 0.5 / kj + 1e-8
        mask = base[np.ix_(ri, ci)]
        low = np.fft.irfft2(X * mask, s=(H, W), norm="ortho")
        att = 2 * sigmoid(conv2d(q["x"], q["wb"][j:j + 1], 1, 1, 1) + q["bb"][j])   # [B, 1, H, W]
        out = out + att * (prev - low)
        prev = low
    out = out + prev
    add(f"frequency_band_modulation_{tag}_matches_numpy", "fft_spectral::frequency_band_modulation",
        [("B", B), ("C", C), ("H", H), ("W", W)], [("k0", k_list[0]), ("k1", k_list[1]), ("k2", k_list[2])],
        list(p.items()), [("out", out)], atol=1e-6, rtol=1e-5)


fbm_case("tiny", 1, 2, 8, 8)
fbm_case("odd_rows", 1, 2, 9, 10)
fbm_case("wide", 2, 1, 6, 12, k_list=(1, 3, 16))
fbm_case("non_hermitian_mask", 1, 1, 14, 6)  # k = 8 keeps rows r' = 0, 4 but not -5: Im of column 0 is dropped


from rustlit import emit  # noqa: E402  (shared literal emitter; this folder is on sys.path)

if __name__ == "__main__":
    assert len({c[0] for c in CASES}) == len(CASES), "duplicate test names"
    emit(CASES, OUT, "gen_spartan_scalekd_fdconv.py", "oracle_spartan_scalekd_fdconv.rs")
