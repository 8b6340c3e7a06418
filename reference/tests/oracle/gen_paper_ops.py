#!/usr/bin/env python3
"""Generate reference/tests/fixtures_paper_ops.rs: numpy cases for partial_conv3x3,
yolov13_dsconv_bn_silu, blur_kernel_convolution, masked_average_pooling and
cosine_kernel_segmentation_logits (paper operators from shared/operators.md).

Regenerate (from the repository root):
    .venv/bin/python reference/tests/oracle/gen_paper_ops.py

Byte-for-byte reproducible: fixed seed, no timestamps; every generated item carries
#[rustfmt::skip]. Expected outputs are computed INDEPENDENTLY of the Rust reference operators,
in float64 with whole-array numpy written from the catalogue definitions: convolutions via np.pad
plus explicit sliding windows and einsum, the circular blur via the FFT (psf2otf), the bilinear
mask resize via separable interpolation matrices. Inputs are float32 values printed with 9
significant digits (exact round trip); outputs rounded to 9 digits.
"""

import math
import os

import numpy as np

RNG = np.random.default_rng(20250611)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures_paper_ops.rs")

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


def bernoulli(p, *shape):
    return f32(RNG.uniform(0.0, 1.0, size=shape) < p)


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


def windows(xp, k, stride, dil, ho, wo):
    """Sliding windows of a padded [..., Hp, Wp] array -> [..., ho, wo, k, k]."""
    out = np.empty(xp.shape[:-2] + (ho, wo, k, k))
    for u in range(k):
        for v in range(k):
            r0, c0 = u * dil, v * dil
            out[..., u, v] = xp[..., r0:r0 + stride * (ho - 1) + 1:stride, c0:c0 + stride * (wo - 1) + 1:stride]
    return out


def partial_conv(x, w, n_div):
    x = f64(x)
    cp = x.shape[1] // n_div
    xp = np.pad(x[:, :cp], ((0, 0), (0, 0), (1, 1), (1, 1)))
    win = windows(xp, 3, 1, 1, x.shape[2], x.shape[3])          # [B, Cp, H, W, 3, 3]
    y = x.copy()
    y[:, :cp] = np.einsum("bchwuv,ocuv->bohw", win, f64(w))
    return y


def dsconv(x, w_dw, w_pw, gamma, beta, mean, var, k, s, d, eps):
    x = f64(x)
    n, cin, h, w = x.shape
    p = (d * (k - 1)) // 2
    ho = (h + 2 * p - d * (k - 1) - 1) // s + 1
    wo = (w + 2 * p - d * (k - 1) - 1) // s + 1
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    t = np.einsum("nchwuv,cuv->nchw", windows(xp, k, s, d, ho, wo), f64(w_dw)[:, 0])
    u = np.einsum("oc,nchw->nohw", f64(w_pw), t)
    z = (u - f64(mean)[None, :, None, None]) / np.sqrt(f64(var) + eps)[None, :, None, None] \
        * f64(gamma)[None, :, None, None] + f64(beta)[None, :, None, None]
    return z / (1.0 + np.exp(-z))


