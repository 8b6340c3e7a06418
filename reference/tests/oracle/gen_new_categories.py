#!/usr/bin/env python3
"""Generate reference/tests/fixtures_new_categories.rs: numpy cases for the first operators of
four categories: loss::spark_masked_patch_recon_loss, sparse::sparse_batchnorm2d,
kernel_methods::snnk_random_feature_layer and quantized::int8_pointwise_conv2d_requant.

Regenerate (from the repository root):
    .venv/bin/python reference/tests/oracle/gen_new_categories.py

Byte-for-byte reproducible: fixed seed, no timestamps; every generated item carries
#[rustfmt::skip]. Expected outputs are computed INDEPENDENTLY of the Rust reference operators,
from the catalogue definitions (shared/operators.md): float operators in float64 with
whole-array numpy expressions (SparK's patchify is done literally with reshape/transpose, the
sparse BatchNorm gathers the visible [n, C] rows like the official code); the int8 operator in
exact int64 numpy arithmetic with the requantisation written as explicit round-half rules (not
as a transcription of the gemmlowp bit tricks). Float inputs are f32 printed with 9 significant
digits (exact round trip); float outputs rounded to 9 digits; integer values are exact.
"""

import math
import os

import numpy as np

RNG = np.random.default_rng(20251125)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures_new_categories.rs")

# |got - exp| <= ATOL + RTOL*|exp| for float outputs: both sides are f64 computations of the same
# f32 inputs and differ by f32 output rounding (~6e-8 relative) plus summation order.
ATOL, RTOL = 1e-6, 1e-5

CASES = []  # (test_name, const_name, op_path, dims, attrs, inputs, outputs, atol, rtol)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def normal(*shape, mean=0.0, scale=1.0):
    return f32(RNG.normal(mean, scale, size=shape))


def uniform(lo, hi, *shape):
    return f32(RNG.uniform(lo, hi, size=shape))


