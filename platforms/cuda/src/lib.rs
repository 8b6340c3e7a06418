//! kernelsmith-platform-cuda: CUDA C++ kernels on NVIDIA GPUs.
//!
//! Candidates are CUDA C++ implementing the generated ABI
//! (`extern "C" int <task>(const T* in..., T* out..., int64_t dim..., cudaStream_t stream)`, all
//! pointers on the device). They are compiled by nvcc ([`toolchain`]: a CUDA toolkit or the
//! pinned pip wheels) into a shared library together with a generated shim exporting
//! `ks_entry(void**, const int64_t*, void*)`, cached by content hash, and executed only inside a
//! `kernelsmith worker --platform cuda` child ([`worker::serve`]) that drives the GPU through
//! cudarc's driver bindings.
//!
//! The platform is split so that a machine without a GPU is still useful: compiling needs only
//! nvcc, so CI compiles every `baseline.cu` and catches syntax and signature errors with nvcc's
//! log, while everything that needs the driver goes through [`device::probe`], which explains the
//! absence of a GPU instead of panicking. [`sanitize`] reruns passing kernels under
//! compute-sanitizer.
#![warn(missing_docs)]

pub mod device;
pub mod rules;
pub mod sanitize;
pub mod toolchain;
pub mod worker;

use device::DeviceInfo;
use kernelsmith_platform::abi::{c_header, c_prototype, c_shim_with};
use kernelsmith_platform::build::{Build, cached_build};
use kernelsmith_platform::worker::Limits;
use kernelsmith_platform::{
    Artifact, CompileFailure, DevicePeak, Language, Platform, PlatformError, Probe, Violation, content_hash,
};
use kernelsmith_tasks::Task;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;
use toolchain::{Nvcc, NvccSearch};

/// How the cuda platform compiles and where it keeps things.
#[derive(Clone, Debug)]
pub struct CudaConfig {
    /// Where to look for nvcc.
    pub nvcc: NvccSearch,
    /// The GPU architecture code is built for (`sm_90`), the same for candidates and baselines.
    pub arch: String,
    /// Root of the compile cache.
    pub cache_dir: PathBuf,
    /// The `kernelsmith` executable, started as `kernelsmith worker --platform cuda`.
    pub worker_exe: PathBuf,
    /// Longest a single compile may take.
    pub compile_timeout: Duration,
}

impl CudaConfig {
    /// H100 and H200, the GPUs this benchmark is timed on.
    pub const DEFAULT_ARCH: &'static str = "sm_90";

    /// The flags for candidates and baselines alike (so speedups compare code, not flags).
    /// `--no-undefined` turns an entry point defined with the wrong signature (a C++ overload,
    /// which would leave the declared one undefined) into a link error; `-Bsymbolic` keeps the
    /// candidate's and the baseline's symbols apart in one worker.
    pub fn flags(arch: &str) -> Vec<String> {
        [
            &format!("-arch={arch}"),
            "-O3",
            "-std=c++17",
            "-Xcompiler",
            "-fPIC",
            "-shared",
            "-Xlinker",
            "--no-undefined,-Bsymbolic",
        ]
        .map(String::from)
        .to_vec()
    }
}

/// Whether `arch` is a real-architecture name nvcc accepts for `-arch` (`sm_90`, `sm_90a`).
pub fn valid_arch(arch: &str) -> bool {
    arch.strip_prefix("sm_").is_some_and(|rest| {
        let digits = rest.trim_end_matches(['a', 'f']);
        !digits.is_empty() && digits.len() + 1 >= rest.len() && digits.chars().all(|c| c.is_ascii_digit())
    })
}

