#!/usr/bin/env python3
"""Generate reference/tests/fixtures_activation.rs: elementwise activation cases computed with numpy.

Regenerate (from the repository root; ./scripts/test fails when the committed file is stale):
    .venv/bin/python reference/tests/oracle/gen_activation.py

The output must be byte-for-byte reproducible: fixed seed, no timestamps, no dependence on the
working directory, and every generated item carries #[rustfmt::skip] so `cargo fmt` leaves it alone.

Every expected output is computed INDEPENDENTLY of the Rust reference operators, in float64,
straight from the catalogue formulas (shared/operators.md, std_activations) written the plain
way: gelu_tanh with np.tanh (the reference uses 1 + tanh(u) = 2/(1 + e^(-2u))), silu and
sigmoid as 1/(1 + exp(-x)) (no overflow in float64 for |x| <= 90; the reference uses the
two-branch stable form), hardswish as an explicit three-piece np.where, relu6 with np.clip and
star_relu with np.maximum. Inputs are float32 values (numpy's own RNG, fixed seed) plus edge
values (0, -0, the kinks at +-3 and +-6, |x| up to 90), about 200 per case, printed with 9
significant digits so that they round-trip exactly; expected outputs are rounded to 9 digits.
"""

import math
import os

import numpy as np

RNG = np.random.default_rng(20240612)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures_activation.rs")

# Default comparison tolerance: |got - exp| <= ATOL + RTOL * |exp|.
ATOL, RTOL = 1e-6, 1e-5
# Per-case size: edge values first, then random fill.
SIZE = 200

