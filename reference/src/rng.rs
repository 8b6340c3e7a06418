//! Seeded, counter-based input generation.
//!
//! Inputs must be identical on every machine and independent of how many threads generate them,
//! so kernelsmith uses Philox4x32-10 (Salmon et al., SC'11; the generator behind cuRAND and
//! JAX): element `i` of input stream `s` under seed `k` is a pure function of `(k, s, i)`. The
//! distributions below are written out by hand (no `rand_distr`) so a dependency upgrade can never
//! change the inputs of a published benchmark.

use crate::tensor::{DType, Data, Tensor};
use half::{bf16, f16};

const M0: u32 = 0xD251_1F53;
const M1: u32 = 0xCD9E_8D57;
const W0: u32 = 0x9E37_79B9;
const W1: u32 = 0xBB67_AE85;

/// Philox4x32 with 10 rounds, keyed by a 64-bit seed.
#[derive(Clone, Copy, Debug)]
pub struct Philox {
    key: [u32; 2],
}

impl Philox {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Philox {
        Philox { key: [seed as u32, (seed >> 32) as u32] }
    }

    /// The raw Philox4x32-10 bijection of a 128-bit counter under a 64-bit key.
    pub fn raw(counter: [u32; 4], key: [u32; 2]) -> [u32; 4] {
        let mut c = counter;
        let mut k = key;
        for round in 0..10 {
            if round > 0 {
                k[0] = k[0].wrapping_add(W0);
                k[1] = k[1].wrapping_add(W1);
            }
            let p0 = (M0 as u64) * (c[0] as u64);
            let p1 = (M1 as u64) * (c[2] as u64);
            c = [((p1 >> 32) as u32) ^ c[1] ^ k[0], p1 as u32, ((p0 >> 32) as u32) ^ c[3] ^ k[1], p0 as u32];
        }
        c
    }

