//! scalekd_dual_view_mimic_loss: ScaleKD's dual-view feature mimicking loss (official code
//! deep-optimization/ScaleKD, `mmcls/models/dis_losses/fmdv2.py`, get_spat_loss, get_freq_loss,
//! class DCT, dis_freq = 'high'): a spatial view and a frequency view with the DC removed.
//!
//! s_spat, s_freq [B, H·W, C] (student tokens, row-major (h, w)), t [B, C, H, W] (teacher), H == W:
//!   to_map(s)[b,c,h,w] = s[b, h·W + w, c]
//!   l2n(z)[b,:,h,w]    = z[b,:,h,w] / max(‖z[b,:,h,w]‖₂, 1e-12)          (norm over channels)
//!   loss_spat = alpha_spat · Σ (l2n(to_map(s_spat)) − l2n(t))² / B
//!   hp(z) = idct2(dct2(z) with the [0, 0] coefficient zeroed)           (unnormalised DCT-II)
//!   loss_freq = alpha_freq · Σ (l2n(hp(to_map(s_freq))) − l2n(hp(t)))² / B
//! The 2-D DCT-II DC basis function is constant, so zeroing the DC coefficient and transforming
//! back is exactly the subtraction of the per-(b, c) spatial mean: hp(z) = z − mean_{h,w} z. This
//! reference uses that identity (the numpy oracle goes through the DCT matrices instead).
//! All sums in f64; each loss is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Dual-view mimic loss. Inputs: `s_spat`, `s_freq` [B, H·W, C], `t` [B, C, H, W]. Attributes:
/// `alpha_spat`, `alpha_freq`. Outputs: `loss_spat` [1], `loss_freq` [1].
pub fn scalekd_dual_view_mimic_loss(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (bn, c, h, w) = (args.dim("B")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let (alpha_spat, alpha_freq) = (args.float("alpha_spat")?, args.float("alpha_freq")?);
    if h != w || bn == 0 || h == 0 {
        return Err(RefError::Invalid(format!("need H == W > 0 and B > 0 (B={bn}, H={h}, W={w})")));
    }
    let hw = h * w;
    args.input("s_spat")?.expect_shape("s_spat", &[bn, hw, c])?;
    args.input("s_freq")?.expect_shape("s_freq", &[bn, hw, c])?;
    args.input("t")?.expect_shape("t", &[bn, c, h, w])?;
    let (ss, sf, t) = (args.f32s("s_spat")?, args.f32s("s_freq")?, args.f32s("t")?);

    // teacher and students as f64 maps [B, C, H·W]
    let tmap: Vec<f64> = t.iter().map(|&v| v as f64).collect();
    let to_map = |s: &[f32]| -> Vec<f64> {
        let mut m = vec![0.0f64; bn * c * hw];
        for b in 0..bn {
            for p in 0..hw {
                for cc in 0..c {
                    m[(b * c + cc) * hw + p] = s[(b * hw + p) * c + cc] as f64;
                }
            }
        }
        m
    };
    let hp = |mut z: Vec<f64>| -> Vec<f64> {
        for plane in z.chunks_mut(hw) {
            let mean = plane.iter().sum::<f64>() / hw as f64;
            plane.iter_mut().for_each(|v| *v -= mean);
        }
        z
    };
    let l2n = |mut z: Vec<f64>| -> Vec<f64> {
        for b in 0..bn {
            for p in 0..hw {
                let norm = (0..c).map(|cc| z[(b * c + cc) * hw + p].powi(2)).sum::<f64>().sqrt().max(1e-12);
                (0..c).for_each(|cc| z[(b * c + cc) * hw + p] /= norm);
            }
        }
        z
    };
    let sq = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f64>();
    let spat = alpha_spat * sq(&l2n(to_map(ss)), &l2n(tmap.clone())) / bn as f64;
    let freq = alpha_freq * sq(&l2n(hp(to_map(sf))), &l2n(hp(tmap))) / bn as f64;
    Ok(vec![Tensor::from_f32(vec![1], vec![spat as f32]), Tensor::from_f32(vec![1], vec![freq as f32])])
}
