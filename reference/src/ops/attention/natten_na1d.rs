//! natten_na1d: 1-D neighborhood attention (NATTEN `na1d`, non-causal, stride 1, no positional bias).
//!
//! q, k, v [B, L, Hh, D] (heads-last) → o [B, L, Hh, D]. Each query position i attends to exactly
//! `kernel_size` key positions N(i) chosen by the NATTEN window rule (kernel_size = ks, dilation = d):
//!   left  = ks // 2
//!   g     = i % d,  i' = i // d                  (dilation group of i and its index inside the group)
//!   Lg    = L // d + (1 if g < L % d else 0)     (length of group g; groups may differ by one)
//!   start = clamp(i' − left, 0, Lg − ks)         (the window is SHIFTED inward at the borders,
//!                                                  never truncated or zero-padded)
//!   N(i)  = { g + d·t : t = start, ..., start + ks − 1 }
//! (Requires Lg ≥ ks for every group, which holds when ks·d ≤ L.) Then, with scale = D^(−1/2):
//!   s_j     = scale · Σ_e q[b, i, h, e] · k[b, j, h, e]           for j in N(i)
//!   p_j     = exp(s_j − max s) / Σ_{j'∈N(i)} exp(s_j' − max s)
//!   o[b, i, h, :] = Σ_{j∈N(i)} p_j · v[b, j, h, :]
//! With ks = L and d = 1 this is ordinary full self-attention. Dot products, the softmax and the
//! weighted sum are computed in f64; o is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// 1-D neighborhood attention. Inputs: `q`, `k`, `v` [B, L, Hh, D].
/// Attributes: `kernel_size`, `dilation`. Output: `o` [B, L, Hh, D].
pub fn natten_na1d(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, l_dim, heads, d_dim) = (args.dim("B")?, args.dim("L")?, args.dim("Hh")?, args.dim("D")?);
    let ks = args.uint("kernel_size")?;
    let dil = args.uint("dilation")?;
    if ks == 0 || dil == 0 {
        return Err(RefError::Invalid("kernel_size and dilation must be positive".into()));
    }
    if ks * dil > l_dim {
        return Err(RefError::Invalid(format!("kernel_size·dilation = {} exceeds L = {l_dim}", ks * dil)));
    }
    let shape = [b_dim, l_dim, heads, d_dim];
    for name in ["q", "k", "v"] {
        args.input(name)?.expect_shape(name, &shape)?;
    }
    let q = args.f32s("q")?;
    let k = args.f32s("k")?;
    let v = args.f32s("v")?;
    let scale = 1.0 / (d_dim as f64).sqrt();
    let left = ks / 2;
    // Flat offset of the vector [b, pos, h, :] in q, k, v and o.
    let at = |b: usize, pos: usize, h: usize| ((b * l_dim + pos) * heads + h) * d_dim;

    let mut o = vec![0.0f32; q.len()];
    let mut keys = vec![0usize; ks];
    let mut scores = vec![0.0f64; ks];
    let mut acc = vec![0.0f64; d_dim];
    for i in 0..l_dim {
        // The neighborhood of i depends only on i (not on b or h).
        let g = i % dil;
        let i_in_group = i / dil;
        let group_len = l_dim / dil + usize::from(g < l_dim % dil);
        let start = i_in_group.saturating_sub(left).min(group_len - ks);
        for (t, key) in keys.iter_mut().enumerate() {
            *key = g + dil * (start + t);
        }
        for b in 0..b_dim {
            for h in 0..heads {
                let qi = &q[at(b, i, h)..][..d_dim];
                // scaled dot products
                let mut max_s = f64::NEG_INFINITY;
                for (s, &j) in scores.iter_mut().zip(&keys) {
                    let kj = &k[at(b, j, h)..][..d_dim];
                    let dot: f64 = qi.iter().zip(kj).map(|(&a, &c)| a as f64 * c as f64).sum();
                    *s = scale * dot;
                    max_s = max_s.max(*s);
                }
                // softmax weights (unnormalised) and their sum
                let mut denom = 0.0f64;
                for s in scores.iter_mut() {
                    *s = (*s - max_s).exp();
                    denom += *s;
                }
                // weighted sum of values
                acc.fill(0.0);
                for (&p, &j) in scores.iter().zip(&keys) {
                    let vj = &v[at(b, j, h)..][..d_dim];
                    for (a, &ve) in acc.iter_mut().zip(vj) {
                        *a += p * ve as f64;
                    }
                }
                let out = &mut o[at(b, i, h)..][..d_dim];
                for (dst, &a) in out.iter_mut().zip(&acc) {
                    *dst = (a / denom) as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(shape.to_vec(), o)])
}
