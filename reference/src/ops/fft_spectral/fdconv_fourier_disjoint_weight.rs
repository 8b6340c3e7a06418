//! fdconv_fourier_disjoint_weight: FDConv's Fourier Disjoint Weight (official code
//! Linwei-Chen/FDConv, `FDConv_detection/mmdet_custom/FDConv.py`: get_fft2freq,
//! FDConv.convert2dftweight, FDConv.forward): one learned half-spectrum is split into `kn`
//! disjoint frequency groups, each group is scaled by a per-sample attention, and an inverse real
//! 2-D FFT turns it into a per-sample spatial kernel.
//!
//! a [B, kn], D [M, Nh, 2] (re, im), M = Cout·k, N = Cin·k (even), Nh = N/2 + 1:
//!   group rule (the static buffer `grp`, rebuilt here from the dims): every bin f = u·Nh + v has
//!   signed row frequency u' = u if u < ceil(M/2) else u − M; sort the M·Nh bins ascending by
//!   r2 = u'²·N² + v²·M² (∝ squared radius of (u'/M, v/N)), ties by ascending f; the sorted list is
//!   cut into kn equal chunks and grp[f] = chunk number.
//!   alpha = (min(Cout, Cin) div 2) · kn
//!   S[b,u,v] = alpha · a[b, grp[u,v]] · (D[u,v,0] + i·D[u,v,1])
//!   w2[b] = irfft2(S[b], s=(M, N)) with numpy's convention: a complex inverse DFT along u
//!           (length M, no scaling) and then a c2r inverse along v, which ignores the imaginary
//!           parts of bins v = 0 and v = N/2, scaled by 1/(M·N) in all:
//!       Z[m,v]  = Σ_u S[u,v] · e^{+2πi·u·m/M}
//!       w2[m,n] = (1/(M·N)) · ( Re Z[m,0] + (−1)^n Re Z[m,N/2] + 2 Σ_{0<v<N/2} Re(Z[m,v] · e^{+2πi·v·n/N}) )
//!   Wt[b,o,i,kh,kw] = w2[b, o·k + kh, i·k + kw]
//! The inverse DFT is done separably (rows, then the c2r along columns) in f64 with exact
//! integer-indexed twiddles; the output is rounded to f32 once.

use crate::{OpArgs, RefError, Result, Tensor};

/// FDConv Fourier-disjoint weight synthesis. Inputs: `a` [B, kn], `D` [M, Nh, 2]. Attributes:
/// `k`, `kn`. Output: `Wt` [B, Cout, Cin, k, k].
pub fn fdconv_fourier_disjoint_weight(args: &OpArgs) -> Result<Vec<Tensor>> {
    let (bn, cout, cin) = (args.dim("B")?, args.dim("Cout")?, args.dim("Cin")?);
    let (k, kn) = (args.uint("k")?, args.uint("kn")?);
    let (m, n) = (cout * k, cin * k);
    let nh = n / 2 + 1;
    if n == 0 || m == 0 || n % 2 != 0 || kn == 0 || (m * nh) % kn != 0 {
        return Err(RefError::Invalid(format!("need N = Cin·k even and M·Nh % kn == 0 (M={m}, N={n}, kn={kn})")));
    }
    args.input("a")?.expect_shape("a", &[bn, kn])?;
    args.input("D")?.expect_shape("D", &[m, nh, 2])?;
    let (a, d) = (args.f32s("a")?, args.f32s("D")?);

    // the disjoint frequency groups
    let mut order: Vec<usize> = (0..m * nh).collect();
    let r2 = |f: usize| -> u128 {
        let (u, v) = ((f / nh) as i128, (f % nh) as i128);
        let us = if u < m.div_ceil(2) as i128 { u } else { u - m as i128 };
        (us * us * (n * n) as i128 + v * v * (m * m) as i128) as u128
    };
    order.sort_by_key(|&f| (r2(f), f));
    let chunk = m * nh / kn;
    let mut grp = vec![0usize; m * nh];
    for (pos, &f) in order.iter().enumerate() {
        grp[f] = pos / chunk;
    }
    let alpha = ((cout.min(cin) / 2) * kn) as f64;

    let tw = |len: usize| -> Vec<(f64, f64)> {
        (0..len)
            .map(|t| {
                let th = 2.0 * std::f64::consts::PI * t as f64 / len as f64;
                (th.cos(), th.sin())
            })
            .collect()
    };
    let (twm, twn) = (tw(m), tw(n));
    let mut out = vec![0.0f32; bn * m * n];
    let mut zre = vec![0.0f64; m * nh];
    let mut zim = vec![0.0f64; m * nh];
    for b in 0..bn {
        // S, then the complex inverse DFT along u
        let s: Vec<(f64, f64)> = (0..m * nh)
            .map(|f| {
                let g = alpha * a[b * kn + grp[f]] as f64;
                (g * d[2 * f] as f64, g * d[2 * f + 1] as f64)
            })
            .collect();
        for mm in 0..m {
            for v in 0..nh {
                let (mut re, mut im) = (0.0, 0.0);
                for u in 0..m {
                    let (c, sn) = twm[(u * mm) % m];
                    let (sr, si) = s[u * nh + v];
                    re += sr * c - si * sn;
                    im += sr * sn + si * c;
                }
                zre[mm * nh + v] = re;
                zim[mm * nh + v] = im;
            }
        }
        // c2r along v
        let scale = 1.0 / (m * n) as f64;
        for mm in 0..m {
            for nn in 0..n {
                let mut acc = zre[mm * nh] + if nn % 2 == 0 { 1.0 } else { -1.0 } * zre[mm * nh + n / 2];
                for v in 1..n / 2 {
                    let (c, sn) = twn[(v * nn) % n];
                    acc += 2.0 * (zre[mm * nh + v] * c - zim[mm * nh + v] * sn);
                }
                // w2[mm, nn] → Wt[b, o, i, kh, kw] with mm = o·k + kh, nn = i·k + kw
                let (o, kh, i, kw) = (mm / k, mm % k, nn / k, nn % k);
                out[(((b * cout + o) * cin + i) * k + kh) * k + kw] = (acc * scale) as f32;
            }
        }
    }
    Ok(vec![Tensor::from_f32(vec![bn, cout, cin, k, k], out)])
}
