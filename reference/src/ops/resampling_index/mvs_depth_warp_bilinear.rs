//! mvs_depth_warp_bilinear: GBi-Net's differentiable warping of source-view features into the
//! reference view at per-pixel depth hypotheses (official code MiZhenxing/GBi-Net
//! `models/gbinet_clean.py` sequential_wrapping, `modules/gbinet_submodules_clean.py`
//! FeatureFetcher / get_pixel_grids: pixel centres, general 3×3 inverses, grid_sample bilinear,
//! zeros padding, align_corners=True on (u − 0.5)/(W − 1)·2 − 1, i.e. sample index u − 0.5).
//!
//! Cameras are given as deviations from a nominal camera (the harness draws inputs i.i.d. per
//! element, which cannot produce a structured K or a near-identity pose):
//!   K_ref = K0 + dK_ref, K_src = K0 + dK_src,   K0 = [[W, 0, W/2], [0, W, H/2], [0, 0, 1]]
//!   [R_ref | t_ref] = [I | 0] + dE_ref,  [R_src | t_src] = [I | 0] + dE_src   (p_cam = R·p_world + t)
//! src [B, C, H, W], depth [B, D, H, W], dK_* [B, 3, 3], dE_* [B, 3, 4] → warped [B, C, D, H, W]:
//!   p  = (w + 0.5, h + 0.5, 1)
//!   Xr = inv(K_ref)·p·depth[b,d,h,w] ;  Xw = inv(R_ref)·(Xr − t_ref) ;  (x, y, z) = R_src·Xw + t_src
//!   z == 0: (u, v) = (2W, 2H), else (u, v) = rows 0, 1 of K_src·(x/z, y/z, 1)
//!   warped[b,c,d,h,w] = bilinear_zeros(src[b,c], ix = u − 0.5, iy = v − 0.5)
//! bilinear_zeros: x0 = floor(ix), y0 = floor(iy), wx = ix − x0, wy = iy − y0; the four corners
//! (x0|x0+1, y0|y0+1) weighted (1−wx|wx)·(1−wy|wy); corners outside [0, W−1]×[0, H−1] read 0.
//! Everything in f64 (inverses by the adjugate); outputs rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

type M3 = [[f64; 3]; 3];

/// General 3×3 inverse by the adjugate.
fn inv3(m: &M3) -> Result<M3> {
    let c = |r: usize, k: usize| {
        let (r1, r2, k1, k2) = ((r + 1) % 3, (r + 2) % 3, (k + 1) % 3, (k + 2) % 3);
        m[r1][k1] * m[r2][k2] - m[r1][k2] * m[r2][k1]
    };
    let det = m[0][0] * c(0, 0) + m[0][1] * c(0, 1) + m[0][2] * c(0, 2);
    if det == 0.0 {
        return Err(RefError::Invalid("singular camera matrix".into()));
    }
    let mut out = [[0.0; 3]; 3];
    for (r, row) in out.iter_mut().enumerate() {
        for (k, v) in row.iter_mut().enumerate() {
            *v = c(k, r) / det; // inverse = adjugate / det = cofactor transposed / det
        }
    }
    Ok(out)
}

fn mul(m: &M3, v: [f64; 3]) -> [f64; 3] {
    [0, 1, 2].map(|r| m[r][0] * v[0] + m[r][1] * v[1] + m[r][2] * v[2])
}

/// Nominal + deviation: (3×3 part, translation column when `cols` = 4).
fn camera(base: &M3, dev: &[f32], cols: usize) -> (M3, [f64; 3]) {
    let mut m = *base;
    let mut t = [0.0; 3];
    for r in 0..3 {
        for k in 0..3 {
            m[r][k] += dev[r * cols + k] as f64;
        }
        if cols == 4 {
            t[r] = dev[r * cols + 3] as f64;
        }
    }
    (m, t)
}

