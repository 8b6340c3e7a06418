#!/usr/bin/env python3
"""Generate reference/tests/fixtures_fft.rs: numpy cases for the fft_spectral operators fftshift,
std_dct2_ii_unnormalized, fft2, ifft2 and rfft2.

Regenerate (from the repository root):
    .venv/bin/python reference/tests/oracle/gen_fft.py

Byte-for-byte reproducible: fixed seed, no timestamps; every generated item carries
#[rustfmt::skip]. Expected outputs are computed INDEPENDENTLY of the Rust reference operators
(which are direct O(N^2) DFTs): numpy.fft (pocketfft) in float64 for fft2 / ifft2 / rfft2 /
fftshift, and the DCT-II through an FFT of the even extension [x, reversed(x)] (Makhoul), not a
cosine sum. Inputs are float32 values printed with 9 significant digits (exact round trip);
outputs rounded to 9 digits. Small cases include odd and length-1 axes.
"""

import math
import os

import numpy as np

RNG = np.random.default_rng(20251125)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures_fft.rs")

# |got - exp| <= ATOL + RTOL*|exp|: both sides are f64 computations of the same f32 inputs and
# differ by f32 output rounding (~6e-8 relative) plus summation order (~1e-14).
ATOL, RTOL = 1e-6, 1e-6

CASES = []  # (test_name, const_name, op_path, dims, attrs, inputs, outputs, atol, rtol)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def normal(*shape, mean=0.0, scale=1.0):
    return f32(RNG.normal(mean, scale, size=shape))


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


def dct2_1d(a, axis):
    """Unnormalised DCT-II along `axis` via the FFT of the even extension:
    X[k] = Re(exp(-i*pi*k/(2L)) * FFT([a, a[::-1]])[k]) = 2 * sum_n a[n] cos(pi*k*(2n+1)/(2L))."""
    a = np.moveaxis(a, axis, -1)
    L = a.shape[-1]
    y = np.fft.fft(np.concatenate([a, a[..., ::-1]], axis=-1), axis=-1)[..., :L]
    k = np.arange(L)
    return np.moveaxis(np.real(np.exp(-1j * np.pi * k / (2 * L)) * y), -1, axis)


def dims3(a, names=("B", "M", "N")):
    return list(zip(names, a.shape))


# ----------------------------------------------------------------------------- cases

for tag, shape in [("even", (2, 6, 10)), ("odd", (1, 7, 9)), ("single_row", (1, 1, 5))]:
    x = normal(*shape)
    add(f"fftshift_{tag}_matches_numpy", "fft_spectral::fftshift", dims3(x), [], [("x", x)],
        [("y", np.fft.fftshift(f64(x), axes=(-2, -1)))], atol=0.0, rtol=1e-8)

for tag, shape in [("square", (2, 8, 8)), ("odd", (1, 7, 9)), ("single_row", (1, 1, 4))]:
    x = normal(*shape)
    add(f"std_dct2_ii_unnormalized_{tag}_matches_numpy", "fft_spectral::std_dct2_ii_unnormalized",
        dims3(x, ("B", "H", "W")), [], [("x", x)], [("X", dct2_1d(dct2_1d(f64(x), -1), -2))], atol=1e-5)

for tag, shape in [("square", (2, 8, 8)), ("odd", (1, 7, 9)), ("single_row", (1, 1, 6))]:
    x = normal(*shape)
    z = np.fft.fft2(f64(x))
    add(f"fft2_{tag}_matches_numpy", "fft_spectral::fft2", dims3(x), [], [("x", x)],
        [("re", z.real), ("im", z.imag)], atol=1e-5)

for tag, shape in [("square", (1, 8, 8)), ("odd", (1, 7, 9)), ("single_col", (2, 5, 1))]:
    re, im = normal(*shape), normal(*shape)
    z = np.fft.ifft2(f64(re) + 1j * f64(im))
    add(f"ifft2_{tag}_matches_numpy", "fft_spectral::ifft2", dims3(re), [], [("re", re), ("im", im)],
        [("out_re", z.real), ("out_im", z.imag)], atol=1e-7)

for tag, shape in [("square", (1, 8, 8)), ("odd", (1, 7, 9)), ("odd_rows_even_cols", (2, 5, 6))]:
    x = normal(*shape)
    z = np.fft.rfft2(f64(x))
    add(f"rfft2_{tag}_matches_numpy", "fft_spectral::rfft2", dims3(x), [], [("x", x)],
        [("re", z.real), ("im", z.imag)], atol=1e-5)


from rustlit import emit  # noqa: E402  (shared literal emitter; this folder is on sys.path)

if __name__ == "__main__":
    assert len({c[0] for c in CASES}) == len(CASES), "duplicate test names"
    emit(CASES, OUT, "gen_fft.py", "oracle_fft.rs")
