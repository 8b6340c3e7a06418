//! parallel_residual_branch_sum: "Make Deep Networks Shallow Again" (definition inferred from the
//! abstract): a stack of residual units replaced by its first-order approximation, i.e. NB
//! ResNet basic-block branches that all read the same input, summed onto the identity, then ReLU.
//! Each branch is conv3x3 → folded BN → ReLU → conv3x3 → folded BN (no conv bias).
//!
//! x [B, C, H, W], w1/w2 [NB, C, C, 3, 3], s1/t1/s2/t2 [NB, C] → y [B, C, H, W]:
//!   a_i[b, o, h, w] = relu(s1[i, o] · Σ_{c, u, v<3} w1[i, o, c, u, v] · x[b, c, h + u − 1, w + v − 1] + t1[i, o])
//!   F_i[b, o, h, w] = s2[i, o] · Σ_{c, u, v<3} w2[i, o, c, u, v] · a_i[b, c, h + u − 1, w + v − 1] + t2[i, o]
//!   y = relu(x + Σ_{i<NB} F_i)
//! Both convolutions: stride 1, zero padding 1 (a_i outside the image reads 0), cross-correlation.
//! Accumulated in f64 (a_i kept in f64); y is rounded to f32 once.

use crate::{OpArgs, Result, Tensor};

/// Parallel residual branches. Inputs: `x` [B, C, H, W], `w1` [NB, C, C, 3, 3], `s1`, `t1` [NB, C],
/// `w2` [NB, C, C, 3, 3], `s2`, `t2` [NB, C]. Output: `y` [B, C, H, W].
pub fn parallel_residual_branch_sum(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, nb, c_dim) = (args.dim("B")?, args.dim("NB")?, args.dim("C")?);
    let (h, w) = (args.dim("H")?, args.dim("W")?);
    for name in ["w1", "w2"] {
        args.input(name)?.expect_shape(name, &[nb, c_dim, c_dim, 3, 3])?;
    }
    for name in ["s1", "t1", "s2", "t2"] {
        args.input(name)?.expect_shape(name, &[nb, c_dim])?;
    }
    args.input("x")?.expect_shape("x", &[b_dim, c_dim, h, w])?;
    let x = args.f32s("x")?;
    let (w1, s1, t1) = (args.f32s("w1")?, args.f32s("s1")?, args.f32s("t1")?);
    let (w2, s2, t2) = (args.f32s("w2")?, args.f32s("s2")?, args.f32s("t2")?);
    let plane = h * w;

    // conv3x3 (stride 1, zero pad 1) of `src` [C, H, W] with weights `wt` [C, C, 3, 3]
    let conv3x3 = |src: &[f64], wt: &[f32], o: usize, i: usize, j: usize| -> f64 {
        let mut acc = 0.0f64;
        for c in 0..c_dim {
            for u in 0..3 {
                let ii = i as isize + u as isize - 1;
                if ii < 0 || ii >= h as isize {
                    continue;
                }
                for v in 0..3 {
                    let jj = j as isize + v as isize - 1;
                    if jj < 0 || jj >= w as isize {
                        continue;
                    }
                    acc +=
                        wt[((o * c_dim + c) * 3 + u) * 3 + v] as f64 * src[c * plane + ii as usize * w + jj as usize];
                }
            }
        }
        acc
    };

    let mut y = vec![0.0f32; b_dim * c_dim * plane];
    for b in 0..b_dim {
        let xb: Vec<f64> = x[b * c_dim * plane..(b + 1) * c_dim * plane].iter().map(|&v| v as f64).collect();
        let mut acc = xb.clone(); // identity path
        let mut a = vec![0.0f64; c_dim * plane];
        for br in 0..nb {
            let (w1i, w2i) = (
                &w1[br * c_dim * c_dim * 9..][..c_dim * c_dim * 9],
                &w2[br * c_dim * c_dim * 9..][..c_dim * c_dim * 9],
            );
            for o in 0..c_dim {
                for i in 0..h {
                    for j in 0..w {
                        let z = s1[br * c_dim + o] as f64 * conv3x3(&xb, w1i, o, i, j) + t1[br * c_dim + o] as f64;
                        a[o * plane + i * w + j] = z.max(0.0);
                    }
                }
            }
            for o in 0..c_dim {
                for i in 0..h {
                    for j in 0..w {
                        acc[o * plane + i * w + j] +=
                            s2[br * c_dim + o] as f64 * conv3x3(&a, w2i, o, i, j) + t2[br * c_dim + o] as f64;
                    }
                }
            }
        }
        for (dst, v) in y[b * c_dim * plane..].iter_mut().zip(&acc) {
            *dst = v.max(0.0) as f32;
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, c_dim, h, w], y)])
}