/// Plane-sweep warping at per-pixel depths. Inputs: `src` [B, C, H, W], `depth` [B, D, H, W],
/// `dK_ref`, `dK_src` [B, 3, 3], `dE_ref`, `dE_src` [B, 3, 4]. Output: `warped` [B, C, D, H, W].
pub fn mvs_depth_warp_bilinear(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, d_dim) = (args.dim("B")?, args.dim("C")?, args.dim("D")?);
    let (h, w_dim) = (args.dim("H")?, args.dim("W")?);
    args.input("src")?.expect_shape("src", &[b_dim, c_dim, h, w_dim])?;
    args.input("depth")?.expect_shape("depth", &[b_dim, d_dim, h, w_dim])?;
    for n in ["dK_ref", "dK_src"] {
        args.input(n)?.expect_shape(n, &[b_dim, 3, 3])?;
    }
    for n in ["dE_ref", "dE_src"] {
        args.input(n)?.expect_shape(n, &[b_dim, 3, 4])?;
    }
    let src = args.f32s("src")?;
    let depth = args.f32s("depth")?;
    let (wf, hf) = (w_dim as f64, h as f64);
    let k0: M3 = [[wf, 0.0, wf / 2.0], [0.0, wf, hf / 2.0], [0.0, 0.0, 1.0]];
    let eye: M3 = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
    let plane = h * w_dim;

    let mut out = vec![0.0f32; b_dim * c_dim * d_dim * plane];
    for b in 0..b_dim {
        let (k_ref, _) = camera(&k0, &args.f32s("dK_ref")?[b * 9..], 3);
        let (k_src, _) = camera(&k0, &args.f32s("dK_src")?[b * 9..], 3);
        let (r_ref, t_ref) = camera(&eye, &args.f32s("dE_ref")?[b * 12..], 4);
        let (r_src, t_src) = camera(&eye, &args.f32s("dE_src")?[b * 12..], 4);
        let (k_ref_inv, r_ref_inv) = (inv3(&k_ref)?, inv3(&r_ref)?);
        for d in 0..d_dim {
            for hh in 0..h {
                for ww in 0..w_dim {
                    let z_d = depth[((b * d_dim + d) * h + hh) * w_dim + ww] as f64;
                    let ray = mul(&k_ref_inv, [ww as f64 + 0.5, hh as f64 + 0.5, 1.0]);
                    let xr = ray.map(|v| v * z_d);
                    let xw = mul(&r_ref_inv, [xr[0] - t_ref[0], xr[1] - t_ref[1], xr[2] - t_ref[2]]);
                    let rc = mul(&r_src, xw);
                    let xs = [rc[0] + t_src[0], rc[1] + t_src[1], rc[2] + t_src[2]];
                    let (u, v) = if xs[2] == 0.0 {
                        (2.0 * wf, 2.0 * hf)
                    } else {
                        let uv = mul(&k_src, [xs[0] / xs[2], xs[1] / xs[2], 1.0]);
                        (uv[0], uv[1])
                    };
                    let (ix, iy) = (u - 0.5, v - 0.5);
                    let (x0, y0) = (ix.floor(), iy.floor());
                    let (wx, wy) = (ix - x0, iy - y0);
                    let corners = [
                        (x0, y0, (1.0 - wx) * (1.0 - wy)),
                        (x0 + 1.0, y0, wx * (1.0 - wy)),
                        (x0, y0 + 1.0, (1.0 - wx) * wy),
                        (x0 + 1.0, y0 + 1.0, wx * wy),
                    ];
                    for c in 0..c_dim {
                        let sp = &src[(b * c_dim + c) * plane..][..plane];
                        let mut acc = 0.0f64;
                        for &(cx, cy, wgt) in &corners {
                            if cx >= 0.0 && cy >= 0.0 && cx <= wf - 1.0 && cy <= hf - 1.0 {
                                acc += wgt * sp[cy as usize * w_dim + cx as usize] as f64;
                            }
                        }
                        out[(((b * c_dim + c) * d_dim + d) * h + hh) * w_dim + ww] = acc as f32;
                    }
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, c_dim, d_dim, h, w_dim], out)])
}
