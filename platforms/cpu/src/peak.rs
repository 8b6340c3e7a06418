//! The machine's peak arithmetic rate and cache bandwidth, for the roofline check.
//!
//! A small C program (ours, not a candidate's) is compiled with the platform's own flags and run
//! on every core: one part keeps 64 independent FMA chains per thread busy, the other streams a
//! per-thread buffer that fits in L2. Both are deliberately generous — the best of several runs,
//! then doubled — because the floor must only catch work that was skipped, never a kernel that
//! is merely excellent. The result is cached per CPU model, compiler and flags.
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

#define CHAINS 64
#define BUF_FLOATS (64 * 1024) /* 256 KiB per thread */

/* CPU time of the calling thread: unaffected by time spent waiting for a core. */
static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(void) {
    double best_flops = 0.0, best_bytes = 0.0;
    for (int run = 0; run < 5; run++) {
        long iters = 20000000;
        double sink = 0.0, flops = 0.0;
        #pragma omp parallel reduction(+:sink, flops)
        {
            double t0 = now();
            float acc[CHAINS];
            for (int j = 0; j < CHAINS; j++) acc[j] = 1.0f + j * 1e-3f;
            const float a = 0.999999f, b = 1e-7f;
            for (long i = 0; i < iters; i++) {
                #pragma omp simd
                for (int j = 0; j < CHAINS; j++) acc[j] = acc[j] * a + b;
            }
            for (int j = 0; j < CHAINS; j++) sink += acc[j];
            flops += 2.0 * CHAINS * (double)iters / (now() - t0);
        }
        if (flops > best_flops) best_flops = flops;
        if (sink == 12345.0) puts("");

        int passes = 20000;
        double bytes = 0.0;
        #pragma omp parallel reduction(+:sink, bytes)
        {
            float* buf = aligned_alloc(64, BUF_FLOATS * sizeof(float));
            for (long i = 0; i < BUF_FLOATS; i++) buf[i] = (float)(i & 7);
            #pragma omp barrier
            double t1 = now();
            float s = 0.0f;
            for (int p = 0; p < passes; p++) {
                #pragma omp simd reduction(+:s)
                for (long i = 0; i < BUF_FLOATS; i++) s += buf[i];
                buf[p & (BUF_FLOATS - 1)] = s * 1e-30f;
            }
            bytes += (double)passes * BUF_FLOATS * sizeof(float) / (now() - t1);
            sink += s;
            free(buf);
        }
        if (bytes > best_bytes) best_bytes = bytes;
        if (sink == 12345.0) puts("");
    }
    printf("%.6e %.6e\n", best_flops, best_bytes);
    return 0;
}
"#;

/// Measure (or read from `cache_root`) this machine's peak. `None` when the compiler is missing
/// or the program fails; the roofline check is then skipped.
pub fn measure(cc: &str, flags: &[String], cache_root: &Path, identity: &str) -> Option<DevicePeak> {
    let key = kernelsmith_platform::content_hash(&[b"peak-v2", identity.as_bytes(), PROGRAM.as_bytes()]);
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
