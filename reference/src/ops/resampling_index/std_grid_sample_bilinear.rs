//! std_grid_sample_bilinear: PyTorch `F.grid_sample(x, grid, mode='bilinear', padding_mode,
//! align_corners)` on 4-D inputs. Attribute `align_corners` (0/1, PyTorch default 0) and
//! `border` (0 = padding_mode 'zeros', 1 = 'border').
//!
//! x [N, C, Hin, Win], grid [N, Ho, Wo, 2] with (gx, gy) = grid[n, i, j, 0..2] (gx ↔ width) →
//! y [N, C, Ho, Wo]:
//!   align_corners = 1: ix = (gx + 1)/2·(Win − 1),  iy = (gy + 1)/2·(Hin − 1)
//!   align_corners = 0: ix = ((gx + 1)·Win − 1)/2,  iy = ((gy + 1)·Hin − 1)/2
//!   border = 1: ix = clamp(ix, 0, Win − 1), iy = clamp(iy, 0, Hin − 1) before interpolating
//!   x0 = floor(ix), y0 = floor(iy), wx = ix − x0, wy = iy − y0;
//!   y = Σ over the corners (x0|x0+1, y0|y0+1) of (1−wx|wx)·(1−wy|wy)·x[n, c, y, x],
//!       a corner outside [0, Win−1]×[0, Hin−1] contributing 0.
//! Coordinates and sums in f64; outputs rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// Bilinear grid sample. Inputs: `x` [N, C, Hin, Win], `grid` [N, Ho, Wo, 2]. Attributes:
/// `align_corners`, `border`. Output: `y` [N, C, Ho, Wo].
pub fn std_grid_sample_bilinear(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (n_dim, c_dim) = (args.dim("N")?, args.dim("C")?);
    let (hin, win, ho, wo) = (args.dim("Hin")?, args.dim("Win")?, args.dim("Ho")?, args.dim("Wo")?);
    let align = args.int("align_corners")? != 0;
    let border = args.int("border")? != 0;
    if hin == 0 || win == 0 {
        return Err(RefError::Invalid(format!("Hin={hin}, Win={win} must be positive")));
    }
    args.input("x")?.expect_shape("x", &[n_dim, c_dim, hin, win])?;
    args.input("grid")?.expect_shape("grid", &[n_dim, ho, wo, 2])?;
    let x = args.f32s("x")?;
    let grid = args.f32s("grid")?;
    let (wf, hf) = (win as f64, hin as f64);
    let unnorm =
        |g: f64, size: f64| if align { (g + 1.0) / 2.0 * (size - 1.0) } else { ((g + 1.0) * size - 1.0) / 2.0 };

    let mut y = vec![0.0f32; n_dim * c_dim * ho * wo];
    for n in 0..n_dim {
        for i in 0..ho {
            for j in 0..wo {
                let gi = ((n * ho + i) * wo + j) * 2;
                let mut ix = unnorm(grid[gi] as f64, wf);
                let mut iy = unnorm(grid[gi + 1] as f64, hf);
                if border {
                    ix = ix.clamp(0.0, wf - 1.0);
                    iy = iy.clamp(0.0, hf - 1.0);
                }
                let (x0, y0) = (ix.floor(), iy.floor());
                let (wx, wy) = (ix - x0, iy - y0);
                let corners = [
                    (x0, y0, (1.0 - wx) * (1.0 - wy)),
                    (x0 + 1.0, y0, wx * (1.0 - wy)),
                    (x0, y0 + 1.0, (1.0 - wx) * wy),
                    (x0 + 1.0, y0 + 1.0, wx * wy),
                ];
                for c in 0..c_dim {
                    let plane = &x[(n * c_dim + c) * hin * win..][..hin * win];
                    let mut acc = 0.0f64;
                    for &(cx, cy, wgt) in &corners {
                        if cx >= 0.0 && cy >= 0.0 && cx <= wf - 1.0 && cy <= hf - 1.0 {
                            acc += wgt * plane[cy as usize * win + cx as usize] as f64;
                        }
                    }
                    y[((n * c_dim + c) * ho + i) * wo + j] = acc as f32;
                }
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![n_dim, c_dim, ho, wo], y)])
}
