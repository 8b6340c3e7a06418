#!/usr/bin/env python3
"""Generate reference/tests/fixtures_fft_deblur.rs: numpy cases for the fft_spectral operators
irfft2, ifftshift, fftfreq, rfftfreq, wiener_deconvolution_fft, deeprft_res_fft_relu_block and
deeprftv2_fourier_kernel_feature_conv.

Regenerate (from the repository root):
    .venv/bin/python reference/tests/oracle/gen_fft_deblur.py

Byte-for-byte reproducible: fixed seed, no timestamps; every generated item carries
#[rustfmt::skip]. Expected outputs are computed INDEPENDENTLY of the Rust reference operators
(direct DFT sums / mixed-radix DFTs in Rust): numpy.fft (pocketfft) in float64 — irfft2 is
numpy's own irfft2 fed with NON-Hermitian half spectra (its C2R rule is what the tasks define),
fftfreq / rfftfreq are numpy's, psf2otf is pad + np.roll + fft2, 1x1 convolutions are einsums
and the 3x3 convolution is a sum of zero-padded shifted slices. Inputs are float32 values printed
with 9 significant digits (exact round trip); outputs rounded to 9 digits.
"""

import os

import numpy as np

RNG = np.random.default_rng(20251126)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures_fft_deblur.rs")

# |got - exp| <= ATOL + RTOL*|exp|: both sides are f64 computations of the same f32 inputs and
# differ by the f32 output rounding (~6e-8 relative) plus summation order (~1e-13).
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
    CASES.append((test_name, const, op, dims, attrs, inputs, outputs, atol, rtol))


# ----------------------------------------------------------------------------- numpy oracles


