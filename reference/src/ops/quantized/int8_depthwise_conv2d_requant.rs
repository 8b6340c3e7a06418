//! int8_depthwise_conv2d_requant: integer-only depthwise convolution (depth multiplier 1, NHWC)
//! with per-channel fixed-point requantisation, bit-exact TFLite / gemmlowp reference semantics
//! (AutoNeural depthwise-separable blocks; inferred). Same conventions as
//! `quantized::int8_pointwise_conv2d_requant`.
//!
//! xq [B, H, W, C] i8, wq [k, k, C] i8, bias, M0, shift [C] i32; attributes k, stride, dilation,
//! pad_top, pad_left, pad_bottom, pad_right, zx, zy, act_min, act_max → yq [B, Ho, Wo, C] i8,
//! Ho = (H + pad_top + pad_bottom − dilation·(k − 1) − 1) div stride + 1 (same for W):
//!   acc[b,ho,wo,c] = bias[c] + Σ_{i<k, j<k, (hi,wi) inside} (xq[b,hi,wi,c] − zx) · wq[i,j,c]
//!        hi = ho·stride − pad_top + i·dilation ; wi = wo·stride − pad_left + j·dilation
//!        (taps outside the image are skipped: padding with the real value 0, not with zx)
//!   yq = clamp( MBQM(acc, M0[c], shift[c]) + zy, act_min, act_max )
//! with the gemmlowp helpers (i64 intermediates, no floating point anywhere):
//!   MBQM(x, M0, shift) = RDBPOT( SRDHM( x · 2^max(shift, 0), M0 ), max(−shift, 0) )
//!   SRDHM(a, b): if a == b == i32::MIN → i32::MAX; else ab = a·b (i64),
//!                nudge = ab ≥ 0 ? 2^30 : 1 − 2^30, result = (ab + nudge) / 2^31 truncated toward 0
//!   RDBPOT(x, e): mask = 2^e − 1, rem = x & mask, thr = (mask >> 1) + (x < 0 ? 1 : 0),
//!                result = (x >> e) + (rem > thr ? 1 : 0)

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

/// int8 depthwise conv + requantisation. Inputs: `xq` [B, H, W, C] i8, `wq` [k, k, C] i8,
/// `bias`, `M0`, `shift` [C] i32. Output: `yq` [B, Ho, Wo, C] i8.
pub fn int8_depthwise_conv2d_requant(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, h, w_dim, c_dim) = (args.dim("B")?, args.dim("H")?, args.dim("W")?, args.dim("C")?);
    let k = args.uint("k")?;
    let stride = args.uint("stride")?;
    let dil = args.uint("dilation")?;
    let (pt, pl) = (args.uint("pad_top")?, args.uint("pad_left")?);
    let (pb, pr) = (args.uint("pad_bottom")?, args.uint("pad_right")?);
    let zx = args.int("zx")?;
    let zy = args.int("zy")?;
    let (act_min, act_max) = (args.int("act_min")?, args.int("act_max")?);
    if !(-128 <= act_min && act_min <= act_max && act_max <= 127) {
        return Err(RefError::Invalid(format!("need -128 <= act_min={act_min} <= act_max={act_max} <= 127")));
    }
    if k == 0 || stride == 0 || dil == 0 {
        return Err(RefError::Invalid("k, stride and dilation must be >= 1".into()));
    }
    let span = dil * (k - 1) + 1;
    if h + pt + pb < span || w_dim + pl + pr < span {
        return Err(RefError::Invalid("kernel larger than the padded input".into()));
    }
    let ho = (h + pt + pb - span) / stride + 1;
    let wo = (w_dim + pl + pr - span) / stride + 1;
    args.input("xq")?.expect_shape("xq", &[b_dim, h, w_dim, c_dim])?;
    args.input("wq")?.expect_shape("wq", &[k, k, c_dim])?;
    for name in ["bias", "M0", "shift"] {
        args.input(name)?.expect_shape(name, &[c_dim])?;
    }
    let xq = i8s(args, "xq")?;
    let wq = i8s(args, "wq")?;
    let bias = i32s(args, "bias")?;
    let m0 = i32s(args, "M0")?;
    let shift = i32s(args, "shift")?;
    if let Some(&s) = shift.iter().find(|&&s| !(-31..=30).contains(&s)) {
        return Err(RefError::Invalid(format!("shift {s} outside [-31, 30]")));
    }

    let mut yq = vec![0i8; b_dim * ho * wo * c_dim];
    for b in 0..b_dim {
        for oh in 0..ho {
            for ow in 0..wo {
                for c in 0..c_dim {
                    let mut acc = bias[c] as i64;
                    for i in 0..k {
                        let hi = (oh * stride + i * dil) as isize - pt as isize;
                        if hi < 0 || hi >= h as isize {
                            continue;
                        }
                        for j in 0..k {
                            let wi = (ow * stride + j * dil) as isize - pl as isize;
                            if wi < 0 || wi >= w_dim as isize {
                                continue;
                            }
                            let xv = xq[((b * h + hi as usize) * w_dim + wi as usize) * c_dim + c] as i64;
                            acc += (xv - zx) * wq[(i * k + j) * c_dim + c] as i64;
                        }
                    }
                    let acc = i32::try_from(acc)
                        .map_err(|_| RefError::Invalid(format!("accumulator {acc} overflows i32 (channel {c})")))?;
                    let v = mbqm(acc, m0[c], shift[c]) as i64 + zy;
                    yq[((b * ho + oh) * wo + ow) * c_dim + c] = v.clamp(act_min, act_max) as i8;
                }
            }
        }
    }
    Tensor::new(vec![b_dim, ho, wo, c_dim], Data::I8(yq)).map(|t| vec![t])
}
