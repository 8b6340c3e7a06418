//! The NVIDIA driver as seen through cudarc's raw bindings: is there one, which GPU is it, and
//! how fast can it possibly be.
//!
//! cudarc loads `libcuda.so` on first use and **panics** when it is missing, which would crash
//! `kernelsmith platforms` on every machine without a GPU. So [`probe`] first asks cudarc's own
//! `is_culib_present()` (the same library names its loader tries), and only then calls into the
//! driver, behind `catch_unwind` in case a driver lacks a symbol the bindings expect. Every driver
//! failure becomes a sentence that says what fixes it, never a panic.
//!
//! The same code serves the harness (probe, provenance, roofline peak) and the worker (which
//! needs the device's L2 size to flush it between timing samples).

use cudarc::driver::sys::{self, CUdevice_attribute, CUresult};
use kernelsmith_platform::DevicePeak;
use std::ffi::{CStr, c_char, c_int};

/// The oldest driver API version that runs code built by nvcc 13.0 (`cuDriverGetVersion`).
pub const MIN_DRIVER_VERSION: i32 = 13000;

/// What the driver says about the GPU kernels run on (device 0 of those `CUDA_VISIBLE_DEVICES`
/// leaves visible).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DeviceInfo {
    /// `cuDeviceGetName`.
    pub name: String,
    /// Compute capability (major, minor).
    pub compute_capability: (i32, i32),
    /// `cuDriverGetVersion`, e.g. 13000 for CUDA 13.0.
    pub driver_version: i32,
    /// Streaming multiprocessors.
    pub sms: i32,
    /// Peak SM clock, kHz.
    pub clock_khz: i32,
    /// Peak memory clock, kHz.
    pub memory_clock_khz: i32,
    /// Memory bus width, bits.
    pub bus_width_bits: i32,
    /// L2 cache size, bytes.
    pub l2_bytes: i32,
    /// Global memory, bytes.
    pub total_memory: usize,
    /// GPUs the driver makes visible.
    pub count: i32,
}

impl DeviceInfo {
    /// `sm_<major><minor>`, nvcc's spelling of this device's architecture.
    pub fn arch(&self) -> String {
        format!("sm_{}{}", self.compute_capability.0, self.compute_capability.1)
    }

    /// One line for `kernelsmith platforms` and the run's provenance.
    pub fn describe(&self) -> String {
        format!(
            "{} ({}, {} SMs, {} MHz, memory {} MHz x {}-bit, L2 {} MiB, {:.1} GiB; driver CUDA {}.{}{})",
            self.name,
            self.arch(),
            self.sms,
            self.clock_khz / 1000,
            self.memory_clock_khz / 1000,
            self.bus_width_bits,
            self.l2_bytes >> 20,
            self.total_memory as f64 / (1u64 << 30) as f64,
            self.driver_version / 1000,
            self.driver_version % 1000 / 10,
            if self.count > 1 { format!("; device 0 of {}", self.count) } else { String::new() },
        )
    }

    /// Peak rates from the device's attributes, generous on purpose: the roofline check must only
    /// flag the impossible. Arithmetic is the dense int8 tensor-core rate of the architecture
    /// (the fastest any kernel can compute) ×2; bandwidth is the DRAM rate ×4, because repeated
    /// calls on an input set that fits in L2 run at L2 speed. `None` for architectures before
    /// Volta, whose tensor rates are not tabulated here.
    pub fn peak(&self) -> Option<DevicePeak> {
        // Dense int8 (Volta: fp16) tensor-core operations per clock per SM, from NVIDIA's
        // whitepapers: V100 125 TFLOP/s, T4 130 TOPS, A100 624 TOPS, A10/L4/RTX 40 ~2048/clk/SM,
        // H100 1979 TOPS, B200 4.5 POPS.
        let ops_per_clock = match self.compute_capability {
            (7, 0) | (7, 2) => 1024.0,
            (7, 5) => 2048.0,
            (8, 0) => 4096.0,
            (8, _) => 2048.0,
            (9, _) => 8192.0,
            (12, _) => 4096.0,
            (m, _) if m >= 10 => 16384.0,
            _ => return None,
        };
        let clock_hz = self.clock_khz as f64 * 1e3;
        let flops = self.sms as f64 * clock_hz * ops_per_clock * 2.0;
        // DDR: two transfers per memory clock.
        let dram = 2.0 * self.memory_clock_khz as f64 * 1e3 * self.bus_width_bits as f64 / 8.0;
        (flops > 0.0 && dram > 0.0).then_some(DevicePeak { flops_per_s: flops, bytes_per_s: dram * 4.0 })
    }
}

