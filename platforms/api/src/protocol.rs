//! The worker protocol, version 2: one JSON object per line in each direction.
//!
//! The harness writes [`Envelope<Request>`] lines to the worker's stdin; the worker answers each
//! with exactly one [`Envelope<Response>`] line carrying the same `id`. Ids are unpredictable
//! numbers chosen by the harness, so a candidate that writes a forged reply onto the protocol
//! channel (to stop a timer early, say) has to guess one, and the real reply that follows it
//! desynchronises the stream: both are detected and labelled `protocol_forgery`.
//!
//! Tensors never travel inside JSON: they are raw little-endian files in the worker's private
//! temporary directory, named by [`TensorFile`]. Workers redirect their own stdout to stderr before
//! loading candidate code, so a kernel that prints cannot corrupt the protocol. No pickle, no
//! shared memory: a worker in any language (the Python/JAX worker of the xla platform included)
//! can implement it in a page.
//!
//! Timing is owned by the harness: it sends one [`Request::Sample`] per measurement and times the
//! round trip itself; the worker's own clock is only a cross-check.

use kernelsmith_reference::{DType, Data, Tensor};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Protocol version announced by `hello`.
pub const PROTOCOL_VERSION: u32 = 2;

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
    /// Output buffers in ABI order (contents are written back only by [`Request::Collect`]).
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

/// What output buffers hold before a call. Two different fills must give the same result: a
/// kernel whose answer depends on them reads memory it never wrote.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Poison {
    /// A quiet-NaN pattern (0xA5 bytes for integer dtypes): unwritten elements are visible.
    #[default]
    Nan,
    /// All-zero bytes: the value a lazy kernel would most like to find.
    Zero,
}

/// A message and the id that pairs a request with its reply.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Envelope<T> {
    /// Chosen by the harness per request, echoed by the worker.
    pub id: u64,
    /// The request or response.
    #[serde(flatten)]
    pub body: T,
}

/// Harness → worker.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// Handshake (also the no-op whose round trip calibrates the harness's timer).
    Hello,
    /// Load the compiled candidate and, optionally, the baseline.
    Load {
        /// Candidate artifact.
        candidate: PathBuf,
        /// Baseline artifact (needed for timing).
        baseline: Option<PathBuf>,
    },
    /// Poison outputs, hash inputs, call the kernel once, hash inputs again, snapshot the outputs
    /// as they are at return, wait `settle_ms`, then report whether they changed after return and
    /// write the snapshot.
    Run {
        /// Which kernel.
        kernel: Which,
        /// Inputs in ABI order.
        inputs: Vec<TensorFile>,
        /// Outputs in ABI order; the worker writes them after the call.
        outputs: Vec<TensorFile>,
        /// Declared dims in ABI order.
        dims: Vec<i64>,
        /// What output buffers hold before the call.
        #[serde(default)]
        poison: Poison,
        /// How long to watch the outputs for writes after the kernel returned.
        #[serde(default)]
        settle_ms: u32,
    },
    /// Load timing input sets into buffers the worker keeps for `sample`, `refill` and `collect`.
    Prepare {
        /// Input sets to rotate through.
        sets: Vec<TimingSet>,
        /// Declared dims.
        dims: Vec<i64>,
    },
    /// Call one kernel `reps` times back to back, rotating through the prepared sets starting at
    /// `first_set`; the harness times the round trip. The outputs of the last call are
    /// snapshotted at return (for `collect`).
    Sample {
        /// Which kernel.
        kernel: Which,
        /// Calls.
        reps: u32,
        /// Set of the first call.
        first_set: u32,
    },
    /// Overwrite prepared set `set`'s input buffers in place (same addresses) with new contents
    /// and poison its outputs: a kernel that caches results by address now returns stale values.
    Refill {
        /// Prepared set.
        set: u32,
        /// New input contents, in ABI order.
        inputs: Vec<TensorFile>,
    },
    /// Write the output snapshot of the last call on prepared set `set` to its output files, and
    /// say whether the buffers changed after that call returned.
    Collect {
        /// Prepared set.
        set: u32,
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
        /// The protections in force, as the worker sees them from inside
        /// ([`crate::sandbox::describe`]).
        #[serde(default)]
        sandbox: Vec<String>,
    },
    /// Kernels loaded, sets prepared or refilled, or exit acknowledged.
    Ok,
    /// A single call finished.
    Ran {
        /// The kernel's return value (0 = success).
        status: i32,
        /// Hash of each input before the call.
        input_hashes_before: Vec<String>,
        /// Hash of each input after the call.
        input_hashes_after: Vec<String>,
        /// Wall time of the call, by the worker's clock.
        elapsed_ns: f64,
        /// Whether any output changed between the return and the end of the settle time.
        late_write: bool,
    },
    /// A timing sample finished.
    Sampled {
        /// The first non-zero status returned, if any.
        bad_status: Option<i32>,
        /// Wall time of the calls by the worker's clock (a cross-check only).
        worker_ns: f64,
        /// Device time of all `reps` calls measured by the device's own timer (CUDA events around
        /// the calls and a device-wide synchronize). Reported by accelerator workers, whose kernels
        /// run asynchronously to the host: the harness then uses it instead of its round trip, after
        /// checking it against that round trip (device time cannot exceed it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        device_ns: Option<f64>,
    },
    /// Outputs of a prepared set written.
    Collected {
        /// Whether the buffers changed after the last call on the set returned.
        late_write: bool,
        /// Calls made on this set since it was prepared or refilled.
        calls: u64,
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
        let r = Envelope {
            id: 77,
            body: Request::Run {
                kernel: Which::Candidate,
                inputs: vec![TensorFile { path: "/tmp/x".into(), dtype: "f32".into(), shape: vec![2, 3] }],
                outputs: vec![],
                dims: vec![2, 3],
                poison: Poison::Zero,
                settle_ms: 5,
            },
        };
        let line = serde_json::to_string(&r).unwrap();
        assert!(line.starts_with(r#"{"id":77,"op":"run","kernel":"candidate""#), "{line}");
        assert!(!line.contains('\n'));
        assert_eq!(serde_json::from_str::<Envelope<Request>>(&line).unwrap(), r);
        let reply = Envelope { id: 77, body: Response::Sampled { bad_status: None, worker_ns: 1.5, device_ns: None } };
        let line = serde_json::to_string(&reply).unwrap();
        assert_eq!(serde_json::from_str::<Envelope<Response>>(&line).unwrap(), reply);
        assert!(!line.contains("device_ns"), "absent device time is omitted: {line}");
        // A worker that measures device time reports it; one that does not may omit the field.
        let timed: Envelope<Response> =
            serde_json::from_str(r#"{"id":5,"op":"sampled","bad_status":null,"worker_ns":9.0,"device_ns":4.5}"#)
                .unwrap();
        assert_eq!(timed.body, Response::Sampled { bad_status: None, worker_ns: 9.0, device_ns: Some(4.5) });
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
