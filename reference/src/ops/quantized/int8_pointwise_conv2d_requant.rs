//! int8_pointwise_conv2d_requant: integer-only 1x1 convolution (an int8 GEMM over NHWC pixels)
//! with per-output-channel fixed-point requantisation, bit-exact TFLite / gemmlowp reference
//! semantics (AutoNeural depthwise-separable blocks; inferred).
//!
//! xq [B, H, W, Cin] i8, wq [Cout, Cin] i8, bias [Cout] i32, M0 [Cout] i32, shift [Cout] i32;
//! attributes zx (input zero point), zy (output zero point), act_min, act_max → yq [B, H, W, Cout] i8:
//!   acc[b,h,w,o] = bias[o] + Σ_{i<Cin} (xq[b,h,w,i] − zx) · wq[o,i]                (exact in i32)
//!   yq[b,h,w,o]  = clamp( MBQM(acc, M0[o], shift[o]) + zy, act_min, act_max )
//! with the gemmlowp helpers (i64 intermediates, no floating point anywhere):
//!   MBQM(x, M0, shift) = RDBPOT( SRDHM( x · 2^max(shift, 0), M0 ), max(−shift, 0) )
//!   SRDHM(a, b): if a == b == i32::MIN → i32::MAX; else ab = a·b (i64),
//!                nudge = ab ≥ 0 ? 2^30 : 1 − 2^30, result = (ab + nudge) / 2^31 truncated toward 0
//!   RDBPOT(x, e): mask = 2^e − 1, rem = x & mask, thr = (mask >> 1) + (x < 0 ? 1 : 0),
//!                result = (x >> e) + (rem > thr ? 1 : 0)          (arithmetic shift: round half away from 0)
//! The left shift x · 2^shift (shift > 0) wraps in i32 like the C reference would overflow; task
//! inputs only use shift ≤ 0, and `shift` must lie in [−31, 30].

use crate::{DType, Data, OpArgs, RefError, Result, Tensor};

/// Saturating rounding doubling high multiply (gemmlowp `SaturatingRoundingDoublingHighMul`).
fn srdhm(a: i32, b: i32) -> i32 {
    if a == i32::MIN && b == i32::MIN {
        return i32::MAX;
    }
    let ab = a as i64 * b as i64;
    let nudge: i64 = if ab >= 0 { 1 << 30 } else { 1 - (1 << 30) };
    ((ab + nudge) / (1i64 << 31)) as i32 // Rust `/` truncates toward zero, like C
}

/// Rounding divide by 2^e, ties away from zero (gemmlowp `RoundingDivideByPOT`), 0 ≤ e ≤ 31.
fn rdbpot(x: i32, e: u32) -> i32 {
    let x = x as i64;
    let mask = (1i64 << e) - 1;
    let rem = x & mask;
    let thr = (mask >> 1) + i64::from(x < 0);
    ((x >> e) + i64::from(rem > thr)) as i32
}

/// TFLite `MultiplyByQuantizedMultiplier`.
fn mbqm(x: i32, m0: i32, shift: i32) -> i32 {
    let left = shift.max(0) as u32;
    let right = (-shift).max(0) as u32;
    rdbpot(srdhm(x.wrapping_mul(1i32 << left), m0), right)
}

/// The i8 buffer of input `name`.
fn i8s<'a>(args: &OpArgs<'a>, name: &str) -> Result<&'a [i8]> {
    match &args.input(name)?.data {
        Data::I8(v) => Ok(v),
        other => Err(RefError::DType { name: name.into(), expected: DType::I8, got: other.dtype() }),
    }
}

/// The i32 buffer of input `name`.
fn i32s<'a>(args: &OpArgs<'a>, name: &str) -> Result<&'a [i32]> {
    match &args.input(name)?.data {
        Data::I32(v) => Ok(v),
        other => Err(RefError::DType { name: name.into(), expected: DType::I32, got: other.dtype() }),
    }
}

/// int8 pointwise conv + requantisation. Inputs: `xq` [B, H, W, Cin] i8, `wq` [Cout, Cin] i8,
/// `bias`, `M0`, `shift` [Cout] i32. Attributes: `zx`, `zy`, `act_min`, `act_max`.
/// Output: `yq` [B, H, W, Cout] i8.
pub fn int8_pointwise_conv2d_requant(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, h, w_dim, cin, cout) =
        (args.dim("B")?, args.dim("H")?, args.dim("W")?, args.dim("Cin")?, args.dim("Cout")?);
    let zx = args.int("zx")?;
    let zy = args.int("zy")?;
    let (act_min, act_max) = (args.int("act_min")?, args.int("act_max")?);
    if !(-128 <= act_min && act_min <= act_max && act_max <= 127) {
        return Err(RefError::Invalid(format!("need -128 <= act_min={act_min} <= act_max={act_max} <= 127")));
    }
    args.input("xq")?.expect_shape("xq", &[b_dim, h, w_dim, cin])?;
    args.input("wq")?.expect_shape("wq", &[cout, cin])?;
    for name in ["bias", "M0", "shift"] {
        args.input(name)?.expect_shape(name, &[cout])?;
    }
    let xq = i8s(args, "xq")?;
    let wq = i8s(args, "wq")?;
    let bias = i32s(args, "bias")?;
    let m0 = i32s(args, "M0")?;
    let shift = i32s(args, "shift")?;
    if let Some(&s) = shift.iter().find(|&&s| !(-31..=30).contains(&s)) {
        return Err(RefError::Invalid(format!("shift {s} outside [-31, 30]")));
    }

    let pixels = b_dim * h * w_dim;
    let mut yq = vec![0i8; pixels * cout];
    for px in 0..pixels {
        let xrow = &xq[px * cin..][..cin];
        for o in 0..cout {
            let wrow = &wq[o * cin..][..cin];
            let mut acc = bias[o] as i64;
            for i in 0..cin {
                acc += (xrow[i] as i64 - zx) * wrow[i] as i64;
            }
            let acc = i32::try_from(acc)
                .map_err(|_| RefError::Invalid(format!("accumulator {acc} overflows i32 (pixel {px}, channel {o})")))?;
            let v = mbqm(acc, m0[o], shift[o]) as i64 + zy;
            yq[px * cout + o] = v.clamp(act_min, act_max) as i8;
        }
    }
    Tensor::new(vec![b_dim, h, w_dim, cout], Data::I8(yq)).map(|t| vec![t])
}
