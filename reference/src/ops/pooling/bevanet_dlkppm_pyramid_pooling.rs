//! bevanet_dlkppm_pyramid_pooling: BEVANet's Dilated Large Kernel Pyramid Pooling Module
//! (official `models/PPM.py::DLKPPM`, with `models/EVAN.py::SpatialAttention` around
//! `models/LSKA.py::LSKA` at K = 35). Every BatchNorm is folded to a per-channel affine
//! `scale·t + shift`; the PW convs of the module have no bias, the SpatialAttention / LSKA ones do.
//!
//! x [N, Cin, H, W] → y [N, Cout, H, W]; branches k = 0..5 ↔ scale0, scale1, scale2, scale4, scale5:
//!   P(t, k)  = pw_k · relu(bn_k(t))                                   (1×1, Cin → Cb)
//!   up(t)    = bilinear resize to H×W, align_corners = False (half-pixel, source clamped at 0)
//!   avg5     = AvgPool2d(5, stride 2, pad 2), avg9 = AvgPool2d(9, stride 4, pad 4), both dividing
//!              by the full window (count_include_pad); ad2 / ad1 = adaptive average pools to 2×2 / 1×1
//!   proc_i(t) = conv3x3(relu(bn_i(t)), proc_w[i]), dilation 2 / padding 2 for i = 0, 1, else 1 / 1
//!   s0 = P(x, 0)
//!   sl = s0 + ls ⊙ SA(bnl(s0)),  SA(t) = sa_w2 · LSKA(gelu(sa_w1 · t + sa_b1)) + sa_b2 + t
//!   LSKA(u) = u ⊙ (lp_w · dw_{11×1,d3}(dw_{1×11,d3}(dw_{5×1}(dw_{1×5}(u)))) + lp_b)
//!   x1 = proc_0(up(P(avg5 x, 1)) + s0); x2 = proc_1(up(P(avg9 x, 2)) + x1); x3 = proc_2(sl + x2)
//!   x4 = proc_3(up(P(ad2 x, 3)) + x3);  x5 = proc_4(up(P(ad1 x, 4)) + x4)
//!   y  = comp_w · relu(comp_bn([s0, x1, x2, x3, x4, x5])) + sc_w · relu(sc_bn(x))
//! GELU is the exact erf form. Everything is in f64; y is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// DLKPPM. Inputs in spec order (see the task); attributes `k1`, `k2`, `d` (LSKA, K = 35).
/// Output: `y` [N, Cout, H, W].
pub fn bevanet_dlkppm_pyramid_pooling(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (n_dim, cin, cb, cout) = (args.dim("N")?, args.dim("Cin")?, args.dim("Cb")?, args.dim("Cout")?);
    let (h, w) = (args.dim("H")?, args.dim("W")?);
    let (k1, k2, d) = (args.uint("k1")?, args.uint("k2")?, args.uint("d")?);
    if h * w == 0 || cin * cb * cout == 0 || k1 % 2 == 0 || k2 % 2 == 0 || d == 0 {
        return Err(RefError::Invalid("need positive sizes, odd k1, k2 and d > 0".into()));
    }
    let shapes: [(&str, Vec<usize>); 29] = [
        ("bn_scale", vec![5, cin]),
        ("bn_shift", vec![5, cin]),
        ("pw_w", vec![5, cb, cin]),
        ("bnl_scale", vec![cb]),
        ("bnl_shift", vec![cb]),
        ("sa_w1", vec![cb, cb]),
        ("sa_b1", vec![cb]),
        ("wh1", vec![cb, 1, 1, k1]),
        ("bh1", vec![cb]),
        ("wv1", vec![cb, 1, k1, 1]),
        ("bv1", vec![cb]),
        ("wh2", vec![cb, 1, 1, k2]),
        ("bh2", vec![cb]),
        ("wv2", vec![cb, 1, k2, 1]),
        ("bv2", vec![cb]),
        ("lp_w", vec![cb, cb]),
        ("lp_b", vec![cb]),
        ("sa_w2", vec![cb, cb]),
        ("sa_b2", vec![cb]),
        ("ls", vec![cb]),
        ("proc_scale", vec![5, cb]),
        ("proc_shift", vec![5, cb]),
        ("proc_w", vec![5, cb, cb, 3, 3]),
        ("comp_scale", vec![6 * cb]),
        ("comp_shift", vec![6 * cb]),
        ("comp_w", vec![cout, 6 * cb]),
        ("sc_scale", vec![cin]),
        ("sc_shift", vec![cin]),
        ("sc_w", vec![cout, cin]),
    ];
    args.input("x")?.expect_shape("x", &[n_dim, cin, h, w])?;
    for (name, shape) in &shapes {
        args.input(name)?.expect_shape(name, shape)?;
    }
    let f = |name: &str| args.f32s(name);
    let x = f("x")?;
    let (bn_scale, bn_shift, pw_w) = (f("bn_scale")?, f("bn_shift")?, f("pw_w")?);
    let (bnl_scale, bnl_shift, ls) = (f("bnl_scale")?, f("bnl_shift")?, f("ls")?);
    let (sa_w1, sa_b1, sa_w2, sa_b2, lp_w, lp_b) =
        (f("sa_w1")?, f("sa_b1")?, f("sa_w2")?, f("sa_b2")?, f("lp_w")?, f("lp_b")?);
    let lska_stages = [
        (f("wh1")?, f("bh1")?, k1, 1, true),
        (f("wv1")?, f("bv1")?, k1, 1, false),
        (f("wh2")?, f("bh2")?, k2, d, true),
        (f("wv2")?, f("bv2")?, k2, d, false),
    ];
    let (proc_scale, proc_shift, proc_w) = (f("proc_scale")?, f("proc_shift")?, f("proc_w")?);
    let (comp_scale, comp_shift, comp_w) = (f("comp_scale")?, f("comp_shift")?, f("comp_w")?);
    let (sc_scale, sc_shift, sc_w) = (f("sc_scale")?, f("sc_shift")?, f("sc_w")?);
    let plane = h * w;

    let mut y = vec![0.0f32; n_dim * cout * plane];
    for n in 0..n_dim {
        let xn: Vec<f64> = x[n * cin * plane..][..cin * plane].iter().map(|&v| v as f64).collect();
        // P(t, k) on a map of `pix` pixels per channel
        let branch = |t: &[f64], pix: usize, k: usize| -> Vec<f64> {
            let r = affine_relu(t, pix, &bn_scale[k * cin..][..cin], &bn_shift[k * cin..][..cin], true);
            matmul(&r, cin, pix, &pw_w[k * cb * cin..][..cb * cin], cb, None)
        };
        let s0 = branch(&xn, plane, 0);

        // LSKA spatial-attention branch
        let t = affine_relu(&s0, plane, bnl_scale, bnl_shift, false);
        let mut u = matmul(&t, cb, plane, sa_w1, cb, Some(sa_b1));
        u.iter_mut().for_each(|v| *v = gelu(*v));
        let mut a = u.clone();
        for &(wt, bias, ks, dil, horizontal) in &lska_stages {
            a = dw_line(&a, cb, h, w, wt, bias, ks, dil, horizontal);
        }
        let gate = matmul(&a, cb, plane, lp_w, cb, Some(lp_b));
        let lsk: Vec<f64> = u.iter().zip(&gate).map(|(p, q)| p * q).collect();
        let sa = matmul(&lsk, cb, plane, sa_w2, cb, Some(sa_b2));
        let sl: Vec<f64> = (0..cb * plane).map(|i| s0[i] + ls[i / plane] as f64 * (sa[i] + t[i])).collect();

        // pyramid
        let process = |t: &[f64], i: usize| -> Vec<f64> {
            let r = affine_relu(t, plane, &proc_scale[i * cb..][..cb], &proc_shift[i * cb..][..cb], true);
            let dil = if i < 2 { 2 } else { 1 };
            conv3x3(&r, cb, h, w, &proc_w[i * cb * cb * 9..][..cb * cb * 9], dil)
        };
        let add = |p: &[f64], q: &[f64]| -> Vec<f64> { p.iter().zip(q).map(|(a, b)| a + b).collect() };
        let pooled_branch = |pooled: (Vec<f64>, usize, usize), k: usize| -> Vec<f64> {
            let (t, ph, pw) = pooled;
            upsample(&branch(&t, ph * pw, k), cb, ph, pw, h, w)
        };
        let x1 = process(&add(&pooled_branch(avg_pool(&xn, cin, h, w, 5, 2, 2), 1), &s0), 0);
        let x2 = process(&add(&pooled_branch(avg_pool(&xn, cin, h, w, 9, 4, 4), 2), &x1), 1);
        let x3 = process(&add(&sl, &x2), 2);
        let x4 = process(&add(&pooled_branch(adaptive_pool(&xn, cin, h, w, 2, 2), 3), &x3), 3);
        let x5 = process(&add(&pooled_branch(adaptive_pool(&xn, cin, h, w, 1, 1), 4), &x4), 4);

        let cat: Vec<f64> = [&s0, &x1, &x2, &x3, &x4, &x5].iter().flat_map(|v| v.iter().copied()).collect();
        let comp = matmul(&affine_relu(&cat, plane, comp_scale, comp_shift, true), 6 * cb, plane, comp_w, cout, None);
        let short = matmul(&affine_relu(&xn, plane, sc_scale, sc_shift, true), cin, plane, sc_w, cout, None);
        for (i, (p, q)) in comp.iter().zip(&short).enumerate() {
            y[n * cout * plane + i] = (p + q) as f32;
        }
    }
    Ok(vec![Tensor::from_f32(vec![n_dim, cout, h, w], y)])
}

