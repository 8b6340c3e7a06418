//! sparse_masked_conv2d: SparK's sparse convolution (official code keyu-tian/SparK
//! `pretrain/encoder.py`, `sp_conv_forward` / SparseConv2d): a dense convolution followed by
//! re-masking to the visible positions at the OUTPUT resolution, so masked regions stay exactly
//! zero through the encoder. x is read as given (the operator does not mask its input).
//!
//! x [B, Cin, H, W], active [B, 1, F, F] (u8 from the harness; nonzero = visible), w [Cout,
//! Cin/groups, k, k], b [Cout]; attributes k, stride, pad, dilation, groups →
//! y [B, Cout, Ho, Wo], Ho = (H + 2·pad − dilation·(k−1) − 1) div stride + 1 (likewise Wo),
//! Ho % F == 0 and Wo % F == 0:
//!   conv[b,o,i,j] = b[o] + Σ_{c<Cin/groups, u, v} w[o,c,u,v]·x[b, g·Cin/groups + c,
//!                   i·stride − pad + u·dilation, j·stride − pad + v·dilation]    (g = o div (Cout/groups);
//!                   zero padding, cross-correlation)
//!   y[b,o,i,j] = conv[b,o,i,j] if active[b, 0, i div (Ho/F), j div (Wo/F)] != 0, else exactly 0
//! (the bias is masked too). Sums in f64, rounded to f32 once. The mask may also be given as f32
//! (nonzero = visible), which is how the numpy fixtures pass it.

use crate::{Data, OpArgs, RefError, Result, Tensor};

/// Sparse masked conv2d. Inputs: `x` [B, Cin, H, W], `active` [B, 1, F, F], `w`
/// [Cout, Cin/groups, k, k], `b` [Cout]. Attributes: `k`, `stride`, `pad`, `dilation`, `groups`.
/// Output: `y` [B, Cout, Ho, Wo].
pub fn sparse_masked_conv2d(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, cin, cout) = (args.dim("B")?, args.dim("Cin")?, args.dim("Cout")?);
    let (h, w_dim, f) = (args.dim("H")?, args.dim("W")?, args.dim("F")?);
    let (k, stride, pad) = (args.uint("k")?, args.uint("stride")?, args.uint("pad")?);
    let (dil, groups) = (args.uint("dilation")?, args.uint("groups")?);
    if k == 0 || stride == 0 || dil == 0 || groups == 0 || cin % groups != 0 || cout % groups != 0 {
        return Err(RefError::Invalid(format!("bad conv config k={k} stride={stride} dilation={dil} groups={groups}")));
    }
    let span = dil * (k - 1) + 1;
    if h + 2 * pad < span || w_dim + 2 * pad < span {
        return Err(RefError::Invalid(format!("input {h}x{w_dim} smaller than the kernel span {span}")));
    }
    let (ho_n, wo_n) = ((h + 2 * pad - span) / stride + 1, (w_dim + 2 * pad - span) / stride + 1);
    if f == 0 || ho_n % f != 0 || wo_n % f != 0 {
        return Err(RefError::Invalid(format!("output {ho_n}x{wo_n} must be a multiple of F={f}")));
    }
    let (cig, cog) = (cin / groups, cout / groups);
    args.input("x")?.expect_shape("x", &[b_dim, cin, h, w_dim])?;
    let active_t = args.input("active")?;
    active_t.expect_shape("active", &[b_dim, 1, f, f])?;
    args.input("w")?.expect_shape("w", &[cout, cig, k, k])?;
    args.input("b")?.expect_shape("b", &[cout])?;
    let active: Vec<bool> = match &active_t.data {
        Data::U8(v) => v.iter().map(|&a| a != 0).collect(),
        Data::F32(v) => v.iter().map(|&a| a != 0.0).collect(),
        other => return Err(RefError::Invalid(format!("`active` must be u8 (or f32), got {}", other.dtype()))),
    };
    let x = args.f32s("x")?;
    let wt = args.f32s("w")?;
    let bias = args.f32s("b")?;
    let (sh, sw) = (ho_n / f, wo_n / f);

    let mut y = vec![0.0f32; b_dim * cout * ho_n * wo_n];
    for b in 0..b_dim {
        for i in 0..ho_n {
            for j in 0..wo_n {
                if !active[(b * f + i / sh) * f + j / sw] {
                    continue; // stays exactly 0
                }
                for o in 0..cout {
                    let g = o / cog;
                    let mut s = bias[o] as f64;
                    for c in 0..cig {
                        let xc = &x[((b * cin + g * cig + c) * h) * w_dim..][..h * w_dim];
                        for u in 0..k {
                            let ii = (i * stride + u * dil) as isize - pad as isize;
                            if ii < 0 || ii >= h as isize {
                                continue;
                            }
                            for v in 0..k {
                                let jj = (j * stride + v * dil) as isize - pad as isize;
                                if jj < 0 || jj >= w_dim as isize {
                                    continue;
                                }
                                s += wt[((o * cig + c) * k + u) * k + v] as f64
                                    * xc[ii as usize * w_dim + jj as usize] as f64;
                            }
                        }
                    }
                    y[((b * cout + o) * ho_n + i) * wo_n + j] = s as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, cout, ho_n, wo_n], y)])
}
