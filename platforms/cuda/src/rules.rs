//! Static rules for CUDA candidates: the shared C-family rules
//! ([`kernelsmith_platform::c_rules`]) plus what a CUDA kernel must not do.
//!
//! The CUDA-specific rules guard the timing and the meaning of a score:
//! - `side_stream`: work must be launched on the `stream` argument. The worker synchronises the
//!   whole device before it stops a timer, so work on another stream cannot hide from timing, but
//!   a launch elsewhere still breaks the contract the prompt states (and stream creation in a timed
//!   call is host overhead that distorts the comparison).
//! - `vendor_library`: cuBLAS, cuDNN, cuFFT, CUTLASS, Thrust and device-wide CUB calls measure a
//!   vendor's kernel, not the candidate's. (Block-level CUB primitives are building blocks and are
//!   allowed.)
//! - `host_compute`: copies to or from host memory mean the work happens on the CPU.
//! - `forbidden_device_control`: resetting the device, switching devices or contexts, or changing
//!   device limits affects the harness and the baseline.
//! - `forbidden_thread` and `forbidden_timer`: as on cpu. Inline PTX (`asm`) is allowed — it is an
//!   honest way to reach tensor-core instructions — but reading `%globaltimer` or `%clock` from it
//!   is a timer.

use kernelsmith_platform::Violation;
use kernelsmith_platform::c_rules::{COMMON_RULES, Rule, check, split_source};

/// Rules only the cuda platform has.
const CUDA_RULES: &[Rule] = &[
    Rule {
        label: "forbidden_thread",
        why: "kernels may not start host threads; launch device work on `stream` instead",
        anywhere: &["pthread_create", "thrd_create", "__clone", "clone3"],
        calls: &["clone"],
    },
    Rule {
        label: "forbidden_syscall",
        why: "kernels may not issue raw system calls",
        anywhere: &["syscall"],
        calls: &[],
    },
    Rule {
        label: "forbidden_timer",
        why: "kernels may not read clocks: behaviour must not depend on whether a call is being timed",
        anywhere: &[
            "clock_gettime",
            "gettimeofday",
            "__rdtsc",
            "__rdtscp",
            "clock64",
            "__globaltimer",
            "cudaEventElapsedTime",
            "cudaEventQuery",
            "cuEventElapsedTime",
        ],
        calls: &["clock", "time"],
    },
    Rule {
        label: "side_stream",
        why: "all work must be launched on the `stream` argument; do not create or use other streams or host callbacks",
        anywhere: &[
            "cudaStreamCreate",
            "cudaStreamCreateWithFlags",
            "cudaStreamCreateWithPriority",
            "cuStreamCreate",
            "cuStreamCreateWithPriority",
            "cudaStreamPerThread",
            "cudaStreamLegacy",
            "cudaLaunchHostFunc",
            "cudaStreamAddCallback",
            "cuLaunchHostFunc",
        ],
        calls: &[],
    },
    Rule {
        label: "vendor_library",
        why: "vendor libraries (cuBLAS, cuDNN, cuFFT, cuSPARSE, cuSOLVER, CUTLASS, Thrust, device-wide CUB) are not allowed: the kernel must be your own",
        anywhere: &[
            "cublasCreate",
            "cublasCreate_v2",
            "cublasSgemm",
            "cublasSgemm_v2",
            "cublasGemmEx",
            "cublasLtCreate",
            "cublasLtMatmul",
            "cublasHandle_t",
            "cudnnCreate",
            "cudnnHandle_t",
            "cudnnConvolutionForward",
            "cufftPlan1d",
            "cufftPlanMany",
            "cufftExecC2C",
            "cufftExecR2C",
            "cufftHandle",
            "cusparseCreate",
            "cusolverDnCreate",
            "cutlass",
            "thrust",
        ],
        calls: &[],
    },
    Rule {
        label: "host_compute",
        why: "the computation must happen on the device: no copies between device and host memory, no host allocations",
        anywhere: &[
            "cudaMemcpyDeviceToHost",
            "cudaMemcpyHostToDevice",
            "cudaMallocHost",
            "cudaHostAlloc",
            "cudaHostRegister",
            "cudaMallocManaged",
            "cuMemcpyDtoH",
            "cuMemcpyHtoD",
            "cuMemcpyDtoH_v2",
            "cuMemcpyHtoD_v2",
        ],
        calls: &[],
    },
    Rule {
        label: "forbidden_device_control",
        why: "kernels may not reset or switch devices or contexts, or change device-wide settings",
        anywhere: &[
            "cudaDeviceReset",
            "cudaSetDevice",
            "cudaSetDeviceFlags",
            "cudaDeviceSetLimit",
            "cudaDeviceSetCacheConfig",
            "cudaDeviceSetSharedMemConfig",
            "cudaIpcOpenMemHandle",
            "cudaIpcGetMemHandle",
            "cuCtxCreate",
            "cuCtxSetCurrent",
            "cuCtxPushCurrent",
            "cuCtxPopCurrent",
            "cuDevicePrimaryCtxReset",
        ],
        calls: &[],
    },
];