/// Per-channel `scale·t + shift` (then ReLU if `relu`) on a [C, pix] map.
fn affine_relu(t: &[f64], pix: usize, scale: &[f32], shift: &[f32], relu: bool) -> Vec<f64> {
    t.iter()
        .enumerate()
        .map(|(i, &v)| {
            let c = i / pix;
            let z = scale[c] as f64 * v + shift[c] as f64;
            if relu { z.max(0.0) } else { z }
        })
        .collect()
}

/// 1×1 conv: out[o, p] = bias[o] + Σ_c wt[o·cin + c] · t[c, p].
fn matmul(t: &[f64], cin: usize, pix: usize, wt: &[f32], cout: usize, bias: Option<&[f32]>) -> Vec<f64> {
    let mut out = vec![0.0f64; cout * pix];
    for o in 0..cout {
        let dst = &mut out[o * pix..][..pix];
        dst.fill(bias.map_or(0.0, |b| b[o] as f64));
        for c in 0..cin {
            let wv = wt[o * cin + c] as f64;
            for (d, &s) in dst.iter_mut().zip(&t[c * pix..][..pix]) {
                *d += wv * s;
            }
        }
    }
    out
}

/// Dense 3×3 conv, no bias, dilation `dil`, zero padding `dil` (size preserved).
fn conv3x3(t: &[f64], c: usize, h: usize, w: usize, wt: &[f32], dil: usize) -> Vec<f64> {
    let plane = h * w;
    let mut out = vec![0.0f64; c * plane];
    for o in 0..c {
        for i in 0..h {
            for j in 0..w {
                let mut s = 0.0f64;
                for ci in 0..c {
                    for u in 0..3 {
                        let ii = i as isize + (u * dil) as isize - dil as isize;
                        if ii < 0 || ii >= h as isize {
                            continue;
                        }
                        for v in 0..3 {
                            let jj = j as isize + (v * dil) as isize - dil as isize;
                            if jj < 0 || jj >= w as isize {
                                continue;
                            }
                            s += wt[((o * c + ci) * 3 + u) * 3 + v] as f64
                                * t[ci * plane + ii as usize * w + jj as usize];
                        }
                    }
                }
                out[o * plane + i * w + j] = s;
            }
        }
    }
    out
}

