#!/usr/bin/env python3
"""Generate reference/tests/fixtures_fadc_spark_gbinet.rs: numpy cases for the FADC, SparK and
GBi-Net operators and the standard grid_sample:
    fft_spectral::fadc_freq_select, gating_fusion::fadc_adakern_weight,
    convolution::fadc_adaptive_dilated_conv, sparse::sparse_masked_conv2d,
    normalization::sparse_masked_layernorm, resampling_index::mvs_depth_warp_bilinear,
    reduction::groupwise_correlation_volume, gating_fusion::mvs_pixelwise_view_weight_aggregation,
    resampling_index::std_grid_sample_bilinear.

Regenerate (from the repository root):
    .venv/bin/python reference/tests/oracle/gen_fadc_spark_gbinet.py

Byte-for-byte reproducible: fixed seed, no timestamps. Expected outputs are computed
INDEPENDENTLY of the Rust reference operators, in float64 numpy, following the official code's
formulation rather than the Rust loops: FreqSelect through np.fft.fft2/fftshift/ifftshift/ifft2
with the box taken on the shifted spectrum using Python's round(); the warp through
np.linalg.inv and the official normalise -> grid_sample(align_corners=True) round trip; the
deformable conv, the sparse conv and grid_sample with vectorised gathers; the SparK ops by
gathering the visible rows like the official code. The SparK masks are passed as float32 0/1
(rustlit emits f32 inputs; the reference accepts an f32 mask as well as the harness's u8).
"""

import os

import numpy as np

RNG = np.random.default_rng(20251125_28)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures_fadc_spark_gbinet.rs")

# |got - exp| <= ATOL + RTOL*|exp|: both sides are f64 computations of the same f32 inputs and
# differ by f32 output rounding (~6e-8 relative) plus summation order / transform round-off.
ATOL, RTOL = 1e-6, 1e-6

CASES = []  # (test_name, const_name, op_path, dims, attrs, inputs, outputs, atol, rtol)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def normal(*shape, mean=0.0, scale=1.0):
    return f32(RNG.normal(mean, scale, size=shape))


def uniform(lo, hi, *shape):
    return f32(RNG.uniform(lo, hi, size=shape))


def mask(*shape, p=0.4):
    return f32(RNG.random(shape) < p)