/// `NAME (description)` of a driver error code.
pub fn error_text(r: CUresult) -> String {
    let get = |f: unsafe fn(CUresult, *mut *const c_char) -> CUresult| -> Option<String> {
        let mut p: *const c_char = std::ptr::null();
        // SAFETY: the driver writes a pointer to a static NUL-terminated string, or leaves null.
        let ok = unsafe { f(r, &mut p) } == CUresult::CUDA_SUCCESS && !p.is_null();
        // SAFETY: checked non-null above; the string is static in the driver.
        ok.then(|| unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
    };
    let name = get(sys::cuGetErrorName).unwrap_or_else(|| format!("CUresult {}", r as i32));
    match get(sys::cuGetErrorString) {
        Some(s) => format!("{name} ({s})"),
        None => name,
    }
}

/// `Ok` when `r` is success, else `<what> failed: NAME (description)`.
pub fn check(r: CUresult, what: &str) -> Result<(), String> {
    if r == CUresult::CUDA_SUCCESS { Ok(()) } else { Err(format!("{what} failed: {}", error_text(r))) }
}

/// Whether the driver library can be loaded at all (cudarc's own probe; never panics).
pub fn driver_library_present() -> bool {
    // SAFETY: only tries to dlopen the driver library under its known names.
    unsafe { sys::is_culib_present() }
}

/// Why execution is impossible when the driver library is missing, and what fixes it.
pub const NO_DRIVER: &str = "no NVIDIA driver: libcuda.so cannot be loaded (this machine has no NVIDIA GPU, or the driver is not installed or not on the loader path). Fix: run on a machine with an NVIDIA GPU and driver R580 or newer (CUDA 13), or add the folder holding libcuda.so.1 to LD_LIBRARY_PATH. Compile checks still work: `kernelsmith tasks check --platform cuda --compile-only`";

/// Read one attribute of `dev`.
pub fn attribute(dev: sys::CUdevice, a: CUdevice_attribute) -> Result<i32, String> {
    let mut v: c_int = 0;
    // SAFETY: v is a valid out-pointer; dev came from cuDeviceGet.
    check(unsafe { sys::cuDeviceGetAttribute(&mut v, a, dev) }, "cuDeviceGetAttribute")?;
    Ok(v)
}

fn query() -> Result<DeviceInfo, String> {
    // SAFETY (whole function): plain driver calls with valid out-pointers, after cuInit.
    unsafe {
        check(sys::cuInit(0), "cuInit").map_err(|e| {
            format!("{e}: the NVIDIA driver is installed but cannot start a GPU (check `nvidia-smi`, the /dev/nvidia* device files and CUDA_VISIBLE_DEVICES)")
        })?;
        let mut driver_version: c_int = 0;
        check(sys::cuDriverGetVersion(&mut driver_version), "cuDriverGetVersion")?;
        let mut count: c_int = 0;
        check(sys::cuDeviceGetCount(&mut count), "cuDeviceGetCount")?;
        if count < 1 {
            return Err("the NVIDIA driver sees no GPU (check `nvidia-smi` and CUDA_VISIBLE_DEVICES)".into());
        }
        let mut dev: sys::CUdevice = 0;
        check(sys::cuDeviceGet(&mut dev, 0), "cuDeviceGet")?;
        let mut name = [0 as c_char; 256];
        check(sys::cuDeviceGetName(name.as_mut_ptr(), name.len() as c_int, dev), "cuDeviceGetName")?;
        let name = CStr::from_ptr(name.as_ptr()).to_string_lossy().into_owned();
        let mut total_memory = 0usize;
        check(sys::cuDeviceTotalMem_v2(&mut total_memory, dev), "cuDeviceTotalMem")?;
        use CUdevice_attribute::*;
        Ok(DeviceInfo {
            name,
            compute_capability: (
                attribute(dev, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)?,
                attribute(dev, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR)?,
            ),
            driver_version,
            sms: attribute(dev, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT)?,
            clock_khz: attribute(dev, CU_DEVICE_ATTRIBUTE_CLOCK_RATE)?,
            memory_clock_khz: attribute(dev, CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE)?,
            bus_width_bits: attribute(dev, CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH)?,
            l2_bytes: attribute(dev, CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE)?,
            total_memory,
            count,
        })
    }
}

/// The GPU kernels would run on, or why there is none usable (a sentence naming the fix).
/// Never panics, whatever the machine has.
pub fn probe() -> Result<DeviceInfo, String> {
    if !driver_library_present() {
        return Err(NO_DRIVER.into());
    }
    let info = std::panic::catch_unwind(query).unwrap_or_else(|p| {
        let what = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Err(format!("the NVIDIA driver library is too old or incomplete for CUDA 13 ({what}): update the driver to R580 or newer"))
    })?;
    if info.driver_version < MIN_DRIVER_VERSION {
        return Err(format!(
            "the NVIDIA driver supports CUDA {}.{} but kernels built by nvcc 13.0 need CUDA 13.0 (driver R580 or newer): update the driver ({})",
            info.driver_version / 1000,
            info.driver_version % 1000 / 10,
            info.describe()
        ));
    }
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h100() -> DeviceInfo {
        DeviceInfo {
            name: "NVIDIA H100 80GB HBM3".into(),
            compute_capability: (9, 0),
            driver_version: 13000,
            sms: 132,
            clock_khz: 1_980_000,
            memory_clock_khz: 2_619_000,
            bus_width_bits: 5120,
            l2_bytes: 50 << 20,
            total_memory: 80 << 30,
            count: 1,
        }
    }

    #[test]
    fn peak_of_an_h100_is_above_its_datasheet() {
        let p = h100().peak().unwrap();
        // Datasheet: 1979 TOPS dense int8, 3.35 TB/s HBM3.
        assert!(p.flops_per_s > 1.979e15, "{p:?}");
        assert!(p.bytes_per_s > 3.35e12, "{p:?}");
        assert_eq!(h100().arch(), "sm_90");
        let d = h100().describe();
        assert!(
            d.contains("H100") && d.contains("sm_90") && d.contains("132 SMs") && d.contains("driver CUDA 13.0"),
            "{d}"
        );
    }

    #[test]
    fn unknown_old_architectures_have_no_peak() {
        let old = DeviceInfo { compute_capability: (6, 1), ..h100() };
        assert_eq!(old.peak(), None);
    }

    #[test]
    fn probing_never_panics() {
        // On a machine without a driver this is the "no NVIDIA driver" sentence; with one it is
        // the GPU or a driver error. Either way it returns.
        match probe() {
            Ok(info) => assert!(!info.name.is_empty()),
            Err(e) => assert!(!e.is_empty()),
        }
    }
}