def f64(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def add(test_name, op, dims, attrs, inputs, outputs, atol=ATOL, rtol=RTOL):
    const = test_name.upper()
    if const.endswith("_MATCHES_NUMPY"):
        const = const[: -len("_MATCHES_NUMPY")]
    for name, arr in inputs:
        assert arr.dtype in (np.float32, np.uint8, np.int8, np.int32), (name, arr.dtype)
    CASES.append((test_name, const, op, dims, attrs, inputs, outputs, atol, rtol))


# ----------------------------------------------------------------------------- numpy oracles


def spark_loss(inp, rec, active):
    inp, rec = f64(inp), f64(rec)
    b, c, h, w = inp.shape
    f = active.shape[-1]
    p = h // f

    def patchify(z):  # official SparK.patchify: (B, C, f, p, f, p) -> (B, f*f, p*p*C)
        z = z.reshape(b, c, f, p, f, p)
        z = np.einsum("bchpwq->bhwpqc", z)
        return z.reshape(b, f * f, p * p * c)

    I, R = patchify(inp), patchify(rec)
    mean = I.mean(axis=-1, keepdims=True)
    var = I.var(axis=-1, ddof=1, keepdims=True)
    I = (I - mean) / np.sqrt(var + 1e-6)
    e = ((R - I) ** 2).mean(axis=-1)                                 # (B, L)
    non_active = 1.0 - active.reshape(b, f * f).astype(np.float64)
    return np.array([(e * non_active).sum() / (non_active.sum() + 1e-8)])


def sparse_bn(x, active, gamma, beta, rmean, rvar, eps, momentum):
    x = f64(x)
    b, c, h, w = x.shape
    f = active.shape[-1]
    act = np.repeat(np.repeat(active.astype(bool), h // f, axis=2), w // f, axis=3)[:, 0]   # (B, H, W)
    rows = x.transpose(0, 2, 3, 1)[act]                                 # (n, C), like sp_bn_forward
    n = rows.shape[0]
    mu, var = rows.mean(axis=0), rows.var(axis=0)
    yrows = (rows - mu) / np.sqrt(var + eps) * f64(gamma) + f64(beta)
    y = np.zeros((b, h, w, c))
    y[act] = yrows
    new_mean = (1 - momentum) * f64(rmean) + momentum * mu
    new_var = (1 - momentum) * f64(rvar) + momentum * rows.var(axis=0, ddof=1)
    return y.transpose(0, 3, 1, 2), new_mean, new_var, n


def snnk(X, W, Om):
    X, W, Om = f64(X), f64(W), f64(Om)
    m = Om.shape[0]
    phi = np.exp(X @ Om.T - 0.5 * (X * X).sum(axis=1, keepdims=True)) / math.sqrt(m)
    psi = np.exp(W @ Om.T - 0.5 * (W * W).sum(axis=1, keepdims=True)) / math.sqrt(m)
    return phi @ psi.T


def round_half_away_pow2(x, e):
    """x / 2^e rounded to nearest, ties away from zero (e >= 0), exact int64."""
    if e == 0:
        return x
    mag = (np.abs(x) + (1 << (e - 1))) >> e
    return np.sign(x) * mag


def int8_pw(xq, wq, bias, M0, shift, zx, zy, act_min, act_max):
    acc = (xq.astype(np.int64) - zx) @ wq.astype(np.int64).T + bias.astype(np.int64)   # (..., Cout)
    assert np.abs(acc).max() < 2**31
    out = np.empty_like(acc)
    for o in range(wq.shape[0]):
        s = int(shift[o])
        a = acc[..., o] * (1 << max(s, 0))
        assert np.abs(a).max() < 2**31
        ab = a * np.int64(M0[o])
        # a·M0 / 2^31 rounded to nearest; ties: up for ab >= 0, toward zero for ab < 0 (gemmlowp nudge)
        hi = np.where(ab >= 0, (ab + (1 << 30)) >> 31, -((-ab + (1 << 30) - 1) >> 31))
        out[..., o] = round_half_away_pow2(hi, max(-s, 0))
    return np.clip(out + zy, act_min, act_max).astype(np.int8)


# ----------------------------------------------------------------------------- cases


def loss_case(name, b, c, hw, f, active=None):
    inp, rec = normal(b, c, hw, hw, mean=0.3, scale=1.5), normal(b, c, hw, hw)
    if active is None:
        active = (RNG.random((b, 1, f, f)) < 0.4).astype(np.uint8)
    add(name, "loss::spark_masked_patch_recon_loss", [("B", b), ("C", c), ("H", hw), ("W", hw), ("F", f)],
        [("eps_var", 1e-6), ("eps_den", 1e-8)], [("inp", inp), ("rec", rec), ("active", active)],
        [("loss", spark_loss(inp, rec, active))])


def sbn_case(name, b, c, h, w, f):
    x = normal(b, c, h, w, mean=0.5, scale=2.0)
    active = (RNG.random((b, 1, f, f)) < 0.4).astype(np.uint8)
    gamma, beta = uniform(0.5, 1.5, c), uniform(-0.5, 0.5, c)
    rmean, rvar = uniform(-0.5, 0.5, c), uniform(0.5, 1.5, c)
    y, nm, nv, n = sparse_bn(x, active, gamma, beta, rmean, rvar, 1e-5, 0.1)
    assert n >= 2
    add(name, "sparse::sparse_batchnorm2d", [("B", b), ("C", c), ("H", h), ("W", w), ("F", f)],
        [("eps", 1e-5), ("momentum", 0.1)],
        [("x", x), ("active", active), ("gamma", gamma), ("beta", beta), ("running_mean", rmean),
         ("running_var", rvar)],
        [("y", y), ("new_running_mean", nm), ("new_running_var", nv)])


def snnk_case(name, n, d, l, m, scale):
    X, W, Om = normal(n, d, scale=scale), normal(l, d, scale=scale), normal(m, d)
    add(name, "kernel_methods::snnk_random_feature_layer", [("N", n), ("d", d), ("L", l), ("M", m)], [],
        [("X", X), ("W", W), ("Om", Om)], [("Y", snnk(X, W, Om))], atol=1e-6, rtol=1e-5)


def int8_case(name, b, h, w, cin, cout, zx, zy, act_min, act_max, ties=False):
    if ties:  # small values, M0 = 2^30 (multiplier 0.5·2^shift): many exact ties of both signs
        xq = RNG.integers(-8, 9, size=(b, h, w, cin)).astype(np.int8)
        wq = RNG.integers(-8, 9, size=(cout, cin)).astype(np.int8)
        bias = RNG.integers(-50, 51, size=cout).astype(np.int32)
        M0 = np.full(cout, 1 << 30, dtype=np.int32)
        shift = RNG.integers(-3, 2, size=cout).astype(np.int32)
    else:
        xq = RNG.integers(-128, 128, size=(b, h, w, cin)).astype(np.int8)
        wq = RNG.integers(-127, 128, size=(cout, cin)).astype(np.int8)
        bias = RNG.integers(-20000, 20001, size=cout).astype(np.int32)
        M0 = RNG.integers(1 << 30, (1 << 31) - 1, size=cout).astype(np.int32)
        shift = RNG.integers(-12, -8, size=cout).astype(np.int32)
    yq = int8_pw(xq, wq, bias, M0, shift, zx, zy, act_min, act_max)
    assert (yq != 0).any()
    add(name, "quantized::int8_pointwise_conv2d_requant",
        [("B", b), ("H", h), ("W", w), ("Cin", cin), ("Cout", cout)],
        [("zx", zx), ("zy", zy), ("act_min", act_min), ("act_max", act_max)],
        [("xq", xq), ("wq", wq), ("bias", bias), ("M0", M0), ("shift", shift)], [("yq", yq)], atol=0.0, rtol=0.0)


loss_case("spark_masked_patch_recon_loss_matches_numpy", 2, 3, 8, 2)
loss_case("spark_masked_patch_recon_loss_odd_patch_matches_numpy", 2, 2, 9, 3)
loss_case("spark_masked_patch_recon_loss_all_visible_matches_numpy", 1, 3, 4, 2,
          active=np.ones((1, 1, 2, 2), dtype=np.uint8))
sbn_case("sparse_batchnorm2d_matches_numpy", 2, 4, 6, 6, 3)
sbn_case("sparse_batchnorm2d_nonsquare_matches_numpy", 3, 3, 4, 10, 2)
snnk_case("snnk_random_feature_layer_matches_numpy", 6, 8, 5, 16, 0.3)
snnk_case("snnk_random_feature_layer_odd_matches_numpy", 7, 5, 3, 9, 0.5)
int8_case("int8_pointwise_conv2d_requant_matches_numpy", 1, 3, 4, 16, 8, 3, -4, -128, 127)
int8_case("int8_pointwise_conv2d_requant_relu6_clamp_matches_numpy", 2, 2, 3, 12, 6, -5, 7, 7, 100)
int8_case("int8_pointwise_conv2d_requant_ties_matches_numpy", 1, 4, 5, 4, 7, 1, 2, -128, 127, ties=True)


# ----------------------------------------------------------------------------- emit Rust


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


def values(vals, fmt, indent):
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


def tensor(name, arr, kind):
    """kind: Rust variant name; floats as f32 (inputs) or f64 (outputs), integers exact."""
    shape = ", ".join(str(s) for s in arr.shape)
    fmt = {"F32": lit32, "F64": lit}.get(kind, lambda v: str(int(v)))
    return f'        ("{name}", &[{shape}], {kind}(&[\n{values(arr, fmt, "            ")}\n        ])),'


KIND = {np.dtype(np.float32): "F32", np.dtype(np.uint8): "U8", np.dtype(np.int8): "I8", np.dtype(np.int32): "I32"}

HEADER = '''\
//! GENERATED by reference/tests/oracle/gen_new_categories.py: do not edit by hand.
//! Regenerate (from the repository root):
//!     .venv/bin/python reference/tests/oracle/gen_new_categories.py
//!
//! Small operator cases whose expected outputs were computed independently with numpy (float64
//! for float operators, exact int64 for the int8 operator). Float inputs are exact f32 values;
//! float outputs are rounded to 9 significant digits; integer values are exact.
//! This file is a module of tests/oracle_new_categories.rs (which runs every case); cargo also
//! builds it as an empty test target of its own, so it must stay self-contained.
#![allow(dead_code, unused_macros, clippy::excessive_precision)] // inputs are f32 printed with 9 digits

pub use Expect::{F64, I8 as I8Out};
pub use Vals::{F32, I8, I32, U8};

/// An attribute value.
#[derive(Clone, Copy, Debug)]
pub enum Attr {
    /// An integer attribute.
    Int(i64),
    /// A float attribute.
    Float(f64),
}

/// Typed input values.
#[derive(Clone, Copy, Debug)]
pub enum Vals {
    /// f32 values.
    F32(&'static [f32]),
    /// u8 values.
    U8(&'static [u8]),
    /// i8 values.
    I8(&'static [i8]),
    /// i32 values.
    I32(&'static [i32]),
}

/// Expected output values.
#[derive(Clone, Copy, Debug)]
pub enum Expect {
    /// A float output (compared with the case tolerance).
    F64(&'static [f64]),
    /// An int8 output (compared exactly).
    I8(&'static [i8]),
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
    /// Inputs in spec order: (name, shape, values).
    pub inputs: &'static [(&'static str, &'static [usize], Vals)],
    /// Expected outputs in spec order: (name, shape, values).
    pub outputs: &'static [(&'static str, &'static [usize], Expect)],
    /// Absolute tolerance (float outputs).
    pub atol: f64,
    /// Relative tolerance (float outputs).
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
        ins = "\n".join(tensor(n, a, KIND[a.dtype]) for n, a in inputs)
        outs = "\n".join(
            tensor(n, a, "I8Out") if np.asarray(a).dtype == np.int8 else tensor(n, np.asarray(a, dtype=np.float64), "F64")
            for n, a in outputs)
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
