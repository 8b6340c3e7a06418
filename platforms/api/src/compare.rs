//! The one comparator: `|out − ref| ≤ atol + rtol·|ref|` elementwise (DESIGN.md §5).
//!
//! NaN or ±Inf in the reference must be matched exactly (same class, same sign); NaN where the
//! reference is finite fails. Elements whose bits still equal the poison pattern the worker wrote
//! before the call are counted separately as "unwritten", since that is a different bug (and a
//! different message to the model) than a wrong value.

use kernelsmith_reference::{Data, Tensor};
use kernelsmith_tasks::Tolerance;
use serde::Serialize;

/// The quiet-NaN bit pattern outputs are filled with before every call (f32).
pub const POISON_F32: u32 = 0x7FC0_DEAD;
/// The f16/bf16 poison: a quiet NaN in both formats.
pub const POISON_HALF: u16 = 0x7FD5;
/// The byte outputs of integer dtypes are filled with.
pub const POISON_BYTE: u8 = 0xA5;

/// One failing element.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BadElement {
    /// Output tensor name.
    pub output: String,
    /// Flat row-major index.
    pub index: usize,
    /// The same index per axis.
    pub position: Vec<usize>,
    /// The candidate's value.
    pub got: f64,
    /// The reference value.
    pub expected: f64,
}

/// The comparison of one output tensor.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    /// Elements outside tolerance (unwritten ones included).
    pub n_bad: u64,
    /// Elements still holding the poison.
    pub n_unwritten: u64,
    /// Worst |out − ref| over finite pairs.
    pub max_abs_err: f64,
    /// Worst |out − ref| / |ref| over finite pairs with ref ≠ 0.
    pub max_rel_err: f64,
    /// Up to five failing elements, first first.
    pub first_bad: Vec<BadElement>,
}

impl Comparison {
    /// Whether the output passed.
    pub fn passed(&self) -> bool {
        self.n_bad == 0
    }
}

fn unravel(mut index: usize, shape: &[usize]) -> Vec<usize> {
    let mut pos = vec![0; shape.len()];
    for (axis, &n) in shape.iter().enumerate().rev() {
        if n > 0 {
            pos[axis] = index % n;
            index /= n;
        }
    }
    pos
}

fn is_poison(data: &Data, i: usize) -> bool {
    match data {
        Data::F32(v) => v[i].to_bits() == POISON_F32,
        Data::F16(v) => v[i].to_bits() == POISON_HALF,
        Data::BF16(v) => v[i].to_bits() == POISON_HALF,
        Data::I8(v) => v[i] as u8 == POISON_BYTE,
        Data::U8(v) => v[i] == POISON_BYTE,
        Data::I32(v) => v[i] as u32 == u32::from_ne_bytes([POISON_BYTE; 4]),
        Data::I64(v) => v[i] as u64 == u64::from_ne_bytes([POISON_BYTE; 8]),
    }
}

/// Compare `got` against `expected` (same dtype and shape, checked by the caller).
pub fn compare(name: &str, got: &Tensor, expected: &Tensor, tol: Tolerance) -> Comparison {
    let n = expected.numel().min(got.numel());
    let float = expected.dtype().is_float();
    match (&got.data, &expected.data) {
        // The common case gets a monomorphic loop: no per-element dtype dispatch.
        (Data::F32(g), Data::F32(e)) => compare_with(name, &expected.shape, n, true, tol, |i| {
            (g[i] as f64, e[i] as f64, g[i].to_bits() == POISON_F32)
        }),
        _ => compare_with(name, &expected.shape, n, float, tol, |i| {
            (got.data.get_f64(i), expected.data.get_f64(i), is_poison(&got.data, i))
        }),
    }
}

