//! The machine's peak arithmetic rate and cache bandwidth, for the roofline check.
//!
//! A small C program (ours, not a candidate's) is compiled with the platform's own flags and run
//! on every core. Arithmetic: 64 and 128 independent FMA chains per thread (enough to fill both
//! FMA pipes at AVX2 and AVX-512 widths). Bandwidth: the fastest level of the hierarchy, L1,
//! measured two ways: a copy that ping-pongs between two L1-resident buffers (loads and stores
//! together, as an elementwise kernel does) and a sum with 64 independent accumulators (loads
//! alone, without the add-latency chain that a single accumulator is bound by). The best of
//! several runs is taken, then doubled: the floor must only catch work that was skipped, never a
//! kernel that is merely excellent. A task's tiny size fits in L1, so a floor built from L2 or
//! DRAM bandwidth once flagged an honest ReLU. The result is cached per CPU model, compiler and
//! flags.
//!
//! Each thread times itself with its own CPU-time clock (`CLOCK_THREAD_CPUTIME_ID`) and the
//! per-thread rates are summed. Time a thread spends preempted does not count, so a peak measured
//! while the machine is busy (tests in parallel, another run) is still the machine's capacity,
//! not a fraction of it: a wall-clock measurement under load once came out so low that an honest
//! blocked matmul fell "below the roofline floor".

use kernelsmith_platform::DevicePeak;
use std::path::Path;
use std::process::Command;

/// Measured values are multiplied by this before use (see the module docs).
pub const SAFETY_FACTOR: f64 = 2.0;

const PROGRAM: &str = r#"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <omp.h>

#define L1_FLOATS 2048 /* 8 KiB per buffer: two of them fit in any L1 data cache */
#define ACCS 64

/* CPU time of the calling thread: unaffected by time spent waiting for a core. */
static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static double sink;

/* FLOP/s of one thread running `chains` independent multiply-add chains. */
#define FMA_RATE(NAME, CHAINS)                                            \
static double NAME(long iters) {                                          \
    double t0 = now();                                                    \
    float acc[CHAINS];                                                    \
    for (int j = 0; j < CHAINS; j++) acc[j] = 1.0f + j * 1e-3f;           \
    const float a = 0.999999f, b = 1e-7f;                                 \
    for (long i = 0; i < iters; i++) {                                    \
        _Pragma("omp simd")                                               \
        for (int j = 0; j < CHAINS; j++) acc[j] = acc[j] * a + b;         \
    }                                                                     \
    float s = 0.0f;                                                       \
    for (int j = 0; j < CHAINS; j++) s += acc[j];                         \
    double t = now() - t0;                                                \
    _Pragma("omp atomic")                                                 \
    sink += s;                                                            \
    return 2.0 * CHAINS * (double)iters / t;                              \
}
FMA_RATE(fma64, 64)
FMA_RATE(fma128, 128)

/* Bytes/s of one thread copying between two L1-resident buffers (each pass reads the last). */
static double copy_rate(int passes) {
    float* x = aligned_alloc(64, L1_FLOATS * sizeof(float));
    float* y = aligned_alloc(64, L1_FLOATS * sizeof(float));
    for (int i = 0; i < L1_FLOATS; i++) x[i] = (float)(i & 7);
    double t0 = now();
    for (int p = 0; p < passes; p++) {
        const float a = 0.5f, b = (float)(p & 1);
        #pragma omp simd
        for (int i = 0; i < L1_FLOATS; i++) y[i] = x[i] * a + b;
        float* t = x; x = y; y = t;
    }
    double t = now() - t0;
    #pragma omp atomic
    sink += x[passes & (L1_FLOATS - 1)];
    free(x);
    free(y);
    return 2.0 * passes * L1_FLOATS * sizeof(float) / t;
}

/* Bytes/s of one thread summing an L1-resident buffer with ACCS independent accumulators. */
static double sum_rate(int passes) {
    float* buf = aligned_alloc(64, L1_FLOATS * sizeof(float));
    for (int i = 0; i < L1_FLOATS; i++) buf[i] = (float)(i & 7);
    float acc[ACCS] = {0};
    double t0 = now();
    for (int p = 0; p < passes; p++) {
        for (int i = 0; i < L1_FLOATS; i += ACCS) {
            #pragma omp simd
            for (int j = 0; j < ACCS; j++) acc[j] += buf[i + j];
        }
        buf[p & (L1_FLOATS - 1)] = acc[p & (ACCS - 1)] * 1e-30f;
    }
    double t = now() - t0;
    float s = 0.0f;
    for (int j = 0; j < ACCS; j++) s += acc[j];
    #pragma omp atomic
    sink += s;
    free(buf);
    return (double)passes * L1_FLOATS * sizeof(float) / t;
}

int main(void) {
    double best_flops = 0.0, best_bytes = 0.0;
    for (int run = 0; run < 5; run++) {
        double f64 = 0.0, f128 = 0.0, copy = 0.0, sum = 0.0;
        #pragma omp parallel reduction(+:f64, f128, copy, sum)
        {
            f64 += fma64(10000000);
            f128 += fma128(5000000);
            copy += copy_rate(200000);
            sum += sum_rate(200000);
        }
        double f = f64 > f128 ? f64 : f128, b = copy > sum ? copy : sum;
        if (f > best_flops) best_flops = f;
        if (b > best_bytes) best_bytes = b;
    }
    if (sink == 12345.0) puts("");
    printf("%.6e %.6e\n", best_flops, best_bytes);
    return 0;
}
"#;

/// Measure (or read from `cache_root`) this machine's peak. `None` when the compiler is missing
/// or the program fails; the roofline check is then skipped.
pub fn measure(cc: &str, flags: &[String], cache_root: &Path, identity: &str) -> Option<DevicePeak> {
    let key = kernelsmith_platform::content_hash(&[b"peak-v3", identity.as_bytes(), PROGRAM.as_bytes()]);
    let cached = cache_root.join(format!("peak-{key}.json"));
    if let Ok(text) = std::fs::read_to_string(&cached)
        && let Ok(p) = serde_json::from_str::<DevicePeak>(&text)
    {
        return Some(p);
    }
    let dir = tempfile::tempdir().ok()?;
    let src = dir.path().join("peak.c");
    std::fs::write(&src, PROGRAM).ok()?;
    let exe = dir.path().join("peak");
    // The platform's flags minus the shared-library ones.
    let flags: Vec<&String> = flags.iter().filter(|f| *f != "-shared" && *f != "-fPIC").collect();
    let ok = Command::new(cc).args(flags).arg(&src).arg("-o").arg(&exe).output().ok()?.status.success();
    if !ok {
        return None;
    }
    let out = Command::new(&exe).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace().filter_map(|s| s.parse::<f64>().ok());
    let (f, b) = (it.next()?, it.next()?);
    if !(f > 0.0 && b > 0.0) {
        return None;
    }
    let peak = DevicePeak { flops_per_s: f * SAFETY_FACTOR, bytes_per_s: b * SAFETY_FACTOR };
    let _ = std::fs::create_dir_all(cache_root);
    let _ = std::fs::write(&cached, serde_json::to_string(&peak).unwrap_or_default());
    Some(peak)
}