CASES = []  # (test_name, const_name, op_path, dims, attrs, inputs, outputs, atol, rtol)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def f64(a):
    """The exact float64 value of float32 inputs (what the reference sees)."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def with_fill(edges, scale):
    """`edges` followed by N(0, scale^2) samples up to SIZE elements, as float32."""
    edges = f32(edges)
    assert len(edges) < SIZE
    return f32(np.concatenate([edges, RNG.normal(0.0, scale, size=SIZE - len(edges))]))


def add(test_name, op, x, y, attrs=(), atol=ATOL, rtol=RTOL):
    const = test_name.upper()
    if const.endswith("_MATCHES_NUMPY"):
        const = const[: -len("_MATCHES_NUMPY")]
    assert x.dtype == np.float32 and x.ndim == 1
    y = np.asarray(y, dtype=np.float64)
    assert y.shape == x.shape and not np.isnan(y).any(), test_name
    CASES.append((test_name, const, op, [("N", len(x))], list(attrs), [("x", x)], [("y", y)], atol, rtol))


# ----------------------------------------------------------------------------- numpy oracles

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def gelu_tanh(x):
    x = f64(x)
    return 0.5 * x * (1.0 + np.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)))


def gelu_erf(x):
    return np.array([0.5 * t * (1.0 + math.erf(t / math.sqrt(2.0))) for t in f64(x)])


def sigmoid(x):
    x = f64(x)
    assert np.abs(x).max() <= 700.0  # exp(-x) stays finite in float64
    return 1.0 / (1.0 + np.exp(-x))


def silu(x):
    return f64(x) * sigmoid(x)


def hardswish(x):
    x = f64(x)
    return np.where(x <= -3.0, 0.0, np.where(x >= 3.0, x, x * (x + 3.0) / 6.0))


def relu6(x):
    return np.clip(f64(x), 0.0, 6.0)


def star_relu(x, s, b):
    r = np.maximum(f64(x), 0.0)
    return s * r * r + b


# ----------------------------------------------------------------------------- cases

BIG = [30.0, -30.0, 90.0, -90.0, 88.0, -88.0, 1.0e-30, -1.0e-30]
ZEROS = [0.0, -0.0]

# activation::gelu_tanh
x = with_fill(ZEROS + BIG + list(np.linspace(-10.0, 10.0, 81)), 3.0)
y_tanh = gelu_tanh(x)
# The two GELU forms must be told apart by the task tolerance (atol 1e-6, rtol 1e-6).
diff = np.abs(y_tanh - gelu_erf(x))
assert (diff > 1e-6 + 1e-6 * np.abs(y_tanh)).any() and diff.max() > 1e-4, diff.max()
add("gelu_tanh_from_minus_90_to_90_matches_numpy", "activation::gelu_tanh", x, y_tanh)
x = with_fill(ZEROS, 0.5)
add("gelu_tanh_near_zero_matches_numpy", "activation::gelu_tanh", x, gelu_tanh(x))

# activation::silu
x = with_fill(ZEROS + BIG + list(np.linspace(-20.0, 20.0, 81)), 3.0)
add("silu_from_minus_90_to_90_matches_numpy", "activation::silu", x, silu(x))
# Far negative tail: tiny outputs keep their relative accuracy (no cancellation, no overflow).
x = f32(-np.concatenate([np.linspace(0.5, 85.0, 170), RNG.uniform(10.0, 85.0, 30)]))
add("silu_keeps_relative_accuracy_for_negative_inputs_matches_numpy", "activation::silu", x, silu(x),
    atol=0.0, rtol=1e-6)

# activation::sigmoid
x = with_fill(ZEROS + BIG + list(np.linspace(-20.0, 20.0, 81)), 3.0)
add("sigmoid_from_minus_90_to_90_matches_numpy", "activation::sigmoid", x, sigmoid(x))
x = f32(-np.concatenate([np.linspace(0.5, 85.0, 170), RNG.uniform(10.0, 85.0, 30)]))
add("sigmoid_keeps_relative_accuracy_for_negative_inputs_matches_numpy", "activation::sigmoid", x, sigmoid(x),
    atol=0.0, rtol=1e-6)

# activation::hardswish
kinks = [-3.0, 3.0, -6.0, 6.0, -2.999, -3.001, 2.999, 3.001, np.nextafter(np.float32(-3), np.float32(0)),
         np.nextafter(np.float32(3), np.float32(0)), -30.0, 30.0]
x = with_fill(ZEROS + kinks + list(np.linspace(-6.0, 6.0, 121)), 3.0)
add("hardswish_around_the_kinks_at_minus_3_and_3_matches_numpy", "activation::hardswish", x, hardswish(x))

# activation::relu6
clips = [6.0, -6.0, 5.999, 6.001, np.nextafter(np.float32(6), np.float32(0)),
         np.nextafter(np.float32(6), np.float32(7)), 1.0e-30, -1.0e-30, 30.0, -30.0, 90.0, -90.0]
x = with_fill(ZEROS + clips + list(np.linspace(-8.0, 8.0, 81)), 3.0)
add("relu6_around_0_and_6_matches_numpy", "activation::relu6", x, relu6(x))

# activation::star_relu: the task's rounded MetaFormer defaults, then the unrounded ones (so a
# kernel ignoring the attributes would fail one of the two).
x = with_fill(ZEROS + [30.0, -30.0, 1.0, -1.0, math.sqrt(0.5), -math.sqrt(0.5)] + list(np.linspace(-5.0, 5.0, 41)), 3.0)
add("star_relu_with_task_scalars_matches_numpy", "activation::star_relu", x, star_relu(x, 0.8944, -0.4472),
    attrs=[("s", 0.8944), ("b", -0.4472)])
s, b = 1.0 / math.sqrt(1.25), -0.5 / math.sqrt(1.25)
x = with_fill(ZEROS, 2.0)
add("star_relu_with_unrounded_metaformer_scalars_matches_numpy", "activation::star_relu", x, star_relu(x, s, b),
    attrs=[("s", s), ("b", b)])


# ----------------------------------------------------------------------------- emit Rust

from rustlit import emit  # noqa: E402  (shared literal emitter; this folder is on sys.path)


if __name__ == "__main__":
    assert len({c[0] for c in CASES}) == len(CASES), "duplicate test names"
    assert all(len(c[5][0][1]) == SIZE for c in CASES), "every case has SIZE inputs"
    emit(CASES, OUT, "gen_activation.py", "oracle_activation.rs")