fn compare_with(
    name: &str,
    shape: &[usize],
    n: usize,
    float: bool,
    tol: Tolerance,
    at: impl Fn(usize) -> (f64, f64, bool),
) -> Comparison {
    let mut c = Comparison { n_bad: 0, n_unwritten: 0, max_abs_err: 0.0, max_rel_err: 0.0, first_bad: Vec::new() };
    for i in 0..n {
        let (g, e, poison_bits) = at(i);
        let poison = poison_bits && !(float && e.is_nan());
        // An integer output may legitimately equal the poison byte pattern; a float never may.
        let ok = if poison && (float || g != e) {
            c.n_unwritten += 1;
            false
        } else if e.is_nan() {
            g.is_nan()
        } else if e.is_infinite() {
            g == e
        } else if !g.is_finite() {
            false
        } else {
            let d = (g - e).abs();
            c.max_abs_err = c.max_abs_err.max(d);
            if e != 0.0 {
                c.max_rel_err = c.max_rel_err.max(d / e.abs());
            }
            d <= tol.atol + tol.rtol * e.abs()
        };
        if !ok {
            c.n_bad += 1;
            if c.first_bad.len() < 5 {
                c.first_bad.push(BadElement {
                    output: name.into(),
                    index: i,
                    position: unravel(i, shape),
                    got: g,
                    expected: e,
                });
            }
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(v: &[f32]) -> Tensor {
        Tensor::from_f32(vec![v.len()], v.to_vec())
    }
    const TOL: Tolerance = Tolerance { atol: 1e-3, rtol: 1e-2 };

    #[test]
    fn within_atol_plus_rtol_passes_and_just_outside_fails() {
        // bound at |ref| = 10 is 1e-3 + 0.1 = 0.101
        assert!(compare("y", &t(&[10.1]), &t(&[10.0]), TOL).passed());
        let c = compare("y", &t(&[10.11]), &t(&[10.0]), TOL);
        assert!(!c.passed());
        assert_eq!(c.first_bad[0].index, 0);
        assert!((c.max_abs_err - 0.11).abs() < 1e-5);
        assert!((c.max_rel_err - 0.011).abs() < 1e-6);
    }

    #[test]
    fn nan_and_infinities_must_match_in_kind() {
        assert!(compare("y", &t(&[f32::INFINITY, f32::NAN]), &t(&[f32::INFINITY, f32::NAN]), TOL).passed());
        assert!(!compare("y", &t(&[f32::NEG_INFINITY]), &t(&[f32::INFINITY]), TOL).passed());
        assert!(!compare("y", &t(&[f32::NAN]), &t(&[1.0]), TOL).passed());
        assert!(!compare("y", &t(&[1.0]), &t(&[f32::NAN]), TOL).passed());
    }

    #[test]
    fn poison_left_in_place_is_counted_as_unwritten_with_its_position() {
        let mut got = vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0];
        got[4] = f32::from_bits(POISON_F32);
        let g = Tensor::from_f32(vec![2, 3], got);
        let e = Tensor::from_f32(vec![2, 3], vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        let c = compare("y", &g, &e, TOL);
        assert_eq!((c.n_bad, c.n_unwritten), (1, 1));
        assert_eq!(c.first_bad[0].position, vec![1, 1]);
    }

    #[test]
    fn integer_outputs_compare_exactly_and_detect_poison() {
        use kernelsmith_reference::Data;
        let exact = Tolerance { atol: 0.0, rtol: 0.0 };
        let e = Tensor::new(vec![3], Data::I32(vec![1, -2, 3])).unwrap();
        assert!(compare("q", &e, &e, exact).passed());
        let poison = i32::from_ne_bytes([POISON_BYTE; 4]);
        let g = Tensor::new(vec![3], Data::I32(vec![1, poison, 4])).unwrap();
        let c = compare("q", &g, &e, exact);
        assert_eq!((c.n_bad, c.n_unwritten), (2, 1));
    }

    #[test]
    fn all_zero_output_fails_for_nonzero_reference() {
        let c = compare("y", &t(&[0.0; 4]), &t(&[0.5, -0.25, 0.0, 2.0]), TOL);
        assert_eq!(c.n_bad, 3);
        assert_eq!(c.first_bad.iter().map(|b| b.index).collect::<Vec<_>>(), vec![0, 1, 3]);
    }
}
