//! groupwise_correlation_volume: GBi-Net's group-wise correlation (as in GwcNet) between the
//! reference features and the warped source features (official code MiZhenxing/GBi-Net
//! `models/gbinet_clean.py`: `(warped_volume * ref_feature.unsqueeze(3)).mean(2)` after viewing
//! the channels as [G, C/G]; contiguous channel groups).
//!
//! ref [B, C, H, W], warped [B, C, D, H, W]; attribute G (C % G == 0), Cg = C / G →
//!   sim[b, g, d, h, w] = (1/Cg)·Σ_{c<Cg} warped[b, g·Cg + c, d, h, w]·ref[b, g·Cg + c, h, w]
//! Sums in f64, rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Group-wise correlation. Inputs: `ref` [B, C, H, W], `warped` [B, C, D, H, W]. Attribute: `G`.
/// Output: `sim` [B, G, D, H, W].
pub fn groupwise_correlation_volume(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, c_dim, d_dim) = (args.dim("B")?, args.dim("C")?, args.dim("D")?);
    let (h, w_dim, g_dim) = (args.dim("H")?, args.dim("W")?, args.uint("G")?);
    if g_dim == 0 || c_dim % g_dim != 0 {
        return Err(RefError::Invalid(format!("C={c_dim} must be a positive multiple of G={g_dim}")));
    }
    args.input("ref")?.expect_shape("ref", &[b_dim, c_dim, h, w_dim])?;
    args.input("warped")?.expect_shape("warped", &[b_dim, c_dim, d_dim, h, w_dim])?;
    let rf = args.f32s("ref")?;
    let wp = args.f32s("warped")?;
    let (cg, plane) = (c_dim / g_dim, h * w_dim);

    let mut sim = vec![0.0f32; b_dim * g_dim * d_dim * plane];
    for b in 0..b_dim {
        for g in 0..g_dim {
            for d in 0..d_dim {
                for p in 0..plane {
                    let mut s = 0.0f64;
                    for c in g * cg..(g + 1) * cg {
                        s += wp[((b * c_dim + c) * d_dim + d) * plane + p] as f64
                            * rf[(b * c_dim + c) * plane + p] as f64;
                    }
                    sim[((b * g_dim + g) * d_dim + d) * plane + p] = (s / cg as f64) as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, g_dim, d_dim, h, w_dim], sim)])
}