def f64(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def add(test_name, op, dims, attrs, inputs, outputs, atol=ATOL, rtol=RTOL):
    const = test_name.upper()
    if const.endswith("_MATCHES_NUMPY"):
        const = const[: -len("_MATCHES_NUMPY")]
    for name, arr in inputs:
        assert arr.dtype == np.float32, name
        assert arr.size <= 1200, (test_name, name, arr.size)
    CASES.append((test_name, const, op, dims, attrs, inputs, outputs, atol, rtol))


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def conv2d(x, w, b=None, stride=1, pad=0, dil=1, groups=1):
    """PyTorch conv2d (cross-correlation, zero padding) by summing shifted strided slices."""
    n, cin, h, wd = x.shape
    cout, cig, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    ho = (h + 2 * pad - dil * (kh - 1) - 1) // stride + 1
    wo = (wd + 2 * pad - dil * (kw - 1) - 1) // stride + 1
    cog = cout // groups
    y = np.zeros((n, cout, ho, wo))
    for g in range(groups):
        xs = xp[:, g * cig:(g + 1) * cig]
        wg = w[g * cog:(g + 1) * cog]
        for u in range(kh):
            for v in range(kw):
                patch = xs[:, :, u * dil: u * dil + stride * (ho - 1) + 1: stride,
                           v * dil: v * dil + stride * (wo - 1) + 1: stride]
                y[:, g * cog:(g + 1) * cog] += np.einsum("nchw,oc->nohw", patch, wg[:, :, u, v])
    if b is not None:
        y += b[None, :, None, None]
    return y


def upsample_mask(active, h, w):
    f = active.shape[-1]
    return np.repeat(np.repeat(active[:, 0] != 0, h // f, axis=1), w // f, axis=2)  # (B, h, w)


# ----------------------------------------------------------------------------- numpy oracles


def freq_select(x, wb, bb, ks=(2, 4, 8)):
    b, c, h, w = x.shape
    xs = np.fft.fftshift(np.fft.fft2(x, norm="ortho"), axes=(-2, -1))
    prev, out = x, np.zeros_like(x)
    for j, f in enumerate(ks):
        m = np.zeros((h, w))
        m[round(h / 2 - h / (2 * f)):round(h / 2 + h / (2 * f)), round(w / 2 - w / (2 * f)):round(w / 2 + w / (2 * f))] = 1.0
        low = np.fft.ifft2(np.fft.ifftshift(xs * m, axes=(-2, -1)), norm="ortho").real
        high = prev - low
        prev = low
        att = 2.0 * sigmoid(conv2d(x, wb[j:j + 1], bb[j:j + 1], pad=1))  # (B, 1, H, W)
        out = out + att * high
    return out + prev


def adakern(x, w, heads):
    g = x.mean(axis=(2, 3))  # (B, Cin)
    atts = []
    for fc, s, t, wc, bc, wf, bf in heads:
        z = np.maximum(s * (g @ fc.T) + t, 0.0)
        atts.append((sigmoid(z @ wc.T + bc), sigmoid(z @ wf.T + bf)))  # (B, Cin), (B, Cout)
    (c1, f1), (c2, f2) = atts
    wm = w.mean(axis=(2, 3), keepdims=True)[None]  # (1, Cout, Cin, 1, 1)
    wr = w[None] - wm
    return (wm * (2 * c1[:, None, :, None, None]) * (2 * f1[:, :, None, None, None])
            + wr * (2 * c2[:, None, :, None, None]) * (2 * f2[:, :, None, None, None]))


def bilinear_gather(img, py, px, inside_test):
    """img (C, Hp, Wp); py, px arrays (...); corners outside read 0; `inside_test` masks whole samples."""
    c, hp, wp = img.shape
    y0, x0 = np.floor(py), np.floor(px)
    ly, lx = py - y0, px - x0
    out = np.zeros((c,) + py.shape)
    for dy, dx, wt in [(0, 0, (1 - ly) * (1 - lx)), (0, 1, (1 - ly) * lx), (1, 0, ly * (1 - lx)), (1, 1, ly * lx)]:
        yy, xx = y0 + dy, x0 + dx
        ok = (yy >= 0) & (yy <= hp - 1) & (xx >= 0) & (xx <= wp - 1) & inside_test
        yi = np.where(ok, yy, 0).astype(np.int64)
        xi = np.where(ok, xx, 0).astype(np.int64)
        out += np.where(ok, wt, 0.0)[None] * img[:, yi, xi]
    return out


def adaptive_dilated_conv(x, wb, w_off, b_off, w_m, b_m, stride=1, dil=1.0):
    bn, cin, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), mode="edge")
    hp, wp = h + 2, w + 2
    d = dil * np.abs(conv2d(xp, w_off, b_off, stride=stride))[:, 0]  # (B, Ho, Wo)
    m = sigmoid(conv2d(xp, w_m, b_m, stride=stride))  # (B, 9, Ho, Wo)
    ho, wo = d.shape[1:]
    gy, gx = np.meshgrid(np.arange(ho) * stride, np.arange(wo) * stride, indexing="ij")
    cout = wb.shape[1]
    y = np.zeros((bn, cout, ho, wo))
    for b in range(bn):
        for i in range(3):
            for j in range(3):
                py = gy + i + (i - 1) * d[b]
                px = gx + j + (j - 1) * d[b]
                inside = (py > -1) & (px > -1) & (py < hp) & (px < wp)
                v = bilinear_gather(xp[b], py, px, inside)  # (Cin, Ho, Wo)
                y[b] += np.einsum("oc,chw->ohw", wb[b, :, :, i, j], v * m[b, 3 * i + j][None])
    return y


def sparse_conv(x, active, w, b, k, stride, pad, dil, groups):
    y = conv2d(x, w, b, stride=stride, pad=pad, dil=dil, groups=groups)
    act = upsample_mask(active, y.shape[2], y.shape[3])
    return y * act[:, None]


def sparse_ln(x, active, gamma, beta, eps=1e-6):
    bn, c, h, w = x.shape
    act = upsample_mask(active, h, w)
    bhwc = np.transpose(x, (0, 2, 3, 1))
    rows = bhwc[act]  # (n, C): the official gather
    mu = rows.mean(axis=1, keepdims=True)
    var = ((rows - mu) ** 2).mean(axis=1, keepdims=True)
    out = np.zeros_like(bhwc)
    out[act] = (rows - mu) / np.sqrt(var + eps) * gamma + beta
    return np.transpose(out, (0, 3, 1, 2))


def depth_warp(src, depth, dk_ref, dk_src, de_ref, de_src):
    bn, c, h, w = src.shape
    dn = depth.shape[1]
    k0 = np.array([[w, 0, w / 2], [0, w, h / 2], [0, 0, 1.0]])
    out = np.zeros((bn, c, dn, h, w))
    for b in range(bn):
        k_ref, k_src = k0 + dk_ref[b], k0 + dk_src[b]
        e_ref, e_src = np.hstack([np.eye(3), np.zeros((3, 1))]) + de_ref[b], np.hstack([np.eye(3), np.zeros((3, 1))]) + de_src[b]
        r_ref, t_ref, r_src, t_src = e_ref[:, :3], e_ref[:, 3:], e_src[:, :3], e_src[:, 3:]
        ys, xs = np.meshgrid(np.linspace(0.5, h - 0.5, h), np.linspace(0.5, w - 0.5, w), indexing="ij")
        uv = np.stack([xs.ravel(), ys.ravel(), np.ones(h * w)])  # (3, HW)
        for d in range(dn):
            cam = np.linalg.inv(k_ref) @ (uv * depth[b, d].ravel()[None])
            world = np.linalg.inv(r_ref) @ (cam - t_ref)
            sc = r_src @ world + t_src
            z = sc[2]
            zero = z == 0
            zs = np.where(zero, 1.0, z)
            proj = k_src @ np.stack([sc[0] / zs, sc[1] / zs, np.ones(h * w)])
            u = np.where(zero, 2.0 * w, proj[0])
            v = np.where(zero, 2.0 * h, proj[1])
            # official: normalise for grid_sample(align_corners=True), which unnormalises again
            gx = (u - 0.5) / (w - 1) * 2 - 1
            gy = (v - 0.5) / (h - 1) * 2 - 1
            ix = (gx + 1) / 2 * (w - 1)
            iy = (gy + 1) / 2 * (h - 1)
            samp = bilinear_gather(src[b], iy, ix, np.ones(h * w, dtype=bool))
            out[b, :, d] = samp.reshape(c, h, w)
    return out


def gwc(ref, warped, g):
    b, c, d, h, w = warped.shape
    return (warped.reshape(b, g, c // g, d, h, w) * ref.reshape(b, g, c // g, 1, h, w)).mean(axis=2)


def pixelwise(sims, w0, s0, t0, w1, s1, t1, w2, b2):
    a0 = np.maximum(np.einsum("kg,vbgdhw->vbkdhw", w0, sims) * s0[None, None, :, None, None, None]
                    + t0[None, None, :, None, None, None], 0)
    a1 = np.maximum(np.einsum("kj,vbjdhw->vbkdhw", w1, a0) * s1[None, None, :, None, None, None]
                    + t1[None, None, :, None, None, None], 0)
    q = sigmoid(np.einsum("k,vbkdhw->vbdhw", w2[0], a1) + b2[0])
    wv = q.max(axis=2)  # (V, B, H, W)
    return (sims * wv[:, :, None, None]).sum(axis=0) / wv.sum(axis=0)[:, None, None]


def grid_sample(x, grid, align, border):
    n, c, hin, win = x.shape
    gx, gy = grid[..., 0], grid[..., 1]
    if align:
        ix, iy = (gx + 1) / 2 * (win - 1), (gy + 1) / 2 * (hin - 1)
    else:
        ix, iy = ((gx + 1) * win - 1) / 2, ((gy + 1) * hin - 1) / 2
    if border:
        ix, iy = np.clip(ix, 0, win - 1), np.clip(iy, 0, hin - 1)
    return np.stack([bilinear_gather(x[b], iy[b], ix[b], np.ones(ix[b].shape, dtype=bool)) for b in range(n)])


# ----------------------------------------------------------------------------- cases

# fadc_freq_select: H = W = 8 has an EMPTY f = 8 box; 7x9 odd sizes; 16x12 ordinary.
for tag, (b, c, h, w) in [("empty_box_8x8", (1, 2, 8, 8)), ("odd_7x9", (2, 2, 7, 9)), ("16x12", (1, 2, 16, 12))]:
    x, wb, bb = normal(b, c, h, w), uniform(-0.3, 0.3, 3, c, 3, 3), uniform(-0.5, 0.5, 3)
    add(f"fadc_freq_select_{tag}_matches_numpy", "fft_spectral::fadc_freq_select",
        [("B", b), ("C", c), ("H", h), ("W", w)], [("k1", 2), ("k2", 4), ("k3", 8)],
        [("x", x), ("wb", wb), ("bb", bb)], [("y", freq_select(f64(x), f64(wb), f64(bb)))], atol=1e-6, rtol=1e-6)

# fadc_adakern_weight: A = max(Cin // 16, 16) = 16 at these sizes.
for tag, (b, cin, cout, h, w, k) in [("k3", (2, 4, 3, 3, 4, 3)), ("k5_single", (1, 3, 2, 2, 5, 5))]:
    a = max(cin // 16, 16)
    x, wt = normal(b, cin, h, w, mean=0.2), uniform(-0.3, 0.3, cout, cin, k, k)
    heads, named = [], []
    for n in (1, 2):
        hd = [uniform(-0.5, 0.5, a, cin), uniform(0.5, 1.5, a), uniform(-0.3, 0.3, a), uniform(-0.5, 0.5, cin, a),
              uniform(-0.5, 0.5, cin), uniform(-0.5, 0.5, cout, a), uniform(-0.5, 0.5, cout)]
        heads.append([f64(t) for t in hd])
        named += list(zip([f"{p}{n}" for p in ("fc", "s", "t", "wc", "bc", "wf", "bf")], hd))
    add(f"fadc_adakern_weight_{tag}_matches_numpy", "gating_fusion::fadc_adakern_weight",
        [("B", b), ("Cin", cin), ("Cout", cout), ("H", h), ("W", w)], [("k", k)],
        [("x", x), ("w", wt)] + named, [("wb", adakern(f64(x), f64(wt), heads))])

# fadc_adaptive_dilated_conv: |offset conv| up to ~3 so taps are fractional and leave the border.
for tag, (b, cin, cout, h, w, s, dil) in [("s1", (1, 3, 2, 6, 6, 1, 1)), ("s2_odd", (2, 2, 3, 7, 5, 2, 1)),
                                          ("dil2", (1, 2, 2, 5, 6, 1, 2))]:
    x, wb = normal(b, cin, h, w), uniform(-0.3, 0.3, b, cout, cin, 3, 3)
    w_off, b_off = uniform(-0.5, 0.5, 1, cin, 3, 3), uniform(0.5, 1.5, 1)
    w_m, b_m = uniform(-0.3, 0.3, 9, cin, 3, 3), uniform(-0.5, 0.5, 9)
    y = adaptive_dilated_conv(f64(x), f64(wb), f64(w_off), f64(b_off), f64(w_m), f64(b_m), stride=s, dil=dil)
    add(f"fadc_adaptive_dilated_conv_{tag}_matches_numpy", "convolution::fadc_adaptive_dilated_conv",
        [("B", b), ("Cin", cin), ("Cout", cout), ("H", h), ("W", w)], [("stride", s), ("dil", dil)],
        [("x", x), ("wb", wb), ("w_off", w_off), ("b_off", b_off), ("w_m", w_m), ("b_m", b_m)], [("y", y)])

# sparse_masked_conv2d: (B, Cin, Cout, H, W, F, k, stride, pad, dilation, groups)
for tag, (b, cin, cout, h, w, f, k, s, p, dl, g) in [
        ("k3_s1", (2, 3, 2, 6, 6, 3, 3, 1, 1, 1, 1)),
        ("stride2", (2, 2, 3, 8, 8, 2, 3, 2, 1, 1, 1)),
        ("grouped_dilated_nonsquare", (1, 4, 4, 6, 9, 3, 3, 1, 2, 2, 2))]:
    x, active = normal(b, cin, h, w), mask(b, 1, f, f)
    active[0, 0, 0, 0], active[-1, 0, -1, -1] = 1.0, 0.0  # at least one visible and one masked cell
    wt, bias = uniform(-0.3, 0.3, cout, cin // g, k, k), uniform(-0.2, 0.2, cout)
    y = sparse_conv(f64(x), active, f64(wt), f64(bias), k, s, p, dl, g)
    add(f"sparse_masked_conv2d_{tag}_matches_numpy", "sparse::sparse_masked_conv2d",
        [("B", b), ("Cin", cin), ("Cout", cout), ("H", h), ("W", w), ("F", f)],
        [("k", k), ("stride", s), ("pad", p), ("dilation", dl), ("groups", g)],
        [("x", x), ("active", active), ("w", wt), ("b", bias)], [("y", y)])

# sparse_masked_layernorm: second case has one fully visible and one fully masked image.
for tag, (b, c, h, w, f) in [("6x6", (2, 5, 6, 6, 3)), ("all_or_nothing", (2, 4, 4, 6, 2))]:
    x, active = normal(b, c, h, w, mean=0.5, scale=2.0), mask(b, 1, f, f)
    if tag == "all_or_nothing":
        active[0], active[1] = 1.0, 0.0
    gamma, beta = uniform(0.5, 1.5, c), uniform(-0.5, 0.5, c)
    add(f"sparse_masked_layernorm_{tag}_matches_numpy", "normalization::sparse_masked_layernorm",
        [("B", b), ("C", c), ("H", h), ("W", w), ("F", f)], [("eps", 1e-6)],
        [("x", x), ("active", active), ("gamma", gamma), ("beta", beta)],
        [("y", sparse_ln(f64(x), active, f64(gamma), f64(beta)))])

# mvs_depth_warp_bilinear: random deviations, larger ones (more samples outside), and the
# catalogue's tiny camera set-up (K = [[8,0,5],[0,8,4],[0,0,1]] at W=10, H=8, ref [I|0], source
# rotated 2 degrees about y and shifted by (0.1, 0, 0)).
def rot_y(deg):
    t = np.deg2rad(deg)
    return np.array([[np.cos(t), 0, np.sin(t)], [0, 1, 0], [-np.sin(t), 0, np.cos(t)]])


for tag, (b, c, dn, h, w, dk, de) in [("small", (1, 3, 2, 5, 6, 0.01, 0.05)), ("large_dev", (2, 2, 3, 4, 7, 0.05, 0.15)),
                                      ("catalogue_cameras", (1, 2, 2, 8, 10, None, None))]:
    src, depth = normal(b, c, h, w), uniform(2.0, 3.0, b, dn, h, w)
    if dk is None:
        kcat = np.array([[8, 0, 5], [0, 8, 4], [0, 0, 1.0]])
        k0 = np.array([[w, 0, w / 2], [0, w, h / 2], [0, 0, 1.0]])
        dk_ref = dk_src = f32((kcat - k0)[None])
        de_ref = f32(np.zeros((1, 3, 4)))
        de_src = f32((np.hstack([rot_y(2.0), [[0.1], [0], [0]]]) - np.hstack([np.eye(3), np.zeros((3, 1))]))[None])
    else:
        dk_ref, dk_src = uniform(-dk, dk, b, 3, 3), uniform(-dk, dk, b, 3, 3)
        de_ref, de_src = uniform(-de, de, b, 3, 4), uniform(-de, de, b, 3, 4)
    y = depth_warp(f64(src), f64(depth), f64(dk_ref), f64(dk_src), f64(de_ref), f64(de_src))
    add(f"mvs_depth_warp_bilinear_{tag}_matches_numpy", "resampling_index::mvs_depth_warp_bilinear",
        [("B", b), ("C", c), ("D", dn), ("H", h), ("W", w)], [],
        [("src", src), ("depth", depth), ("dK_ref", dk_ref), ("dK_src", dk_src), ("dE_ref", de_ref), ("dE_src", de_src)],
        [("warped", y)], atol=1e-6, rtol=1e-6)

# groupwise_correlation_volume
for tag, (b, c, g, dn, h, w) in [("g4", (1, 8, 4, 2, 3, 4)), ("g2_batch2", (2, 6, 2, 3, 2, 3)), ("g1", (1, 3, 1, 2, 3, 3))]:
    ref, warped = normal(b, c, h, w), normal(b, c, dn, h, w)
    add(f"groupwise_correlation_volume_{tag}_matches_numpy", "reduction::groupwise_correlation_volume",
        [("B", b), ("C", c), ("D", dn), ("H", h), ("W", w)], [("G", g)],
        [("ref", ref), ("warped", warped)], [("sim", gwc(f64(ref), f64(warped), g))])

# mvs_pixelwise_view_weight_aggregation
for tag, (v, b, g, dn, h, w) in [("v2", (2, 1, 4, 3, 3, 4)), ("v3_batch2", (3, 2, 2, 2, 2, 3))]:
    sims = normal(v, b, g, dn, h, w)
    params = [uniform(-0.5, 0.5, 16, g), uniform(0.5, 1.5, 16), uniform(-0.2, 0.2, 16), uniform(-0.5, 0.5, 8, 16),
              uniform(0.5, 1.5, 8), uniform(-0.2, 0.2, 8), uniform(-1.0, 1.0, 1, 8), uniform(-0.5, 0.5, 1)]
    names = ["w0", "s0", "t0", "w1", "s1", "t1", "w2", "b2"]
    add(f"mvs_pixelwise_view_weight_aggregation_{tag}_matches_numpy", "gating_fusion::mvs_pixelwise_view_weight_aggregation",
        [("V", v), ("B", b), ("G", g), ("D", dn), ("H", h), ("W", w)], [],
        [("sims", sims)] + list(zip(names, params)), [("out", pixelwise(f64(sims), *[f64(t) for t in params]))])

# std_grid_sample_bilinear: all four (align_corners, padding) modes; grid points beyond [-1, 1]
# plus exact corners.
for align in (0, 1):
    for border in (0, 1):
        n, c, hin, win, ho, wo = 2, 2, 5, 6, 3, 4
        x, grid = normal(n, c, hin, win), uniform(-1.3, 1.3, n, ho, wo, 2)
        grid[0, 0, 0] = [-1.0, -1.0]
        grid[0, 0, 1] = [1.0, 1.0]
        grid[1, 2, 3] = [1.0, -1.0]
        tag = ("align" if align else "noalign") + ("_border" if border else "_zeros")
        add(f"std_grid_sample_bilinear_{tag}_matches_numpy", "resampling_index::std_grid_sample_bilinear",
            [("N", n), ("C", c), ("Hin", hin), ("Win", win), ("Ho", ho), ("Wo", wo)],
            [("align_corners", align), ("border", border)], [("x", x), ("grid", grid)],
            [("y", grid_sample(f64(x), f64(grid), align, border))])


from rustlit import emit  # noqa: E402  (shared literal emitter; this folder is on sys.path)

if __name__ == "__main__":
    assert len({c[0] for c in CASES}) == len(CASES), "duplicate test names"
    emit(CASES, OUT, "gen_fadc_spark_gbinet.py", "oracle_fadc_spark_gbinet.rs")