/// All rule violations of a CUDA candidate for the entry point `entry`.
pub fn check_cuda(source: &str, entry: &str) -> Vec<Violation> {
    let mut v = check(source, entry, &[CUDA_RULES, COMMON_RULES]);
    let (code, literals) = split_source(source);
    let squeezed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let mut push = |label: &'static str, message: String| {
        if let Some(existing) = v.iter_mut().find(|x| x.label == label) {
            existing.message.push_str(&format!("; {message}"));
        } else {
            v.push(Violation { label, message });
        }
    };
    for (needle, label, what) in [
        ("std::thread", "forbidden_thread", "std::thread"),
        ("std::jthread", "forbidden_thread", "std::jthread"),
        ("std::async", "forbidden_thread", "std::async"),
        ("std::chrono", "forbidden_timer", "std::chrono"),
        ("cub::Device", "vendor_library", "device-wide CUB algorithms"),
    ] {
        if squeezed.contains(needle) {
            push(label, format!("uses {what}"));
        }
    }
    if literals.iter().any(|l| l.contains("%globaltimer") || l.contains("%clock")) {
        push("forbidden_timer", "reads %globaltimer/%clock in inline PTX".into());
    }
    for args in launch_configs(&code) {
        let stream = args.get(3).map(|s| s.trim());
        match stream {
            None => push(
                "side_stream",
                format!(
                    "launches `<<<{}>>>` without a stream: pass `stream` as the fourth launch argument",
                    args.join(",")
                ),
            ),
            Some("0" | "NULL" | "nullptr" | "(cudaStream_t)0" | "cudaStreamDefault") => push(
                "side_stream",
                format!("launches on the default stream (`<<<{}>>>`): use the `stream` argument", args.join(",")),
            ),
            Some(_) => {}
        }
    }
    v
}

/// The comma-separated arguments of every `<<<...>>>` launch configuration in `code` (commas
/// nested in parentheses or braces, as in `dim3(a, b)`, do not split).
fn launch_configs(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(start) = rest.find("<<<") {
        let after = &rest[start + 3..];
        let Some(end) = after.find(">>>") else { break };
        let inner = &after[..end];
        let mut args = Vec::new();
        let (mut depth, mut cur) = (0i32, String::new());
        for c in inner.chars() {
            match c {
                '(' | '{' | '[' => depth += 1,
                ')' | '}' | ']' => depth -= 1,
                _ => {}
            }
            if c == ',' && depth == 0 {
                args.push(std::mem::take(&mut cur).trim().to_string());
            } else {
                cur.push(c);
            }
        }
        args.push(cur.trim().to_string());
        out.push(args);
        rest = &after[end + 3..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(src: &str) -> Vec<&'static str> {
        check_cuda(src, "relu").into_iter().map(|v| v.label).collect()
    }

    const HONEST: &str = r#"
        // cudaStreamCreate( in a comment is fine, and so is "cublasSgemm" in a string
        #include <cuda_runtime.h>
        __global__ void k(const float* x, float* y, int64_t n) {
            int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
            float time = 1.0f; (void)time;
            if (i < n) { float v; asm("mov.f32 %0, %1;" : "=f"(v) : "f"(x[i])); y[i] = v > 0 ? v : 0; }
        }
        extern "C" int relu(const float* x, float* y, int64_t N, cudaStream_t stream) {
            const char* s = "cublasSgemm"; (void)s;
            k<<<dim3((unsigned)((N + 255) / 256), 1, 1), dim3(256), 0, stream>>>(x, y, N);
            return (int)cudaGetLastError();
        }"#;

    #[test]
    fn an_honest_kernel_with_inline_ptx_and_lookalike_names_passes() {
        assert_eq!(labels(HONEST), Vec::<&str>::new());
    }

    #[test]
    fn each_cuda_rule_fires_on_its_construct() {
        let body = |s: &str| {
            format!("extern \"C\" int relu(const float* x, float* y, long n, cudaStream_t stream) {{ {s}; return 0; }}")
        };
        for (snippet, label) in [
            ("cudaStream_t s2; cudaStreamCreate(&s2)", "side_stream"),
            ("k<<<1, 1>>>(x, y, n)", "side_stream"),
            ("k<<<1, 1, 0, 0>>>(x, y, n)", "side_stream"),
            ("k<<<1, 1, 0, cudaStreamPerThread>>>(x, y, n)", "side_stream"),
            ("cublasHandle_t h; cublasCreate(&h)", "vendor_library"),
            ("thrust::transform(x, x + n, y, f)", "vendor_library"),
            ("cub::DeviceReduce::Sum(0, b, x, y, n)", "vendor_library"),
            ("float h[4]; cudaMemcpy(h, x, 16, cudaMemcpyDeviceToHost)", "host_compute"),
            ("cudaDeviceReset()", "forbidden_device_control"),
            ("std::thread t([]{})", "forbidden_thread"),
            ("auto t0 = std::chrono::steady_clock::now()", "forbidden_timer"),
            ("long long t; asm volatile(\"mov.u64 %0, %globaltimer;\" : \"=l\"(t))", "forbidden_timer"),
            ("long long c = clock64()", "forbidden_timer"),
            ("fork()", "forbidden_process"),
            ("FILE* f = fopen(\"c\", \"w\")", "forbidden_file_io"),
        ] {
            assert_eq!(labels(&body(snippet)), vec![label], "{snippet}");
        }
        assert_eq!(labels("extern \"C\" int relux(void) { return 0; }"), vec!["missing_entry"]);
    }

    #[test]
    fn launch_configurations_split_on_top_level_commas_only() {
        let got = launch_configs("k<<<dim3(a, b), dim3(32, 8), s * 4, stream>>>(x); j<<<g,b>>>(y);");
        assert_eq!(got[0], vec!["dim3(a, b)", "dim3(32, 8)", "s * 4", "stream"]);
        assert_eq!(got[1], vec!["g", "b"]);
    }
}
