//! hilbert_permute_tokens: Scale-DiT's token re-permutation (inferred from the abstract). Tokens
//! of an n × n grid (n a power of two) stored in row-major (h, w) order are reordered along the
//! classic Hilbert curve, so every aligned 2^k × 2^k window becomes a contiguous run of 4^k tokens.
//!
//! x [B, N, C], N = n² → y [B, N, C]:
//!   forward (inverse = false): y[b, xy2d(n, w, h), :] = x[b, h·n + w, :]
//!   inverse (inverse = true):  y[b, h·n + w, :] = x[b, xy2d(n, w, h), :]
//! where xy2d is the standard Hilbert xy → d map with x = column w and y = row h:
//!   d = 0; s = n/2
//!   while s > 0: rx = (x & s) > 0; ry = (y & s) > 0; d += s·s·((3·rx) XOR ry);
//!                if ry == 0 { if rx == 1 { x = n−1−x; y = n−1−y }; swap(x, y) }; s /= 2
//! A pure permutation: values are copied bit for bit.

use crate::{AttrValue, OpArgs, RefError, Result, Tensor};

/// Hilbert rank of column `x`, row `y` on an n × n grid (n a power of two).
pub fn xy2d(n: usize, mut x: usize, mut y: usize) -> usize {
    let mut d = 0;
    let mut s = n / 2;
    while s > 0 {
        let rx = usize::from(x & s > 0);
        let ry = usize::from(y & s > 0);
        d += s * s * ((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = n - 1 - x;
                y = n - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    d
}

/// A boolean attribute that may also be given as an integer (0 = false).
fn bool_attr(args: &OpArgs, name: &str) -> Result<bool> {
    match args.attrs.get(name) {
        Some(AttrValue::Int(i)) => Ok(*i != 0),
        _ => args.flag(name),
    }
}

/// Hilbert-order token permutation. Input: `x` [B, N, C] with N = n·n. Attribute: `inverse`.
/// Dims: `B`, `n`, `C`. Output: `y` [B, N, C].
pub fn hilbert_permute_tokens(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (b_dim, n, c) = (args.dim("B")?, args.dim("n")?, args.dim("C")?);
    if !n.is_power_of_two() {
        return Err(RefError::Invalid(format!("grid side n = {n} must be a power of two")));
    }
    let inverse = bool_attr(args, "inverse")?;
    let tokens = n * n;
    args.input("x")?.expect_shape("x", &[b_dim, tokens, c])?;
    let x = args.f32s("x")?;
    let mut y = vec![0.0f32; x.len()];
    for b in 0..b_dim {
        for h in 0..n {
            for w in 0..n {
                let raster = b * tokens + h * n + w;
                let hilbert = b * tokens + xy2d(n, w, h);
                let (dst, src) = if inverse { (raster, hilbert) } else { (hilbert, raster) };
                y[dst * c..(dst + 1) * c].copy_from_slice(&x[src * c..(src + 1) * c]);
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![b_dim, tokens, c], y)])
}
