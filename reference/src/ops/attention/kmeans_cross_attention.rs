//! kmeans_cross_attention: the k-means cross-attention of kMaX-DeepLab (deeplab2
//! `model/transformer_decoder/kmax.py`), which PolyMaX reuses to update its cluster centres:
//! every pixel is hard-assigned to the cluster centre with the largest affinity (argmax along the
//! CLUSTER axis, not a softmax over pixels), and each centre's update is the sum of the values of
//! its pixels.
//!
//! centers [B, K, D], pix_k [B, N, D], pix_v [B, N, Dv] → update [B, K, Dv]:
//!   logits[b, k, n] = Σ_d centers[b, k, d] · pix_k[b, n, d]
//!   a[b, n] = argmax_k logits[b, k, n]         (ties → the smallest k)
//!   update[b, k, :] = Σ_{n : a[b, n] = k} pix_v[b, n, :]     (0 for a cluster with no pixel)
//! Logits and sums are accumulated in f64.

use crate::{OpArgs, Result, Tensor};

/// k-means cross-attention. Inputs: `centers` [B, K, D], `pix_k` [B, N, D], `pix_v` [B, N, Dv].
/// Output: `update` [B, K, Dv].
pub fn kmeans_cross_attention(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, k_dim, n_dim, d, dv) =
        (args.dim("B")?, args.dim("K")?, args.dim("N")?, args.dim("D")?, args.dim("Dv")?);
    args.input("centers")?.expect_shape("centers", &[b_dim, k_dim, d])?;
    args.input("pix_k")?.expect_shape("pix_k", &[b_dim, n_dim, d])?;
    args.input("pix_v")?.expect_shape("pix_v", &[b_dim, n_dim, dv])?;
    let (cen, pk, pv) = (args.f32s("centers")?, args.f32s("pix_k")?, args.f32s("pix_v")?);
    let mut upd = vec![0.0f64; b_dim * k_dim * dv];
    for b in 0..b_dim {
        for n in 0..n_dim {
            let key = &pk[(b * n_dim + n) * d..][..d];
            let mut best = 0usize;
            let mut best_logit = f64::NEG_INFINITY;
            for k in 0..k_dim {
                let c = &cen[(b * k_dim + k) * d..][..d];
                let logit: f64 = c.iter().zip(key).map(|(&a, &e)| a as f64 * e as f64).sum();
                if logit > best_logit {
                    best_logit = logit;
                    best = k;
                }
            }
            if k_dim == 0 {
                continue;
            }
            let val = &pv[(b * n_dim + n) * dv..][..dv];
            let dst = &mut upd[(b * k_dim + best) * dv..][..dv];
            for (u, &e) in dst.iter_mut().zip(val) {
                *u += e as f64;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, k_dim, dv], upd.into_iter().map(|e| e as f32).collect())])
}
