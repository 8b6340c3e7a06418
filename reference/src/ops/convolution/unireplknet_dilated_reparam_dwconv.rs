//! unireplknet_dilated_reparam_dwconv: UniRepLKNet's Dilated Reparam Block in its training
//! (non-merged) form (`DilatedReparamBlock.forward`, BN folded into per-channel scale/shift as
//! `fuse_bn` does), for the K = 13 configuration used by all UniRepLKNet image models: a
//! depthwise 13×13 conv plus five depthwise dilated branches with (kernel, dilation)
//! (5,1), (7,2), (3,3), (3,4), (3,5).
//!
//! x [N, C, H, W]; w0 [C,1,13,13], w1 [C,1,5,5], w2 [C,1,7,7], w3, w4, w5 [C,1,3,3]; s, t [6, C]
//! (row i = branch i, row 0 = the large kernel) → y [N, C, H, W]:
//!   y[n,c,i,j] = Σ_{br=0..5} ( s[br,c] · Σ_{u,v<k_br} w_br[c,0,u,v] · x[n,c, i + r_br·u − p_br, j + r_br·v − p_br] + t[br,c] )
//!   (k, r) = (13,1), (5,1), (7,2), (3,3), (3,4), (3,5);  p_br = (r_br·(k_br−1) + 1) // 2;  zero padding.
//! Every branch is computed separately (not the merged kernel), accumulated in f64 and the sum is
//! rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// (kernel size, dilation) of branch 0 (the large kernel) and the five dilated branches, K = 13.
const BRANCHES: [(usize, usize); 6] = [(13, 1), (5, 1), (7, 2), (3, 3), (3, 4), (3, 5)];

/// Dilated Reparam Block (K = 13). Inputs: `x` [N, C, H, W], `w0`..`w5`, `s`, `t` [6, C].
/// Attribute `K` (must be 13). Output: `y` [N, C, H, W].
pub fn unireplknet_dilated_reparam_dwconv(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (nn, nc, h, w) = (args.dim("N")?, args.dim("C")?, args.dim("H")?, args.dim("W")?);
    let big_k = args.uint("K")?;
    if big_k != 13 {
        return Err(RefError::Invalid(format!("only the K = 13 branch set is implemented, got K = {big_k}")));
    }
    args.input("x")?.expect_shape("x", &[nn, nc, h, w])?;
    let names = ["w0", "w1", "w2", "w3", "w4", "w5"];
    let mut ws = Vec::new();
    for (name, &(k, _)) in names.iter().zip(&BRANCHES) {
        args.input(name)?.expect_shape(name, &[nc, 1, k, k])?;
        ws.push(args.f32s(name)?);
    }
    args.input("s")?.expect_shape("s", &[6, nc])?;
    args.input("t")?.expect_shape("t", &[6, nc])?;
    let (x, s, t) = (args.f32s("x")?, args.f32s("s")?, args.f32s("t")?);
    let plane = h * w;
    let mut y = vec![0.0f32; nn * nc * plane];
    for n in 0..nn {
        for c in 0..nc {
            let xc = &x[(n * nc + c) * plane..(n * nc + c + 1) * plane];
            for i in 0..h {
                for j in 0..w {
                    let mut total = 0.0f64;
                    for (br, &(k, r)) in BRANCHES.iter().enumerate() {
                        let p = (r * (k - 1)).div_ceil(2) as isize;
                        let wk = &ws[br][c * k * k..(c + 1) * k * k];
                        let mut acc = 0.0f64;
                        for u in 0..k {
                            let ii = i as isize + (r * u) as isize - p;
                            if ii < 0 || ii >= h as isize {
                                continue;
                            }
                            for v in 0..k {
                                let jj = j as isize + (r * v) as isize - p;
                                if jj < 0 || jj >= w as isize {
                                    continue;
                                }
                                acc += wk[u * k + v] as f64 * xc[ii as usize * w + jj as usize] as f64;
                            }
                        }
                        total += s[br * nc + c] as f64 * acc + t[br * nc + c] as f64;
                    }
                    y[(n * nc + c) * plane + i * w + j] = total as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![nn, nc, h, w], y)])
}
