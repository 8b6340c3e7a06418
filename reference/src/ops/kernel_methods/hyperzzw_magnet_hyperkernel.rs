//! hyperzzw_magnet_hyperkernel: the global hyper-kernel generator ("slow net", MAGNet_G) of
//! HyperZ·Z·W / Terminator (`MAGNetLayer`, `MAGNet_G`, `linspace_grid`, `construct_kernel`): a
//! multiplicative filter network evaluated on a K×K coordinate grid in [−1, 1]², producing one
//! K×K kernel per output channel. (The context-dependent MAGNet_L variant is not this task.)
//!
//! Wf [L+1, Hd, 2], bf [L+1, Hd], Wl [L, Hd, Hd], bl [L, Hd], Wo [C, Hd], bo [C],
//! bias_p [K, K] → Hk [C, K, K]:
//!   g0[i,j] = −1 + 2i/(K−1),  g1[i,j] = −1 + 2j/(K−1)          (linspace, meshgrid 'ij')
//!   filt_f[h,i,j] = sin(Wf[f,h,0]·g0[i,j] + Wf[f,h,1]·g1[i,j] + bf[f,h])      f = 0..L
//!   out = filt_0
//!   for l = 0..L−1: out[h] = filt_{l+1}[h] · (Σ_{h'} Wl[l,h,h']·out[h'] + bl[l,h]) + bias_p     (per (i,j))
//!   Hk[c,i,j] = bo[c] + Σ_h Wo[c,h] · out[h,i,j]
//! f64 throughout, rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// MAGNet global hyper-kernel generator. Inputs: `Wf` [L+1, Hd, 2], `bf` [L+1, Hd],
/// `Wl` [L, Hd, Hd], `bl` [L, Hd], `Wo` [C, Hd], `bo` [C], `bias_p` [K, K]. Output: `Hk` [C, K, K].
pub fn hyperzzw_magnet_hyperkernel(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (nc, hd, k, nl) = (args.dim("C")?, args.dim("Hd")?, args.dim("K")?, args.dim("L")?);
    if k < 2 {
        return Err(RefError::Invalid(format!("grid size K = {k} must be at least 2")));
    }
    args.input("Wf")?.expect_shape("Wf", &[nl + 1, hd, 2])?;
    args.input("bf")?.expect_shape("bf", &[nl + 1, hd])?;
    args.input("Wl")?.expect_shape("Wl", &[nl, hd, hd])?;
    args.input("bl")?.expect_shape("bl", &[nl, hd])?;
    args.input("Wo")?.expect_shape("Wo", &[nc, hd])?;
    args.input("bo")?.expect_shape("bo", &[nc])?;
    args.input("bias_p")?.expect_shape("bias_p", &[k, k])?;
    let (wf, bf, wl, bl) = (args.f32s("Wf")?, args.f32s("bf")?, args.f32s("Wl")?, args.f32s("bl")?);
    let (wo, bo, bias_p) = (args.f32s("Wo")?, args.f32s("bo")?, args.f32s("bias_p")?);
    let mut hk = vec![0.0f32; nc * k * k];
    let filt = |f: usize, h: usize, g0: f64, g1: f64| {
        (wf[(f * hd + h) * 2] as f64 * g0 + wf[(f * hd + h) * 2 + 1] as f64 * g1 + bf[f * hd + h] as f64).sin()
    };
    for i in 0..k {
        let g0 = -1.0 + 2.0 * i as f64 / (k - 1) as f64;
        for j in 0..k {
            let g1 = -1.0 + 2.0 * j as f64 / (k - 1) as f64;
            let mut out: Vec<f64> = (0..hd).map(|h| filt(0, h, g0, g1)).collect();
            for l in 0..nl {
                out = (0..hd)
                    .map(|h| {
                        let lin = bl[l * hd + h] as f64
                            + (0..hd).map(|h2| wl[(l * hd + h) * hd + h2] as f64 * out[h2]).sum::<f64>();
                        filt(l + 1, h, g0, g1) * lin + bias_p[i * k + j] as f64
                    })
                    .collect();
            }
            for c in 0..nc {
                let v = bo[c] as f64 + (0..hd).map(|h| wo[c * hd + h] as f64 * out[h]).sum::<f64>();
                hk[(c * k + i) * k + j] = v as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![nc, k, k], hk)])
}