/// The compute capability `sm_XY[a]` stands for, as (major, minor).
fn arch_capability(arch: &str) -> Option<(i32, i32)> {
    let digits = arch.strip_prefix("sm_")?.trim_end_matches(['a', 'f']);
    let (major, minor) = digits.split_at(digits.len().checked_sub(1)?);
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// The cuda platform.
#[derive(Debug)]
pub struct CudaPlatform {
    config: CudaConfig,
    nvcc: Result<Nvcc, String>,
    flags: Vec<String>,
    device: OnceLock<Result<DeviceInfo, String>>,
}

const PREFIX: &str = "extern \"C\" ";
const STREAM: (&str, &str) = ("cudaStream_t", "stream");

impl CudaPlatform {
    /// A cuda platform with `config`: finds nvcc and asks it for its version once. The GPU is
    /// probed lazily, on the first question that needs it. `Err` only for an invalid `arch`.
    pub fn new(config: CudaConfig) -> Result<CudaPlatform, String> {
        if !valid_arch(&config.arch) {
            return Err(format!(
                "`{}` is not a GPU architecture nvcc can build for: use sm_<major><minor>, e.g. sm_90 (H100/H200), sm_80 (A100), sm_89 (L4, RTX 40)",
                config.arch
            ));
        }
        let nvcc = toolchain::find_nvcc(&config.nvcc);
        let flags = CudaConfig::flags(&config.arch);
        Ok(CudaPlatform { config, nvcc, flags, device: OnceLock::new() })
    }

    /// The nvcc in use, or why there is none.
    pub fn nvcc(&self) -> Result<&Nvcc, &str> {
        self.nvcc.as_ref().map_err(String::as_str)
    }

    /// The GPU kernels run on, or why there is none (probed once).
    pub fn device(&self) -> Result<&DeviceInfo, &str> {
        self.device.get_or_init(device::probe).as_ref().map_err(String::as_str)
    }

    /// Why kernels cannot run here, if they cannot: no nvcc, no GPU, or a GPU older than the
    /// architecture the kernels are built for.
    pub fn execute_blocker(&self) -> Option<String> {
        if let Err(e) = &self.nvcc {
            return Some(format!("kernels cannot be built: {e}"));
        }
        let info = match self.device() {
            Ok(i) => i,
            Err(e) => return Some(e.to_string()),
        };
        match arch_capability(&self.config.arch) {
            Some(target) if info.compute_capability < target => Some(format!(
                "kernels are built for {} but the GPU is {} ({}): pass --cuda-arch {} (or set KERNELSMITH_CUDA_ARCH)",
                self.config.arch,
                info.arch(),
                info.name,
                info.arch()
            )),
            _ => None,
        }
    }

    /// compute-sanitizer, or why it cannot be used.
    pub fn compute_sanitizer(&self) -> Result<PathBuf, String> {
        toolchain::find_compute_sanitizer(&self.config.nvcc, self.nvcc.as_ref().ok())
    }
}

impl Platform for CudaPlatform {
    fn name(&self) -> &'static str {
        "cuda"
    }

    fn probe(&self) -> Probe {
        let mut notes = Vec::new();
        let can_compile = self.nvcc.is_ok();
        let blocker = self.execute_blocker();
        match &self.nvcc {
            Ok(_) => {
                notes.push(format!("compile checks available; flags: {}", self.flags.join(" ")));
                notes.push(format!("compile cache: {}", self.config.cache_dir.join("cuda").display()));
            }
            Err(e) => notes.push(format!("cannot compile: {e}")),
        }
        // Why nothing can run, once: no GPU, or (with one) a GPU older than the build target. A
        // missing nvcc is already stated above.
        match self.device() {
            Err(e) => notes.push(format!("cannot execute: {e}")),
            Ok(_) if can_compile && blocker.is_some() => {
                notes.push(format!("cannot execute: {}", blocker.as_deref().unwrap_or_default()))
            }
            Ok(info) if info.arch() != self.config.arch => notes.push(format!(
                "kernels are built for {} and reach this {} GPU through PTX just-in-time compilation; --cuda-arch {} builds for it directly",
                self.config.arch,
                info.arch(),
                info.arch()
            )),
            Ok(_) => {}
        }
        Probe {
            platform: "cuda".into(),
            can_compile,
            can_execute: blocker.is_none(),
            device: match self.device() {
                Ok(info) => info.describe(),
                Err(_) => "no usable NVIDIA GPU".into(),
            },
            toolchain: match &self.nvcc {
                Ok(n) => format!("nvcc {} ({}, {})", n.version, n.path.display(), n.origin),
                Err(_) => "none".into(),
            },
            notes,
            sandbox: Vec::new(),
            peak: None,
        }
    }

    fn language(&self) -> Language {
        Language {
            display: "CUDA C++ (C++17)",
            fence_tags: &["cuda", "cu", "cpp", "c++", "cuh"],
            baseline_file: "baseline.cu",
            exemplar_file: "baseline.cu",
            returns_outputs: false,
        }
    }

    fn abi(&self, task: &Task) -> String {
        format!("#include <stdint.h>\n#include <cuda_runtime.h>\n\n{};", c_prototype(task, &[STREAM], PREFIX))
    }

    fn static_check(&self, task: &Task, source: &str) -> Vec<Violation> {
        rules::check_cuda(source, &task.id)
    }

    fn compile(&self, task: &Task, source: &str) -> Result<Result<Artifact, CompileFailure>, PlatformError> {
        let nvcc = self
            .nvcc
            .as_ref()
            .map_err(|e| PlatformError::Unavailable { platform: "cuda".into(), reason: e.clone() })?;
        let header = c_header(task, &[STREAM], PREFIX, &["stdint.h", "cuda_runtime.h"]);
        let shim = c_shim_with(task, PREFIX, &[("void*", "stream", "(cudaStream_t)stream")]);
        let flags = self.flags.join(" ");
        let key = content_hash(&[
            b"cuda",
            source.as_bytes(),
            header.as_bytes(),
            shim.as_bytes(),
            nvcc.version.as_bytes(),
            flags.as_bytes(),
            nvcc.path.as_os_str().as_encoded_bytes(),
        ]);
        let root = self.config.cache_dir.join("cuda");
        let build = Build {
            root: &root,
            key: &key,
            artifact: "kernel.so",
            files: &[("candidate.cu", source), ("kernelsmith_abi.h", &header), ("kernelsmith_shim.cu", &shim)],
            timeout: self.config.compile_timeout,
            compiler: "nvcc",
        };
        cached_build(
            &build,
            |_| {
                let mut cmd = Command::new(&nvcc.path);
                cmd.args(&self.flags).args([
                    "-I.",
                    "-include",
                    "kernelsmith_abi.h",
                    "candidate.cu",
                    "kernelsmith_shim.cu",
                    "-o",
                    "kernel.so",
                ]);
                if let Some(lib_dir) = &nvcc.lib_dir {
                    cmd.arg(format!("-L{}", lib_dir.display()));
                }
                cmd
            },
            |e| PlatformError::Unavailable {
                platform: "cuda".into(),
                reason: format!("cannot run nvcc `{}`: {e}", nvcc.path.display()),
            },
        )
    }

    fn worker_command(&self) -> Command {
        let mut c = Command::new(&self.config.worker_exe);
        c.args(["worker", "--platform", "cuda"]);
        c
    }

    fn toolchain(&self) -> (String, String) {
        let compiler = match &self.nvcc {
            Ok(n) => format!("nvcc {}", n.version),
            Err(_) => String::new(),
        };
        (compiler, self.flags.join(" "))
    }

    fn timing_method(&self) -> &'static str {
        "cuda-events (device-wide sync, L2 flushed between samples, paired A/B)"
    }

    fn peak_source(&self) -> &'static str {
        "from device attributes, generous on purpose"
    }

    fn device_peak(&self) -> Option<DevicePeak> {
        self.device().ok()?.peak()
    }

    fn worker_limits(&self) -> Limits {
        // The CUDA driver reserves address ranges as large as the GPU's memory and more for
        // unified addressing; an address-space limit makes cuInit fail.
        Limits { address_space_bytes: 0, ..Limits::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn architectures_are_validated() {
        for ok in ["sm_90", "sm_90a", "sm_80", "sm_100", "sm_120f"] {
            assert!(valid_arch(ok), "{ok}");
        }
        for bad in ["90", "sm_", "sm_9x", "compute_90", "sm_90ab", "-O0"] {
            assert!(!valid_arch(bad), "{bad}");
        }
        assert_eq!(arch_capability("sm_90a"), Some((9, 0)));
        assert_eq!(arch_capability("sm_100"), Some((10, 0)));
        assert_eq!(arch_capability("sm_89"), Some((8, 9)));
    }
}