/// Depthwise 1-D conv with bias along rows (`horizontal`) or columns; dilation `dil`, zero
/// padding dil·(ks − 1)/2.
#[allow(clippy::too_many_arguments)]
fn dw_line(
    t: &[f64],
    c: usize,
    h: usize,
    w: usize,
    wt: &[f32],
    bias: &[f32],
    ks: usize,
    dil: usize,
    horizontal: bool,
) -> Vec<f64> {
    let plane = h * w;
    let pad = (dil * (ks - 1) / 2) as isize;
    let mut out = vec![0.0f64; c * plane];
    for ch in 0..c {
        for i in 0..h {
            for j in 0..w {
                let mut s = bias[ch] as f64;
                for k in 0..ks {
                    let off = (k * dil) as isize - pad;
                    let (ii, jj) =
                        if horizontal { (i as isize, j as isize + off) } else { (i as isize + off, j as isize) };
                    if ii < 0 || ii >= h as isize || jj < 0 || jj >= w as isize {
                        continue;
                    }
                    s += wt[ch * ks + k] as f64 * t[ch * plane + ii as usize * w + jj as usize];
                }
                out[ch * plane + i * w + j] = s;
            }
        }
    }
    out
}

/// AvgPool2d(k, stride s, padding p), count_include_pad: every window divides by k².
/// Returns the pooled map and its size ((H + 2p − k)/s + 1 per axis).
fn avg_pool(t: &[f64], c: usize, h: usize, w: usize, k: usize, s: usize, p: usize) -> (Vec<f64>, usize, usize) {
    let (ho, wo) = ((h + 2 * p - k) / s + 1, (w + 2 * p - k) / s + 1);
    let mut out = vec![0.0f64; c * ho * wo];
    for ch in 0..c {
        for oi in 0..ho {
            for oj in 0..wo {
                let mut sum = 0.0f64;
                for u in 0..k {
                    let ii = (oi * s + u) as isize - p as isize;
                    if ii < 0 || ii >= h as isize {
                        continue;
                    }
                    for v in 0..k {
                        let jj = (oj * s + v) as isize - p as isize;
                        if jj < 0 || jj >= w as isize {
                            continue;
                        }
                        sum += t[ch * h * w + ii as usize * w + jj as usize];
                    }
                }
                out[(ch * ho + oi) * wo + oj] = sum / (k * k) as f64;
            }
        }
    }
    (out, ho, wo)
}

