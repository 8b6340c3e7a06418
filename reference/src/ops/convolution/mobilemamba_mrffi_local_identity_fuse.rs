//! mobilemamba_mrffi_local_identity_fuse: the local branch, identity channels and output
//! projection of MobileMamba's MRFFI module (`MobileMambaModule.forward` with BN folded as
//! `fuse()` does): channels [0, Cg) come from the already computed global branch `g`, channels
//! [Cg, Cg+Cl) go through a depthwise k×k conv + BN + ReLU and a depthwise 1×1 conv + BN
//! (per-channel affine), channels [Cg+Cl, C) pass through; then ReLU and a 1×1 conv + BN.
//!
//! x [B, C, H, W]; g [B, Cg, H, W]; w_l [Cl, 1, k, k]; b_l, s_l, t_l [Cl]; w_p [C, C]; b_p [C]
//! → y [B, C, H, W]:
//!   loc[c]  = s_l[c] · relu(b_l[c] + Σ_{u,v<k} w_l[c,0,u,v] · x[Cg+c, i+u−k/2, j+v−k/2]) + t_l[c]   (zero padding)
//!   cat     = [ g (Cg channels) | loc (Cl) | x[Cg+Cl .. C] (C−Cg−Cl) ]
//!   y[o]    = b_p[o] + Σ_{c<C} w_p[o, c] · relu(cat[c])
//! Accumulation in f64, rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// MRFFI local branch + identity + projection. Inputs: `x` [B, C, H, W], `g` [B, Cg, H, W],
/// `w_l` [Cl, 1, k, k], `b_l`, `s_l`, `t_l` [Cl], `w_p` [C, C], `b_p` [C]. Attribute `k` (odd).
/// Output: `y` [B, C, H, W].
pub fn mobilemamba_mrffi_local_identity_fuse(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (nb, nc, h, w) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let (ng, nl) = (args.dim("Cg")?, args.dim("Cl")?);
    let k = args.uint("k")?;
    if k % 2 == 0 || ng + nl > nc {
        return Err(RefError::Invalid(format!("need odd k (got {k}) and Cg + Cl <= C ({ng} + {nl} > {nc})")));
    }
    args.input("x")?.expect_shape("x", &[nb, nc, h, w])?;
    args.input("g")?.expect_shape("g", &[nb, ng, h, w])?;
    args.input("w_l")?.expect_shape("w_l", &[nl, 1, k, k])?;
    for name in ["b_l", "s_l", "t_l"] {
        args.input(name)?.expect_shape(name, &[nl])?;
    }
    args.input("w_p")?.expect_shape("w_p", &[nc, nc])?;
    args.input("b_p")?.expect_shape("b_p", &[nc])?;
    let (x, g, w_l) = (args.f32s("x")?, args.f32s("g")?, args.f32s("w_l")?);
    let (b_l, s_l, t_l) = (args.f32s("b_l")?, args.f32s("s_l")?, args.f32s("t_l")?);
    let (w_p, b_p) = (args.f32s("w_p")?, args.f32s("b_p")?);
    let plane = h * w;
    let pad = (k / 2) as isize;
    let mut y = vec![0.0f32; nb * nc * plane];
    let mut cat = vec![0.0f64; nc * plane];
    for b in 0..nb {
        let xb = &x[b * nc * plane..(b + 1) * nc * plane];
        for c in 0..ng {
            for p in 0..plane {
                cat[c * plane + p] = g[(b * ng + c) * plane + p] as f64;
            }
        }
        for c in 0..nl {
            let xc = &xb[(ng + c) * plane..(ng + c + 1) * plane];
            for i in 0..h {
                for j in 0..w {
                    let mut acc = b_l[c] as f64;
                    for u in 0..k {
                        let ii = i as isize + u as isize - pad;
                        if ii < 0 || ii >= h as isize {
                            continue;
                        }
                        for v in 0..k {
                            let jj = j as isize + v as isize - pad;
                            if jj < 0 || jj >= w as isize {
                                continue;
                            }
                            acc += w_l[(c * k + u) * k + v] as f64 * xc[ii as usize * w + jj as usize] as f64;
                        }
                    }
                    cat[(ng + c) * plane + i * w + j] = s_l[c] as f64 * acc.max(0.0) + t_l[c] as f64;
                }
            }
        }
        for c in ng + nl..nc {
            for p in 0..plane {
                cat[c * plane + p] = xb[c * plane + p] as f64;
            }
        }
        for v in cat.iter_mut() {
            *v = v.max(0.0);
        }
        for o in 0..nc {
            for p in 0..plane {
                let mut acc = b_p[o] as f64;
                for c in 0..nc {
                    acc += w_p[o * nc + c] as f64 * cat[c * plane + p];
                }
                y[(b * nc + o) * plane + p] = acc as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![nb, nc, h, w], y)])
}
