//! pat_sp_mlp_spatial_attention: PATNet's PAT_sp MLP (ASSUMED structure, inferred from the
//! abstract): a FasterNet MLP (1×1 conv C → rC, folded BatchNorm, GELU, 1×1 conv rC → C) whose
//! output is gated by a spatial attention map predicted from the hidden features by a 1×1 conv.
//!
//! x [B, C, H, W], w1 [rC, C], s1, t1 [rC], w2 [C, rC], ws [1, rC], bs [1] → y [B, C, H, W]:
//!   h[b, e, p]  = gelu( s1[e] · Σ_c w1[e, c] · x[b, c, p] + t1[e] )       (p = pixel, exact erf GELU)
//!   sp[b, p]    = sigmoid( Σ_e ws[0, e] · h[b, e, p] + bs[0] )
//!   y[b, c, p]  = sp[b, p] · Σ_e w2[c, e] · h[b, e, p]
//! The block residual (x + y) is outside the op. Everything in f64, rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// PAT_sp MLP with spatial gate. Inputs: `x` [B, C, H, W], `w1` [Ch, C], `s1`, `t1` [Ch],
/// `w2` [C, Ch], `ws` [1, Ch], `bs` [1] (Ch = r·C). Attribute: `r`. Output: `y` [B, C, H, W].
pub fn pat_sp_mlp_spatial_attention(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, h, w_dim) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let r = args.uint("r")?;
    if r == 0 {
        return Err(RefError::Invalid("expansion r must be >= 1".into()));
    }
    let ch = r * c_dim;
    args.input("x")?.expect_shape("x", &[b_dim, c_dim, h, w_dim])?;
    args.input("w1")?.expect_shape("w1", &[ch, c_dim])?;
    args.input("s1")?.expect_shape("s1", &[ch])?;
    args.input("t1")?.expect_shape("t1", &[ch])?;
    args.input("w2")?.expect_shape("w2", &[c_dim, ch])?;
    args.input("ws")?.expect_shape("ws", &[1, ch])?;
    args.input("bs")?.expect_shape("bs", &[1])?;
    let x = args.f32s("x")?;
    let (w1, s1, t1) = (args.f32s("w1")?, args.f32s("s1")?, args.f32s("t1")?);
    let (w2, ws, bs) = (args.f32s("w2")?, args.f32s("ws")?, args.f32s("bs")?);
    let plane = h * w_dim;
    let mut y = vec![0.0f32; x.len()];
    let mut hid = vec![0.0f64; ch];
    let mut xp = vec![0.0f64; c_dim];
    for b in 0..b_dim {
        for p in 0..plane {
            for c in 0..c_dim {
                xp[c] = x[(b * c_dim + c) * plane + p] as f64;
            }
            for e in 0..ch {
                let z: f64 = (0..c_dim).map(|c| w1[e * c_dim + c] as f64 * xp[c]).sum();
                let a = s1[e] as f64 * z + t1[e] as f64;
                hid[e] = 0.5 * a * erfc(-a * std::f64::consts::FRAC_1_SQRT_2);
            }
            let logit: f64 = (0..ch).map(|e| ws[e] as f64 * hid[e]).sum::<f64>() + bs[0] as f64;
            let sp = 1.0 / (1.0 + (-logit).exp());
            for c in 0..c_dim {
                let z: f64 = (0..ch).map(|e| w2[c * ch + e] as f64 * hid[e]).sum();
                y[(b * c_dim + c) * plane + p] = (z * sp) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, c_dim, h, w_dim], y)])
}

/// Complementary error function in f64 (same construction as `activation::gelu_erf`, relative
/// error below 1e-13): positive-term series for |t| < 2, continued fraction for t ≥ 2,
/// erfc(t) = 2 − erfc(−t) for t ≤ −2.
fn erfc(t: f64) -> f64 {
    if t.is_nan() {
        return f64::NAN;
    }
    if t <= -2.0 {
        return 2.0 - erfc(-t);
    }
    if t < 2.0 {
        let mut term = t;
        let mut sum = t;
        for n in 1..200 {
            term *= 2.0 * t * t / (2 * n + 1) as f64;
            sum += term;
            if term.abs() <= sum.abs() * 1e-17 {
                break;
            }
        }
        return 1.0 - std::f64::consts::FRAC_2_SQRT_PI * (-t * t).exp() * sum;
    }
    let mut f = t;
    for m in (1..=60).rev() {
        f = t + (m as f64 / 2.0) / f;
    }
    (-t * t).exp() / std::f64::consts::PI.sqrt() / f
}