def psf2otf(k, H, W):
    """Kernel at the top-left of an HxW zero array, centre rolled to (0, 0), then fft2."""
    kh, kw = k.shape
    pad = np.zeros((H, W))
    pad[:kh, :kw] = k
    pad = np.roll(pad, (-(kh // 2), -(kw // 2)), axis=(0, 1))
    return np.fft.fft2(pad)


def wiener(y, k, lam, grad_prior):
    B, C, H, W = y.shape
    out = np.zeros_like(y)
    u = np.arange(H)[:, None]
    v = np.arange(W)[None, :]
    for b in range(B):
        K = psf2otf(k[b], H, W)
        if grad_prior:
            D = lam[b] * (4 * np.sin(np.pi * u / H) ** 2 + 4 * np.sin(np.pi * v / W) ** 2)
        else:
            D = lam[b] * np.ones((H, W))
        for c in range(C):
            Y = np.fft.fft2(y[b, c])
            out[b, c] = np.fft.ifft2(np.conj(K) * Y / (np.abs(K) ** 2 + D)).real
    return out


def conv3x3(x, w):
    """Cross-correlation, stride 1, zero padding 1: sum over taps of shifted padded slices."""
    N, C, H, W = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    y = np.zeros((N, w.shape[0], H, W))
    for du in range(3):
        for dv in range(3):
            y += np.einsum("oc,nchw->nohw", w[:, :, du, dv], xp[:, :, du:du + H, dv:dv + W])
    return y


def deeprft_block(x, ws1, ws2, wf1, wf2):
    N, C, H, W = x.shape
    X = np.fft.rfft2(x)
    Z = np.concatenate([X.real, X.imag], axis=1)
    Z = np.einsum("oj,njuv->nouv", wf2, np.maximum(np.einsum("jc,ncuv->njuv", wf1, Z), 0.0))
    f = np.fft.irfft2(Z[:, :C] + 1j * Z[:, C:], s=(H, W))
    s = conv3x3(np.maximum(conv3x3(x, ws1), 0.0), ws2)
    return x + s + f


def deeprftv2_fke(x, y, we, ln_w, ln_b, wk, bk):
    Cd = y.shape[1]
    X = np.fft.rfft2(x)
    E = np.einsum("oc,bcuv->bouv", we, np.concatenate([X.real, X.imag], axis=1))
    mu = E.mean(axis=1, keepdims=True)
    var = ((E - mu) ** 2).mean(axis=1, keepdims=True)
    G = (E - mu) / np.sqrt(var + 1e-6) * ln_w[None, :, None, None] + ln_b[None, :, None, None]
    O = np.einsum("jo,bouv->bjuv", wk, G) + bk[None, :, None, None]
    K = O[:, :Cd] + 1j * O[:, Cd:]
    return np.fft.irfft2(np.fft.rfft2(y) * K)  # default s: (H, 2*(Wh - 1)) = (H, W) for even W


def dims_of(names, *values):
    return list(zip(names, values))


# ----------------------------------------------------------------------------- cases

for tag, (B, M, N) in [("square", (1, 8, 8)), ("odd", (1, 7, 9)), ("odd_rows_even_cols", (2, 5, 6)),
                       ("single_col", (1, 6, 1))]:
    Nh = N // 2 + 1
    re, im = normal(B, M, Nh), normal(B, M, Nh)  # arbitrary: NOT Hermitian (DC/Nyquist imag != 0)
    x = np.fft.irfft2(f64(re) + 1j * f64(im), s=(M, N))
    add(f"irfft2_{tag}_matches_numpy", "fft_spectral::irfft2", dims_of("BMN", B, M, N), [],
        [("re", re), ("im", im)], [("x", x)], atol=1e-7)

for tag, shape in [("even", (2, 6, 10)), ("odd", (1, 7, 9)), ("single_row", (1, 1, 5))]:
    x = normal(*shape)
    add(f"ifftshift_{tag}_matches_numpy", "fft_spectral::ifftshift", dims_of("BMN", *shape), [], [("x", x)],
        [("y", np.fft.ifftshift(f64(x), axes=(-2, -1)))], atol=0.0, rtol=1e-8)

for tag, (B, N) in [("even", (3, 8)), ("odd", (2, 9)), ("single", (1, 1))]:
    d = uniform(0.5, 2.0, B)
    add(f"fftfreq_{tag}_matches_numpy", "fft_spectral::fftfreq", dims_of("BN", B, N), [], [("d", d)],
        [("f", np.stack([np.fft.fftfreq(N, d=float(db)) for db in d]))], atol=0.0)
    add(f"rfftfreq_{tag}_matches_numpy", "fft_spectral::rfftfreq", dims_of("BN", B, N), [], [("d", d)],
        [("f", np.stack([np.fft.rfftfreq(N, d=float(db)) for db in d]))], atol=0.0)

for tag, (B, C, H, W, KH, KW), gp in [("tikhonov", (1, 2, 12, 10, 5, 3), 0),
                                      ("grad_prior_odd", (2, 1, 9, 11, 3, 5), 1),
                                      ("tikhonov_full_kernel", (1, 1, 7, 5, 7, 5), 0)]:
    y = uniform(0.0, 1.0, B, C, H, W)
    k = uniform(0.0, 0.04, B, KH, KW)
    lam = uniform(0.005, 0.05, B)
    add(f"wiener_deconvolution_fft_{tag}_matches_numpy", "fft_spectral::wiener_deconvolution_fft",
        dims_of(["B", "C", "H", "W", "KH", "KW"], B, C, H, W, KH, KW), [("grad_prior", gp)],
        [("y", y), ("k", k), ("lam", lam)], [("x", wiener(f64(y), f64(k), f64(lam), gp))])

for tag, (N, C, H, W) in [("odd_width", (1, 2, 8, 7)), ("even", (1, 3, 6, 8))]:
    x = normal(N, C, H, W)
    ws1, ws2 = uniform(-0.06, 0.06, C, C, 3, 3), uniform(-0.06, 0.06, C, C, 3, 3)
    wf1, wf2 = uniform(-0.15, 0.15, 2 * C, 2 * C), uniform(-0.15, 0.15, 2 * C, 2 * C)
    add(f"deeprft_res_fft_relu_block_{tag}_matches_numpy", "fft_spectral::deeprft_res_fft_relu_block",
        dims_of("NCHW", N, C, H, W), [],
        [("x", x), ("Ws1", ws1), ("Ws2", ws2), ("Wf1", wf1), ("Wf2", wf2)],
        [("y", deeprft_block(f64(x), f64(ws1), f64(ws2), f64(wf1), f64(wf2)))])

for tag, (B, Cw, Cd, H, W) in [("square", (1, 3, 2, 6, 8)), ("odd_rows", (2, 2, 2, 5, 6))]:
    x, y = normal(B, Cw, H, W), normal(B, Cd, H, W)
    we = uniform(-0.2, 0.2, Cw, 2 * Cw)
    ln_w, ln_b = uniform(0.5, 1.5, Cw), uniform(-0.1, 0.1, Cw)
    wk, bk = uniform(-0.3, 0.3, 2 * Cd, Cw), uniform(-0.1, 0.1, 2 * Cd)
    z = deeprftv2_fke(f64(x), f64(y), f64(we), f64(ln_w), f64(ln_b), f64(wk), f64(bk))
    add(f"deeprftv2_fourier_kernel_feature_conv_{tag}_matches_numpy",
        "fft_spectral::deeprftv2_fourier_kernel_feature_conv",
        dims_of(["B", "Cw", "Cd", "H", "W"], B, Cw, Cd, H, W), [],
        [("x", x), ("y", y), ("We", we), ("ln_w", ln_w), ("ln_b", ln_b), ("Wk", wk), ("bk", bk)], [("z", z)])


from rustlit import emit  # noqa: E402  (shared literal emitter; this folder is on sys.path)

if __name__ == "__main__":
    assert len({c[0] for c in CASES}) == len(CASES), "duplicate test names"
    emit(CASES, OUT, "gen_fft_deblur.py", "oracle_fft_deblur.rs")
