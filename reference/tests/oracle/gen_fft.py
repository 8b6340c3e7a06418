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


def lit(v):
    v = float(v)
    if math.isnan(v):
        return "f64::NAN"
    if math.isinf(v):
        return "f64::INFINITY" if v > 0 else "f64::NEG_INFINITY"
    s = "%.9g" % v
    if not any(ch in s for ch in ".en"):
        s += ".0"
    return s


def lit32(v):
    s = lit(v).replace("f64::", "f32::")
    assert math.isinf(float(v)) or np.float32(float(s)) == np.float32(v), (v, s)
    return s


def values(vals, fmt, indent="        "):
    vals = [fmt(v) for v in np.asarray(vals).ravel()]
    lines, line = [], []
    for s in vals:
        line.append(s)
        if len(line) == 10:
            lines.append(indent + ", ".join(line) + ",")
            line = []
    if line:
        lines.append(indent + ", ".join(line) + ",")
    return "\n".join(lines)


def tensor(name, arr, fmt, ty):
    shape = ", ".join(str(s) for s in arr.shape)
    return f'        ("{name}", &[{shape}], &[\n{values(arr, fmt, "            ")}\n        ]),'


HEADER = '''\
//! GENERATED by reference/tests/oracle/gen_fft.py: do not edit by hand.
//! Regenerate (from the repository root):
//!     .venv/bin/python reference/tests/oracle/gen_fft.py
//!
//! Small operator cases whose expected outputs were computed independently with numpy in
//! float64. Inputs are exact f32 values; expected outputs are rounded to 9 significant digits.
//! This file is a module of tests/oracle_fft.rs (which runs every case); cargo also builds it
//! as an empty test target of its own, so it must stay self-contained.
#![allow(dead_code, unused_macros, clippy::excessive_precision)] // inputs are f32 printed with 9 digits

/// An attribute value.
#[derive(Clone, Copy, Debug)]
pub enum Attr {
    /// An integer attribute.
    Int(i64),
    /// A float attribute.
    Float(f64),
}

/// One operator case: inputs and expected outputs, all row-major.
#[derive(Debug)]
pub struct Case {
    /// The test that runs this case.
    pub test: &'static str,
    /// Registry path `<category>::<name>`.
    pub op: &'static str,
    /// Declared dimensions by name.
    pub dims: &'static [(&'static str, i64)],
    /// Attributes by name.
    pub attrs: &'static [(&'static str, Attr)],
    /// Inputs in spec order: (name, shape, f32 values).
    pub inputs: &'static [(&'static str, &'static [usize], &'static [f32])],
    /// Expected outputs in spec order: (name, shape, values).
    pub outputs: &'static [(&'static str, &'static [usize], &'static [f64])],
    /// Absolute tolerance.
    pub atol: f64,
    /// Relative tolerance.
    pub rtol: f64,
}
'''


def emit():
    parts = [HEADER]
    for test, const, op, dims, attrs, inputs, outputs, atol, rtol in CASES:
        dims_s = ", ".join(f'("{n}", {v})' for n, v in dims)
        attr_items = []
        for n, v in attrs:
            if isinstance(v, float):
                attr_items.append(f'("{n}", Attr::Float({lit(v)}))')
            else:
                attr_items.append(f'("{n}", Attr::Int({int(v)}))')
        ins = "\n".join(tensor(n, a, lit32, "f32") for n, a in inputs)
        outs = "\n".join(tensor(n, np.asarray(a, dtype=np.float64), lit, "f64") for n, a in outputs)
        parts.append(f'''
#[rustfmt::skip]
pub const {const}: Case = Case {{
    test: "{test}",
    op: "{op}",
    dims: &[{dims_s}],
    attrs: &[{", ".join(attr_items)}],
    inputs: &[
{ins}
    ],
    outputs: &[
{outs}
    ],
    atol: {lit(atol)},
    rtol: {lit(rtol)},
}};
''')
    names = [c[1] for c in CASES]
    parts.append("\n/// Every case, in generation order.\n#[rustfmt::skip]\npub static ALL_CASES: &[&Case] = &[\n"
                 + "".join(f"    &{n},\n" for n in names) + "];\n")
    pairs = "".join(f"            {c[0]} => {c[1]},\n" for c in CASES)
    parts.append(f'''
/// Calls `$m! {{ test_name => CASE, ... }}` with every case (used to define one #[test] each).
#[rustfmt::skip]
macro_rules! for_each_case {{
    ($m:ident) => {{
        $m! {{
{pairs}        }}
    }};
}}
''')
    text = "".join(parts)
    with open(OUT, "w") as f:
        f.write(text)
    print(f"wrote {os.path.normpath(OUT)}: {len(CASES)} cases, {len(text)} bytes")


if __name__ == "__main__":
    assert len({c[0] for c in CASES}) == len(CASES), "duplicate test names"
    emit()