/// AdaptiveAvgPool2d to oh×ow: bin i covers rows ⌊i·H/oh⌋ .. ⌈(i+1)·H/oh⌉ (PyTorch's rule).
fn adaptive_pool(t: &[f64], c: usize, h: usize, w: usize, oh: usize, ow: usize) -> (Vec<f64>, usize, usize) {
    let mut out = vec![0.0f64; c * oh * ow];
    for ch in 0..c {
        for oi in 0..oh {
            let (r0, r1) = (oi * h / oh, ((oi + 1) * h).div_ceil(oh));
            for oj in 0..ow {
                let (c0, c1) = (oj * w / ow, ((oj + 1) * w).div_ceil(ow));
                let mut sum = 0.0f64;
                for i in r0..r1 {
                    for j in c0..c1 {
                        sum += t[ch * h * w + i * w + j];
                    }
                }
                out[(ch * oh + oi) * ow + oj] = sum / ((r1 - r0) * (c1 - c0)) as f64;
            }
        }
    }
    (out, oh, ow)
}

/// Bilinear resize [C, hi, wi] → [C, h, w], align_corners = False: source coordinate
/// (dst + 0.5)·(in/out) − 0.5 clamped below at 0; the upper neighbour is clamped to the edge.
fn upsample(t: &[f64], c: usize, hi: usize, wi: usize, h: usize, w: usize) -> Vec<f64> {
    let coord = |dst: usize, n_in: usize, n_out: usize| -> (usize, usize, f64) {
        let src = ((dst as f64 + 0.5) * (n_in as f64 / n_out as f64) - 0.5).max(0.0);
        let i0 = (src.floor() as usize).min(n_in - 1);
        let i1 = (i0 + 1).min(n_in - 1);
        (i0, i1, src - i0 as f64)
    };
    let mut out = vec![0.0f64; c * h * w];
    for ch in 0..c {
        let src = &t[ch * hi * wi..][..hi * wi];
        for i in 0..h {
            let (i0, i1, ly) = coord(i, hi, h);
            for j in 0..w {
                let (j0, j1, lx) = coord(j, wi, w);
                let top = src[i0 * wi + j0] * (1.0 - lx) + src[i0 * wi + j1] * lx;
                let bot = src[i1 * wi + j0] * (1.0 - lx) + src[i1 * wi + j1] * lx;
                out[(ch * h + i) * w + j] = top * (1.0 - ly) + bot * ly;
            }
        }
    }
    out
}

/// Exact GELU 0.5·t·(1 + erf(t/√2)) = 0.5·t·erfc(−t/√2).
fn gelu(t: f64) -> f64 {
    0.5 * t * erfc(-t / std::f64::consts::SQRT_2)
}

/// Complementary error function in f64 (series for |t| < 2, continued fraction beyond; relative
/// error far below f32 resolution).
fn erfc(t: f64) -> f64 {
    if t.is_nan() {
        return f64::NAN;
    }
    if t <= -2.0 {
        return 2.0 - erfc(-t);
    }
    if t < 2.0 {
        // erf(t) = (2/√π) e^(−t²) Σ_{n≥0} 2^n t^(2n+1) / (2n+1)!!
        let (mut term, mut sum) = (t, t);
        for n in 1..200 {
            term *= 2.0 * t * t / (2 * n + 1) as f64;
            sum += term;
            if term.abs() <= sum.abs() * 1e-17 {
                break;
            }
        }
        return 1.0 - std::f64::consts::FRAC_2_SQRT_PI * (-t * t).exp() * sum;
    }
    // erfc(t) = e^(−t²)/√π · 1/(t + (1/2)/(t + 1/(t + (3/2)/(t + ...))))
    let mut f = t;
    for m in (1..=60).rev() {
        f = t + (m as f64 / 2.0) / f;
    }
    (-t * t).exp() / std::f64::consts::PI.sqrt() / f
}
