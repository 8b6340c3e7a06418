//! natten_na2d: 2-D neighborhood attention (NATTEN `na2d`, non-causal, stride 1, no positional
//! bias), the token mixer of NAT / DiNAT.
//!
//! q, k, v [B, H, W, Hh, D] (heads-last) → o [B, H, W, Hh, D]. On each spatial axis (length L,
//! kernel_size ks, dilation d, the same on both axes) index i gets exactly ks indices by the NATTEN
//! window rule (as in `natten_na1d`):
//!   g = i % d,  i' = i // d,  Lg = L // d + (1 if g < L % d else 0)
//!   start = clamp(i' − ks // 2, 0, Lg − ks)      (shifted inward at the borders, never truncated)
//!   N_L(i) = { g + d·t : t = start, ..., start + ks − 1 }
//! The neighbourhood of query pixel (r, c) is N_H(r) × N_W(c) (ks² keys). With scale = D^(−1/2):
//!   s_(r2,c2) = scale · Σ_e q[b, r, c, h, e] · k[b, r2, c2, h, e]
//!   p = softmax(s) over the ks² neighbours,  o[b, r, c, h, :] = Σ p_(r2,c2) · v[b, r2, c2, h, :]
//! Dot products, softmax and weighted sum are computed in f64; o is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// The ks indices attended to along one axis of length `len` by index `i`.
fn axis_window(i: usize, len: usize, ks: usize, dil: usize) -> Vec<usize> {
    let g = i % dil;
    let group_len = len / dil + usize::from(g < len % dil);
    let start = (i / dil).saturating_sub(ks / 2).min(group_len - ks);
    (start..start + ks).map(|t| g + dil * t).collect()
}

/// 2-D neighborhood attention. Inputs: `q`, `k`, `v` [B, H, W, Hh, D].
/// Attributes: `kernel_size`, `dilation`. Output: `o` [B, H, W, Hh, D].
pub fn natten_na2d(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, h_dim, w_dim) = (args.dim("B")?, args.dim("H")?, args.dim("W")?);
    let (heads, d_dim) = (args.dim("Hh")?, args.dim("D")?);
    let ks = args.uint("kernel_size")?;
    let dil = args.uint("dilation")?;
    if ks == 0 || dil == 0 {
        return Err(RefError::Invalid("kernel_size and dilation must be positive".into()));
    }
    if ks * dil > h_dim || ks * dil > w_dim {
        return Err(RefError::Invalid(format!(
            "kernel_size·dilation = {} exceeds H = {h_dim} or W = {w_dim}",
            ks * dil
        )));
    }
    let shape = [b_dim, h_dim, w_dim, heads, d_dim];
    for name in ["q", "k", "v"] {
        args.input(name)?.expect_shape(name, &shape)?;
    }
    let q = args.f32s("q")?;
    let k = args.f32s("k")?;
    let v = args.f32s("v")?;
    let scale = 1.0 / (d_dim as f64).sqrt();
    // Flat offset of the vector [b, r, c, h, :].
    let at = |b: usize, r: usize, c: usize, h: usize| (((b * h_dim + r) * w_dim + c) * heads + h) * d_dim;

    let row_windows: Vec<Vec<usize>> = (0..h_dim).map(|r| axis_window(r, h_dim, ks, dil)).collect();
    let col_windows: Vec<Vec<usize>> = (0..w_dim).map(|c| axis_window(c, w_dim, ks, dil)).collect();
    let mut o = vec![0.0f32; q.len()];
    let mut keys: Vec<(usize, usize)> = Vec::with_capacity(ks * ks);
    let mut scores = vec![0.0f64; ks * ks];
    let mut acc = vec![0.0f64; d_dim];
    for r in 0..h_dim {
        for c in 0..w_dim {
            keys.clear();
            for &r2 in &row_windows[r] {
                for &c2 in &col_windows[c] {
                    keys.push((r2, c2));
                }
            }
            for b in 0..b_dim {
                for h in 0..heads {
                    let qi = &q[at(b, r, c, h)..][..d_dim];
                    let mut max_s = f64::NEG_INFINITY;
                    for (s, &(r2, c2)) in scores.iter_mut().zip(&keys) {
                        let kj = &k[at(b, r2, c2, h)..][..d_dim];
                        let dot: f64 = qi.iter().zip(kj).map(|(&a, &e)| a as f64 * e as f64).sum();
                        *s = scale * dot;
                        max_s = max_s.max(*s);
                    }
                    let mut denom = 0.0f64;
                    for s in scores.iter_mut() {
                        *s = (*s - max_s).exp();
                        denom += *s;
                    }
                    acc.fill(0.0);
                    for (&p, &(r2, c2)) in scores.iter().zip(&keys) {
                        let vj = &v[at(b, r2, c2, h)..][..d_dim];
                        for (a, &ve) in acc.iter_mut().zip(vj) {
                            *a += p * ve as f64;
                        }
                    }
                    let out = &mut o[at(b, r, c, h)..][..d_dim];
                    for (dst, &a) in out.iter_mut().zip(&acc) {
                        *dst = (a / denom) as f32;
                    }
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(shape.to_vec(), o)])
}
