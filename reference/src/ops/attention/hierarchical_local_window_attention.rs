//! hierarchical_local_window_attention: Scale-DiT's masked attention (inferred from the
//! abstract). High-resolution tokens, already in Hilbert order, attend only inside their local
//! window (a contiguous block of Lw = l² tokens) plus a set of G global tokens (text + low-res
//! latent); global tokens see the global tokens (and the local ones when `global_sees_local`).
//!
//! q, k, v [B, nh, T, dh] with T = G + N (first G positions global) → o [B, nh, T, dh]:
//!   win(i) = (i − G) div Lw  for i ≥ G
//!   allowed(i, j) = j < G
//!                 OR (i ≥ G AND j ≥ G AND win(i) == win(j))
//!                 OR (i < G AND j ≥ G AND global_sees_local)
//!   s_ij = (q_i · k_j) / sqrt(dh) for allowed j;  p = softmax_j (max-subtracted);  o_i = Σ_j p_ij v_j
//! Every row has at least one allowed key (G ≥ 1, or its own window). Accumulated in f64.

use crate::{AttrValue, OpArgs, RefError, Result, Tensor};

/// A boolean attribute that may also be given as an integer (0 = false).
fn bool_attr(args: &OpArgs, name: &str) -> Result<bool> {
    match args.attrs.get(name) {
        Some(AttrValue::Int(i)) => Ok(*i != 0),
        _ => args.flag(name),
    }
}

/// Global + local-window masked attention. Inputs: `q`, `k`, `v` [B, nh, G + N, dh].
/// Dims: `B`, `nh`, `G`, `N`, `dh`, `l` (window side, Lw = l²). Attribute: `global_sees_local`. Output: `o` [B, nh, G + N, dh].
pub fn hierarchical_local_window_attention(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, nh, g, n, dh) = (args.dim("B")?, args.dim("nh")?, args.dim("G")?, args.dim("N")?, args.dim("dh")?);
    let l = args.dim("l")?;
    let gsl = bool_attr(args, "global_sees_local")?;
    let lw = l * l;
    if lw == 0 || n % lw != 0 || dh == 0 {
        return Err(RefError::Invalid(format!("need l >= 1, N ({n}) a multiple of l*l ({lw}) and dh >= 1")));
    }
    if g == 0 && n == 0 {
        return Err(RefError::Invalid("no tokens".into()));
    }
    let t = g + n;
    for name in ["q", "k", "v"] {
        args.input(name)?.expect_shape(name, &[b_dim, nh, t, dh])?;
    }
    let (q, kk, v) = (args.f32s("q")?, args.f32s("k")?, args.f32s("v")?);
    let scale = 1.0 / (dh as f64).sqrt();
    let mut o = vec![0.0f32; q.len()];
    let mut keys: Vec<usize> = Vec::with_capacity(t);
    let mut s: Vec<f64> = Vec::with_capacity(t);
    for bh in 0..b_dim * nh {
        let base = bh * t * dh;
        for i in 0..t {
            // the allowed key set of row i
            keys.clear();
            keys.extend(0..g);
            if i >= g {
                let w0 = g + (i - g) / lw * lw;
                keys.extend(w0..w0 + lw);
            } else if gsl {
                keys.extend(g..t);
            }
            let qi = &q[base + i * dh..][..dh];
            s.clear();
            for &j in &keys {
                let kj = &kk[base + j * dh..][..dh];
                let dot: f64 = qi.iter().zip(kj).map(|(&a, &b)| a as f64 * b as f64).sum();
                s.push(dot * scale);
            }
            let m = s.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let mut den = 0.0f64;
            for e in s.iter_mut() {
                *e = (*e - m).exp();
                den += *e;
            }
            for d in 0..dh {
                let mut acc = 0.0f64;
                for (&j, &p) in keys.iter().zip(&s) {
                    acc += p * v[base + j * dh + d] as f64;
                }
                o[base + i * dh + d] = (acc / den) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, nh, t, dh], o)])
}