    /// Four random words for element `index` of stream `stream`.
    pub fn block(&self, stream: u64, index: u64) -> [u32; 4] {
        Philox::raw([index as u32, (index >> 32) as u32, stream as u32, (stream >> 32) as u32], self.key)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    pub fn uniform01(&self, stream: u64, index: u64) -> f64 {
        let w = self.block(stream, index);
        let bits = ((w[0] as u64) << 21) ^ ((w[1] as u64) >> 11);
        (bits & ((1u64 << 53) - 1)) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Two independent standard normal doubles from block `pair` (Box–Muller on two 53-bit
    /// uniforms: `r·cos θ` for even elements, `r·sin θ` for odd ones).
    pub fn normal_pair(&self, stream: u64, pair: u64) -> (f64, f64) {
        let w = self.block(stream, pair);
        let a = (((w[0] as u64) << 21) ^ ((w[1] as u64) >> 11)) & ((1u64 << 53) - 1);
        let b = (((w[2] as u64) << 21) ^ ((w[3] as u64) >> 11)) & ((1u64 << 53) - 1);
        let u1 = (a as f64 + 1.0) * (1.0 / ((1u64 << 53) as f64 + 1.0)); // (0, 1]
        let u2 = b as f64 * (1.0 / (1u64 << 53) as f64);
        let r = (-2.0 * u1.ln()).sqrt();
        let (sin, cos) = (std::f64::consts::TAU * u2).sin_cos();
        (r * cos, r * sin)
    }

    /// The standard normal double for element `index`.
    pub fn normal(&self, stream: u64, index: u64) -> f64 {
        let (c, s) = self.normal_pair(stream, index / 2);
        if index.is_multiple_of(2) { c } else { s }
    }
}

/// How an input tensor's values are drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum Init {
    /// Normal with the given mean and standard deviation.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        std: f64,
    },
    /// Uniform on [low, high).
    Uniform {
        /// Lower bound (inclusive).
        low: f64,
        /// Upper bound (exclusive).
        high: f64,
    },
    /// Uniform integers on [low, high).
    RandInt {
        /// Lower bound (inclusive).
        low: i64,
        /// Upper bound (exclusive).
        high: i64,
    },
    /// 1 with probability `p`, else 0.
    Bernoulli {
        /// Probability of a one.
        p: f64,
    },
    /// Every element equals `value`.
    Const {
        /// The value.
        value: f64,
    },
}

impl Init {
    /// Element `index` of stream `stream` as f64.
    pub fn sample(&self, rng: &Philox, stream: u64, index: u64) -> f64 {
        match *self {
            Init::Normal { mean, std } => mean + std * rng.normal(stream, index),
            Init::Uniform { low, high } => low + (high - low) * rng.uniform01(stream, index),
            Init::RandInt { low, high } => {
                let span = (high - low).max(1) as u64;
                let w = rng.block(stream, index);
                let r = ((w[0] as u64) << 32 | w[1] as u64) % span;
                (low + r as i64) as f64
            }
            Init::Bernoulli { p } => f64::from(u8::from(rng.uniform01(stream, index) < p)),
            Init::Const { value } => value,
        }
    }
}

impl Init {
    /// Fill `out` with elements `start..start + out.len()`; `start` must be even so normal pairs
    /// are never split between two calls.
    fn fill<T>(&self, rng: &Philox, stream: u64, start: usize, out: &mut [T], conv: &(impl Fn(f64) -> T + Sync)) {
        debug_assert!(start.is_multiple_of(2));
        match *self {
            Init::Normal { mean, std } => {
                for (j, pair) in out.chunks_mut(2).enumerate() {
                    let (a, b) = rng.normal_pair(stream, (start / 2 + j) as u64);
                    pair[0] = conv(mean + std * a);
                    if let Some(second) = pair.get_mut(1) {
                        *second = conv(mean + std * b);
                    }
                }
            }
            _ => {
                for (k, o) in out.iter_mut().enumerate() {
                    *o = conv(self.sample(rng, stream, (start + k) as u64));
                }
            }
        }
    }
}

/// Draw `n` elements, in parallel for large tensors (the result does not depend on threading).
fn draw<T: Send + Copy + Default>(
    n: usize,
    init: &Init,
    seed: u64,
    stream: u64,
    conv: impl Fn(f64) -> T + Sync,
) -> Vec<T> {
    let rng = Philox::new(seed);
    let mut out = vec![T::default(); n];
    let threads = if n < (1 << 16) { 1 } else { std::thread::available_parallelism().map_or(1, |p| p.get()).min(16) };
    let chunk = (n.div_ceil(threads) + 1) & !1; // even, so normal pairs stay together
    if threads == 1 || chunk == 0 {
        init.fill(&rng, stream, 0, &mut out, &conv);
        return out;
    }
    std::thread::scope(|s| {
        for (ci, part) in out.chunks_mut(chunk).enumerate() {
            let (rng, conv) = (&rng, &conv);
            s.spawn(move || init.fill(rng, stream, ci * chunk, part, conv));
        }
    });
    out
}

/// Generate a tensor: element `i` is `init` sampled at `(seed, stream, i)`, rounded to `dtype`.
///
/// `stream` separates the inputs of one task (use the input's position) so that two inputs with
/// the same distribution still differ.
pub fn generate(dtype: DType, shape: &[usize], init: &Init, seed: u64, stream: u64) -> Tensor {
    let n: usize = shape.iter().product();
    let data = match dtype {
        DType::F32 => Data::F32(draw(n, init, seed, stream, |v| v as f32)),
        DType::F16 => Data::F16(draw(n, init, seed, stream, f16::from_f64)),
        DType::BF16 => Data::BF16(draw(n, init, seed, stream, bf16::from_f64)),
        DType::I8 => Data::I8(draw(n, init, seed, stream, |v| v.round().clamp(-128.0, 127.0) as i8)),
        DType::I32 => Data::I32(draw(n, init, seed, stream, |v| v.round() as i32)),
        DType::I64 => Data::I64(draw(n, init, seed, stream, |v| v.round() as i64)),
        DType::U8 => Data::U8(draw(n, init, seed, stream, |v| v.round().clamp(0.0, 255.0) as u8)),
    };
    Tensor { shape: shape.to_vec(), data }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Known-answer vectors from the Random123 distribution (kat_vectors, philox4x32_10).
    #[test]
    fn philox4x32_10_matches_random123_known_answers() {
        assert_eq!(Philox::raw([0; 4], [0; 2]), [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
        assert_eq!(Philox::raw([u32::MAX; 4], [u32::MAX; 2]), [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]);
        assert_eq!(
            Philox::raw([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0]),
            [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]
        );
    }

    #[test]
    fn generation_is_a_pure_function_of_seed_stream_and_index() {
        let init = Init::Normal { mean: 0.0, std: 1.0 };
        let a = generate(DType::F32, &[4, 5], &init, 7, 0);
        let b = generate(DType::F32, &[4, 5], &init, 7, 0);
        let c = generate(DType::F32, &[4, 5], &init, 8, 0);
        let d = generate(DType::F32, &[4, 5], &init, 7, 1);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
        // A prefix of a larger tensor is the same values: element i depends on i only, also
        // when the large tensor is generated by several threads.
        let big = generate(DType::F32, &[1 << 18], &init, 7, 0);
        assert_eq!(a.f32s("a").unwrap(), &big.f32s("big").unwrap()[..20]);
        let rng = Philox::new(7);
        for i in [0u64, 1, 65_535, 65_536, 131_071, (1 << 18) - 1] {
            assert_eq!(big.f32s("big").unwrap()[i as usize], init.sample(&rng, 0, i) as f32, "element {i}");
        }
    }

    #[test]
    fn distributions_have_the_requested_moments_and_ranges() {
        let n = 20_000;
        let normal = generate(DType::F32, &[n], &Init::Normal { mean: 2.0, std: 3.0 }, 1, 0);
        let v = normal.f32s("n").unwrap();
        let mean = v.iter().map(|&x| x as f64).sum::<f64>() / n as f64;
        let var = v.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / n as f64;
        assert!((mean - 2.0).abs() < 0.1, "mean {mean}");
        assert!((var.sqrt() - 3.0).abs() < 0.1, "std {}", var.sqrt());

        let uni = generate(DType::F32, &[n], &Init::Uniform { low: -1.0, high: 0.5 }, 1, 0);
        assert!(uni.f32s("u").unwrap().iter().all(|&x| (-1.0..0.5).contains(&x)));

        let ints = generate(DType::I32, &[n], &Init::RandInt { low: -3, high: 4 }, 1, 0);
        let Data::I32(iv) = &ints.data else { panic!("dtype") };
        assert!(iv.iter().all(|&x| (-3..4).contains(&x)));
        for want in -3..4 {
            assert!(iv.contains(&want), "value {want} never drawn");
        }
    }
}
