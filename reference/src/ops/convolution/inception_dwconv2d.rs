//! inception_dwconv2d: the InceptionNeXt token mixer (`InceptionDWConv2d`, sail-sg/inceptionnext).
//!
//! x [N, C, H, W] → y [N, C, H, W]. With gc = int(C · branch_ratio) (rounded toward zero),
//! ks = square_kernel, kb = band_kernel and C_id = C − 3·gc, the channels are split in this order
//! [C_id | gc | gc | gc] and each slice goes through its own branch:
//!   y[:, 0 : C_id]          = x[:, 0 : C_id]                                   identity
//!   y[:, C_id : C_id+gc]    = dwconv(x[:, C_id : C_id+gc],      w_hw, b_hw)    ks × ks, pad (ks//2, ks//2)
//!   y[:, C_id+gc : C_id+2gc] = dwconv(x[:, C_id+gc : C_id+2gc], w_w,  b_w)     1 × kb,  pad (0, kb//2)
//!   y[:, C_id+2gc : C]      = dwconv(x[:, C_id+2gc : C],        w_h,  b_h)     kb × 1,  pad (kb//2, 0)
//! Every dwconv is depthwise (branch channel g uses only filter g), stride 1, dilation 1, with bias:
//!   out[g, i, j] = bias[g] + Σ_{u<kh} Σ_{v<kw} filt[g, 0, u, v] · in[g, i − kh//2 + u, j − kw//2 + v]
//! i.e. cross-correlation with zero padding, so every branch keeps H × W (kernels must be odd).
//! The band kernels pad only along their long axis. Sums are accumulated in f64, stored as f32.

use crate::{OpArgs, RefError, Result, Tensor};

/// InceptionNeXt depthwise mixer. Inputs: `x` [N, C, H, W], `w_hw` [gc, 1, ks, ks], `b_hw` [gc],
/// `w_w` [gc, 1, 1, kb], `b_w` [gc], `w_h` [gc, 1, kb, 1], `b_h` [gc].
/// Attributes: `square_kernel` (ks), `band_kernel` (kb), `branch_ratio`. Output: `y` [N, C, H, W].
pub fn inception_dwconv2d(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (n_dim, c_dim, h, w_dim) = (args.dim("N")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let ks = args.uint("square_kernel")?;
    let kb = args.uint("band_kernel")?;
    let ratio = args.float("branch_ratio")?;
    if ks % 2 == 0 || kb % 2 == 0 {
        return Err(RefError::Invalid(format!("kernels must be odd (square_kernel={ks}, band_kernel={kb})")));
    }
    let gc_f = (c_dim as f64 * ratio).trunc();
    if !(0.0..=(c_dim / 3) as f64).contains(&gc_f) {
        return Err(RefError::Invalid(format!("branch_ratio={ratio} gives an invalid split of C={c_dim}")));
    }
    let gc = gc_f as usize;
    let c_id = c_dim - 3 * gc;

    let x_t = args.input("x")?;
    x_t.expect_shape("x", &[n_dim, c_dim, h, w_dim])?;
    args.input("w_hw")?.expect_shape("w_hw", &[gc, 1, ks, ks])?;
    args.input("w_w")?.expect_shape("w_w", &[gc, 1, 1, kb])?;
    args.input("w_h")?.expect_shape("w_h", &[gc, 1, kb, 1])?;
    for bias in ["b_hw", "b_w", "b_h"] {
        args.input(bias)?.expect_shape(bias, &[gc])?;
    }
    let x = args.f32s("x")?;
    // (first channel of the branch, filters, biases, kernel height, kernel width)
    let branches = [
        (c_id, args.f32s("w_hw")?, args.f32s("b_hw")?, ks, ks),
        (c_id + gc, args.f32s("w_w")?, args.f32s("b_w")?, 1, kb),
        (c_id + 2 * gc, args.f32s("w_h")?, args.f32s("b_h")?, kb, 1),
    ];

    let plane = h * w_dim;
    // Identity branch first: start from a copy of x, then overwrite the three conv slices.
    let mut y = x.to_vec();
    for n in 0..n_dim {
        for &(first, filt, bias, kh, kw) in &branches {
            for g in 0..gc {
                let c = first + g;
                let src = &x[(n * c_dim + c) * plane..][..plane];
                let dst = &mut y[(n * c_dim + c) * plane..][..plane];
                let f = &filt[g * kh * kw..][..kh * kw];
                depthwise_same(src, dst, h, w_dim, f, kh, kw, bias[g]);
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![n_dim, c_dim, h, w_dim], y)])
}

/// One channel: dst[i, j] = bias + Σ_{u,v} f[u, v] · src[i − kh//2 + u, j − kw//2 + v] (zero outside),
/// for src, dst [h, w] and f [kh, kw] with odd kh, kw.
#[allow(clippy::too_many_arguments)]
fn depthwise_same(src: &[f32], dst: &mut [f32], h: usize, w: usize, f: &[f32], kh: usize, kw: usize, bias: f32) {
    let (ph, pw) = ((kh / 2) as isize, (kw / 2) as isize);
    for i in 0..h {
        for j in 0..w {
            let mut acc = bias as f64;
            for u in 0..kh {
                let ih = i as isize - ph + u as isize;
                if ih < 0 || ih >= h as isize {
                    continue;
                }
                for v in 0..kw {
                    let iw = j as isize - pw + v as isize;
                    if iw < 0 || iw >= w as isize {
                        continue;
                    }
                    acc += f[u * kw + v] as f64 * src[ih as usize * w + iw as usize] as f64;
                }
            }
            dst[i * w + j] = acc as f32;
        }
    }
}
