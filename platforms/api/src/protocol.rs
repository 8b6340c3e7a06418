//! The worker protocol, version 1: one JSON object per line in each direction.
//!
//! The harness writes [`Request`]s to the worker's stdin; the worker answers each with exactly one
//! [`Response`] line on its stdout. Tensors never travel inside JSON: they are raw little-endian
//! files in the worker's private temporary directory, named by [`TensorFile`]. Workers redirect
//! their own stdout to stderr before loading candidate code, so a kernel that prints cannot
//! corrupt the protocol. No pickle, no shared memory: a worker in any language (the Python/JAX
//! worker of the xla platform included) can implement it in a page.

use kernelsmith_reference::{DType, Data, Tensor};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Protocol version announced by `hello`.
pub const PROTOCOL_VERSION: u32 = 1;

/// A tensor stored as a raw little-endian file.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TensorFile {
    /// Absolute path.
    pub path: PathBuf,
    /// Element type spelling (`f32`, ...).
    pub dtype: String,
    /// Shape.
    pub shape: Vec<usize>,
}

/// One input set plus where its outputs go, for timing.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TimingSet {
    /// Inputs in ABI order.
    pub inputs: Vec<TensorFile>,
    /// Output buffers in ABI order (contents are not written back).
    pub outputs: Vec<TensorFile>,
}

/// Which loaded kernel a request is about.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Which {
    /// The candidate under evaluation.
    Candidate,
    /// The platform baseline.
    Baseline,
}

/// Harness → worker.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// Handshake.
    Hello,
    /// Load the compiled candidate and, optionally, the baseline.
    Load {
        /// Candidate artifact.
        candidate: PathBuf,
        /// Baseline artifact (needed for timing).
        baseline: Option<PathBuf>,
    },
    /// Poison outputs, hash inputs, call the kernel once, hash inputs again, write outputs.
    Run {
        /// Which kernel.
        kernel: Which,
        /// Inputs in ABI order.
        inputs: Vec<TensorFile>,
        /// Outputs in ABI order; the worker writes them after the call.
        outputs: Vec<TensorFile>,
        /// Declared dims in ABI order.
        dims: Vec<i64>,
    },
    /// Paired A/B timing: warm-up, then `pairs` samples of each kernel, alternating which runs
    /// first, rotating through `sets`.
    Time {
        /// Input sets to rotate through.
        sets: Vec<TimingSet>,
        /// Declared dims.
        dims: Vec<i64>,
        /// Warm-up calls of each kernel.
        warmup: u32,
        /// Measured pairs.
        pairs: u32,
        /// Each sample repeats the call until at least this long has passed (calibrated once).
        min_sample_ns: u64,
    },
    /// Finish.
    Exit,
}

/// Worker → harness.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Response {
    /// Handshake answer.
    Hello {
        /// Protocol version.
        protocol: u32,
        /// Worker process id.
        pid: u32,
    },
    /// Kernels loaded.
    Loaded,
    /// A single call finished.
    Ran {
        /// The kernel's return value (0 = success).
        status: i32,
        /// Hash of each input before the call.
        input_hashes_before: Vec<String>,
        /// Hash of each input after the call.
        input_hashes_after: Vec<String>,
        /// Wall time of the call.
        elapsed_ns: f64,
    },
    /// Timing finished.
    Timed {
        /// Candidate ns per call, one per pair.
        candidate_ns: Vec<f64>,
        /// Baseline ns per call, one per pair.
        baseline_ns: Vec<f64>,
        /// Calls per sample.
        reps: u32,
        /// A non-zero status seen during timing, if any.
        bad_status: Option<i32>,
        /// Wall time spent inside kernel calls during timing, warm-up included.
        total_kernel_ns: f64,
    },
    /// The request could not be carried out (e.g. the library would not load).
    Error {
        /// What went wrong.
        message: String,
    },
}

/// FNV-1a over the bytes, as 16 hex digits: cheap, and enough to notice any change.
pub fn hash_bytes(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        h ^= u64::from_le_bytes(c.try_into().unwrap());
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
        h ^= h >> 29;
    }
    for &b in chunks.remainder() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    format!("{h:016x}")
}

/// Write a tensor as a raw file and describe it.
pub fn write_tensor(path: &Path, t: &Tensor) -> std::io::Result<TensorFile> {
    std::fs::write(path, t.data.to_le_bytes())?;
    Ok(TensorFile { path: path.to_path_buf(), dtype: t.dtype().name().into(), shape: t.shape.clone() })
}

/// Read a tensor back; `None` when the file is missing or its size does not fit the shape.
pub fn read_tensor(f: &TensorFile) -> Option<Tensor> {
    let dtype = DType::parse(&f.dtype)?;
    let bytes = std::fs::read(&f.path).ok()?;
    let n: usize = f.shape.iter().product();
    if bytes.len() != n * dtype.size_bytes() {
        return None;
    }
    let data = Data::from_le_bytes(dtype, &bytes)?;
    Tensor::new(f.shape.clone(), data).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_round_trip_through_json_lines() {
        let r = Request::Run {
            kernel: Which::Candidate,
            inputs: vec![TensorFile { path: "/tmp/x".into(), dtype: "f32".into(), shape: vec![2, 3] }],
            outputs: vec![],
            dims: vec![2, 3],
        };
        let line = serde_json::to_string(&r).unwrap();
        assert!(line.starts_with(r#"{"op":"run","kernel":"candidate""#), "{line}");
        assert!(!line.contains('\n'));
        assert_eq!(serde_json::from_str::<Request>(&line).unwrap(), r);
    }

    #[test]
    fn hash_changes_when_any_byte_changes() {
        let mut v = vec![0u8; 1001];
        let h0 = hash_bytes(&v);
        for i in [0, 7, 8, 999, 1000] {
            v[i] ^= 1;
            assert_ne!(hash_bytes(&v), h0, "byte {i}");
            v[i] ^= 1;
        }
        assert_eq!(hash_bytes(&v), h0);
    }
}