def psf2otf(k, h, w):
    kh, kw = k.shape
    pad = np.zeros((h, w))
    pad[:kh, :kw] = k
    pad = np.roll(pad, (-(kh // 2), -(kw // 2)), axis=(0, 1))
    return np.fft.fft2(pad)


def blur_circular(x, k):
    x, k = f64(x), f64(k)
    b, c, h, w = x.shape
    y = np.empty_like(x)
    for i in range(b):
        otf = psf2otf(k[i], h, w)
        y[i] = np.real(np.fft.ifft2(np.fft.fft2(x[i], axes=(-2, -1)) * otf[None], axes=(-2, -1)))
    return y


def bilinear_matrix(n_out, n_in):
    """Rows: output index; F.interpolate bilinear, align_corners=False."""
    m = np.zeros((n_out, n_in))
    for d in range(n_out):
        src = max((d + 0.5) * (n_in / n_out) - 0.5, 0.0)
        i0 = int(math.floor(src))
        i1 = min(i0 + 1, n_in - 1)
        lam = src - i0
        m[d, i0] += 1.0 - lam
        m[d, i1] += lam
    return m


def masked_avg_pool(feat, mask, eps):
    feat, mask = f64(feat), f64(mask)
    s, c, h, w = feat.shape
    m = np.einsum("ip,spq,jq->sij", bilinear_matrix(h, mask.shape[1]), mask, bilinear_matrix(w, mask.shape[2]))
    proto_s = np.einsum("schw,shw->sc", feat, m) / (m.sum(axis=(1, 2)) + eps)[:, None]
    return proto_s.mean(axis=0)


def cosine_logits(feat, kernels, tau):
    feat, kernels = f64(feat), f64(kernels)
    fn = np.maximum(np.sqrt((feat ** 2).sum(axis=1)), 1e-8)            # [B, H, W]
    gn = np.maximum(np.sqrt((kernels ** 2).sum(axis=1)), 1e-8)         # [K]
    dot = np.einsum("bchw,kc->bkhw", feat, kernels)
    return tau * dot / (fn[:, None] * gn[None, :, None, None])


# ----------------------------------------------------------------------------- cases


def pconv_case(name, b, c, h, w, n_div=4):
    cp = c // n_div
    x = normal(b, c, h, w)
    wt = uniform(-0.2, 0.2, cp, cp, 3, 3)
    add(name, "convolution::partial_conv3x3", [("B", b), ("C", c), ("H", h), ("W", w)], [("n_div", n_div)],
        [("x", x), ("w", wt)], [("y", partial_conv(x, wt, n_div))])


def dsconv_case(name, n, cin, cout, h, w, k=3, s=2, d=1, eps=1e-3):
    x = normal(n, cin, h, w)
    w_dw = uniform(-0.5, 0.5, cin, 1, k, k)
    w_pw = uniform(-0.3, 0.3, cout, cin)
    gamma, beta = uniform(0.5, 1.5, cout), uniform(-0.5, 0.5, cout)
    mean, var = uniform(-0.2, 0.2, cout), uniform(0.5, 1.5, cout)
    add(name, "convolution::yolov13_dsconv_bn_silu",
        [("N", n), ("Cin", cin), ("Cout", cout), ("H", h), ("W", w)],
        [("k", k), ("stride", s), ("dilation", d), ("eps", eps)],
        [("x", x), ("w_dw", w_dw), ("w_pw", w_pw), ("gamma", gamma), ("beta", beta), ("mean", mean),
         ("var", var)],
        [("y", dsconv(x, w_dw, w_pw, gamma, beta, mean, var, k, s, d, eps))], atol=1e-6, rtol=1e-5)


def blur_case(name, b, c, h, w, kh, kw):
    x = uniform(0.0, 1.0, b, c, h, w)
    k = uniform(0.0, 1.0, b, kh, kw)
    add(name, "convolution::blur_kernel_convolution",
        [("B", b), ("C", c), ("H", h), ("W", w), ("KH", kh), ("KW", kw)], [],
        [("x", x), ("k", k)], [("y", blur_circular(x, k))])


def map_case(name, s, c, h, w, h0, w0, p=0.4, empty_shot=None):
    feat = normal(s, c, h, w, mean=0.5)
    mask = bernoulli(p, s, h0, w0)
    if empty_shot is not None:
        mask[empty_shot] = 0.0
    add(name, "pooling::masked_average_pooling",
        [("S", s), ("C", c), ("H", h), ("W", w), ("H0", h0), ("W0", w0)], [("eps", 1e-5)],
        [("feat", feat), ("mask", mask)], [("proto", masked_avg_pool(feat, mask, 1e-5))])


def cos_case(name, b, c, k, h, w, tau=10.0, zero_pixel=False):
    feat = normal(b, c, h, w)
    kernels = normal(k, c)
    if zero_pixel:
        feat[0, :, 0, 0] = 0.0      # norm clamped at 1e-8: logit 0
    add(name, "matmul::cosine_kernel_segmentation_logits",
        [("B", b), ("C", c), ("K", k), ("H", h), ("W", w)], [("tau", tau)],
        [("feat", feat), ("kernels", kernels)], [("logit", cosine_logits(feat, kernels, tau))],
        atol=1e-6, rtol=1e-5)


ENABLED = ["pconv", "dsconv", "blur", "map", "cos"]

if "pconv" in ENABLED:
    pconv_case("partial_conv3x3_matches_numpy", 2, 8, 5, 6)
    pconv_case("partial_conv3x3_floor_cp_matches_numpy", 1, 11, 4, 3)
if "dsconv" in ENABLED:
    dsconv_case("yolov13_dsconv_bn_silu_s2_matches_numpy", 2, 4, 6, 7, 6)
    dsconv_case("yolov13_dsconv_bn_silu_s1_k5_matches_numpy", 1, 3, 5, 5, 6, k=5, s=1)
if "blur" in ENABLED:
    blur_case("blur_kernel_convolution_matches_numpy", 2, 2, 9, 8, 3, 5)
    blur_case("blur_kernel_convolution_full_kernel_matches_numpy", 1, 1, 5, 7, 5, 7)
if "map" in ENABLED:
    map_case("masked_average_pooling_downsample_matches_numpy", 2, 5, 4, 6, 11, 13)
    map_case("masked_average_pooling_upsample_empty_shot_matches_numpy", 3, 4, 7, 5, 3, 4, empty_shot=1)
if "cos" in ENABLED:
    cos_case("cosine_kernel_segmentation_logits_matches_numpy", 2, 7, 4, 3, 5)
    cos_case("cosine_kernel_segmentation_logits_zero_pixel_matches_numpy", 1, 5, 3, 2, 2, tau=2.5, zero_pixel=True)


from rustlit import emit  # noqa: E402  (shared literal emitter; this folder is on sys.path)

if __name__ == "__main__":
    assert len({c[0] for c in CASES}) == len(CASES), "duplicate test names"
    emit(CASES, OUT, "gen_paper_ops.py", "oracle_paper_ops.rs")
