//! bevanet_sdlska_kernel_selection: BEVANet's SDLSKA with Comprehensive Kernel Selection
//! (official `models/LSKA.py::SDLSKA`, `models/FS.py::CKS`; DWConv / PWConv with bias, BatchNorm
//! in folded inference form scale·t + shift). K = 23 → s = 5, k2 = 7, d = 3; Ch = max(C/16, 32).
//!
//! x [N, C, H, W] → y [N, C, H, W], each conv zero-padding its own input:
//!   As = dw_{s×s}(x, ws) + bs;  Ah = dw_{1×k2, dil (1,d)}(As, wh) + bh;  Av = dw_{k2×1, dil (d,1)}(As, wv) + bv
//!   S = As + Ah + Av
//!   g = mean_hw S;  z = relu(bnr(dr_centre · (Wr g + br) + drb))
//!   ce[e] = sigmoid(relu(bne[e](de[e]_centre · (We[e] z + be[e]) + deb[e])))      e ∈ {s, h, v}
//!   m = [mean_c S, max_c S];  q = sigmoid(conv2d_{7×7, pad 3}(m, Wsq) + bsq)        [N, 3, H, W]
//!   attn = As·ce[0]·q[0] + Ah·ce[1]·q[1] + Av·ce[2]·q[2]
//!   y = x ⊙ (wp · attn + bp)
//! (On the pooled 1×1 map a 3×3 depthwise conv with padding 1 only sees its centre tap.)
//! Intermediates in f64; y rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// SDLSKA + CKS. Inputs (spec order): x, ws, bs, wh, bh, wv, bv, Wr, br, dr, drb, bnr_scale,
/// bnr_shift, We, be, de, deb, bne_scale, bne_shift, Wsq, bsq, wp, bp. Attributes: s, k2, d.
/// Output: y [N, C, H, W].
pub fn bevanet_sdlska_kernel_selection(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (n_dim, c, h, w) = (args.dim("N")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let (s, k2, d) = (args.uint("s")?, args.uint("k2")?, args.uint("d")?);
    if s % 2 == 0 || k2 % 2 == 0 || d == 0 || c == 0 || h * w == 0 {
        return Err(RefError::Invalid(format!("need odd s, k2, d > 0, C·H·W > 0 (s={s}, k2={k2}, d={d})")));
    }
    let ch = (c / 16).max(32);
    args.input("x")?.expect_shape("x", &[n_dim, c, h, w])?;
    for (name, shape) in [
        ("ws", vec![c, 1, s, s]),
        ("bs", vec![c]),
        ("wh", vec![c, 1, 1, k2]),
        ("bh", vec![c]),
        ("wv", vec![c, 1, k2, 1]),
        ("bv", vec![c]),
        ("Wr", vec![ch, c]),
        ("br", vec![ch]),
        ("dr", vec![ch, 1, 3, 3]),
        ("drb", vec![ch]),
        ("bnr_scale", vec![ch]),
        ("bnr_shift", vec![ch]),
        ("We", vec![3, c, ch]),
        ("be", vec![3, c]),
        ("de", vec![3, c, 3, 3]),
        ("deb", vec![3, c]),
        ("bne_scale", vec![3, c]),
        ("bne_shift", vec![3, c]),
        ("Wsq", vec![3, 2, 7, 7]),
        ("bsq", vec![3]),
        ("wp", vec![c, c]),
        ("bp", vec![c]),
    ] {
        args.input(name)?.expect_shape(name, &shape)?;
    }
    let f = |name: &str| args.f32s(name);
    let x = f("x")?;
    let (ws, bs, wh, bh, wv, bv) = (f("ws")?, f("bs")?, f("wh")?, f("bh")?, f("wv")?, f("bv")?);
    let (wr, br, dr, drb, bnr_scale, bnr_shift) =
        (f("Wr")?, f("br")?, f("dr")?, f("drb")?, f("bnr_scale")?, f("bnr_shift")?);
    let (we, be, de, deb, bne_scale, bne_shift) =
        (f("We")?, f("be")?, f("de")?, f("deb")?, f("bne_scale")?, f("bne_shift")?);
    let (wsq, bsq, wp, bp) = (f("Wsq")?, f("bsq")?, f("wp")?, f("bp")?);
    let plane = h * w;
    let sigmoid = |t: f64| 1.0 / (1.0 + (-t).exp());

    // depthwise conv of one plane: kernel kh×kw (row-major taps), dilation (dh, dw), padding (ph, pw)
    let dwconv = |src: &[f64], k: &[f32], bias: f32, (kh, kw): (usize, usize), (dh, dl): (usize, usize)| {
        let (ph, pw) = ((dh * (kh - 1) / 2) as isize, (dl * (kw - 1) / 2) as isize);
        let mut out = vec![0.0f64; plane];
        for i in 0..h {
            for j in 0..w {
                let mut acc = bias as f64;
                for u in 0..kh {
                    let ii = i as isize + (u * dh) as isize - ph;
                    if ii < 0 || ii >= h as isize {
                        continue;
                    }
                    for v in 0..kw {
                        let jj = j as isize + (v * dl) as isize - pw;
                        if jj < 0 || jj >= w as isize {
                            continue;
                        }
                        acc += k[u * kw + v] as f64 * src[ii as usize * w + jj as usize];
                    }
                }
                out[i * w + j] = acc;
            }
        }
        out
    };

    let mut y = vec![0.0f32; n_dim * c * plane];
    for n in 0..n_dim {
        let xn = &x[n * c * plane..][..c * plane];
        let mut a_s = Vec::with_capacity(c);
        let mut a_h = Vec::with_capacity(c);
        let mut a_v = Vec::with_capacity(c);
        for ci in 0..c {
            let xc: Vec<f64> = xn[ci * plane..][..plane].iter().map(|&v| v as f64).collect();
            let asc = dwconv(&xc, &ws[ci * s * s..][..s * s], bs[ci], (s, s), (1, 1));
            a_h.push(dwconv(&asc, &wh[ci * k2..][..k2], bh[ci], (1, k2), (1, d)));
            a_v.push(dwconv(&asc, &wv[ci * k2..][..k2], bv[ci], (k2, 1), (d, 1)));
            a_s.push(asc);
        }
        let sum_at = |ci: usize, p: usize| a_s[ci][p] + a_h[ci][p] + a_v[ci][p];

        // channel selection
        let g: Vec<f64> = (0..c).map(|ci| (0..plane).map(|p| sum_at(ci, p)).sum::<f64>() / plane as f64).collect();
        let z: Vec<f64> = (0..ch)
            .map(|k| {
                let u = br[k] as f64 + (0..c).map(|ci| wr[k * c + ci] as f64 * g[ci]).sum::<f64>();
                let t = bnr_scale[k] as f64 * (dr[k * 9 + 4] as f64 * u + drb[k] as f64) + bnr_shift[k] as f64;
                t.max(0.0)
            })
            .collect();
        let ce: Vec<f64> = (0..3 * c)
            .map(|ec| {
                let v = be[ec] as f64 + (0..ch).map(|k| we[ec * ch + k] as f64 * z[k]).sum::<f64>();
                let t = bne_scale[ec] as f64 * (de[ec * 9 + 4] as f64 * v + deb[ec] as f64) + bne_shift[ec] as f64;
                sigmoid(t.max(0.0))
            })
            .collect();

        // spatial selection
        let mut m = vec![0.0f64; 2 * plane];
        for p in 0..plane {
            let vals = (0..c).map(|ci| sum_at(ci, p));
            m[p] = vals.clone().sum::<f64>() / c as f64;
            m[plane + p] = vals.fold(f64::NEG_INFINITY, f64::max);
        }
        let mut q = vec![0.0f64; 3 * plane];
        for e in 0..3 {
            for i in 0..h {
                for j in 0..w {
                    let mut acc = bsq[e] as f64;
                    for t in 0..2 {
                        for u in 0..7 {
                            let ii = i as isize + u as isize - 3;
                            if ii < 0 || ii >= h as isize {
                                continue;
                            }
                            for v in 0..7 {
                                let jj = j as isize + v as isize - 3;
                                if jj < 0 || jj >= w as isize {
                                    continue;
                                }
                                acc += wsq[((e * 2 + t) * 7 + u) * 7 + v] as f64
                                    * m[t * plane + ii as usize * w + jj as usize];
                            }
                        }
                    }
                    q[e * plane + i * w + j] = sigmoid(acc);
                }
            }
        }

        // fused attention map, then the gated 1×1 projection
        let attn: Vec<f64> = (0..c * plane)
            .map(|idx| {
                let (ci, p) = (idx / plane, idx % plane);
                a_s[ci][p] * ce[ci] * q[p]
                    + a_h[ci][p] * ce[c + ci] * q[plane + p]
                    + a_v[ci][p] * ce[2 * c + ci] * q[2 * plane + p]
            })
            .collect();
        let mut acc = vec![0.0f64; plane];
        for o in 0..c {
            acc.fill(bp[o] as f64);
            for ci in 0..c {
                let wv = wp[o * c + ci] as f64;
                for (s, &v) in acc.iter_mut().zip(&attn[ci * plane..][..plane]) {
                    *s += wv * v;
                }
            }
            for p in 0..plane {
                y[(n * c + o) * plane + p] = (xn[o * plane + p] as f64 * acc[p]) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![n_dim, c, h, w], y)])
}
