//! A deliberately small tensor: a shape plus one typed, contiguous, row-major buffer.
//!
//! No strides, no views, no broadcasting: reference operators index buffers explicitly so the
//! arithmetic a model must reproduce is visible in the source.

use crate::{RefError, Result};
use half::{bf16, f16};
use std::fmt;

/// Element types a task may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DType {
    /// IEEE binary32.
    F32,
    /// IEEE binary16.
    F16,
    /// bfloat16.
    BF16,
    /// Signed 8-bit integer.
    I8,
    /// Signed 32-bit integer.
    I32,
    /// Signed 64-bit integer.
    I64,
    /// Unsigned 8-bit integer.
    U8,
}

impl DType {
    /// All dtypes, in a stable order.
    pub const ALL: [DType; 7] = [DType::F32, DType::F16, DType::BF16, DType::I8, DType::I32, DType::I64, DType::U8];

    /// The spelling used in task files and manifests (`f32`, `bf16`, ...).
    pub fn name(self) -> &'static str {
        match self {
            DType::F32 => "f32",
            DType::F16 => "f16",
            DType::BF16 => "bf16",
            DType::I8 => "i8",
            DType::I32 => "i32",
            DType::I64 => "i64",
            DType::U8 => "u8",
        }
    }

    /// Parse the spelling used in task files.
    pub fn parse(s: &str) -> Option<DType> {
        DType::ALL.into_iter().find(|d| d.name() == s)
    }

    /// Bytes per element.
    pub fn size_bytes(self) -> usize {
        match self {
            DType::F32 | DType::I32 => 4,
            DType::F16 | DType::BF16 => 2,
            DType::I8 | DType::U8 => 1,
            DType::I64 => 8,
        }
    }

    /// Whether values are floating point (compared with a tolerance, poisoned with NaN).
    pub fn is_float(self) -> bool {
        matches!(self, DType::F32 | DType::F16 | DType::BF16)
    }

    /// The numpy `descr` string for `.npy` headers (little-endian).
    pub fn npy_descr(self) -> &'static str {
        match self {
            DType::F32 => "<f4",
            DType::F16 => "<f2",
            // numpy has no bfloat16; exported as raw uint16 bits (documented in the manifest).
            DType::BF16 => "<u2",
            DType::I8 => "|i1",
            DType::I32 => "<i4",
            DType::I64 => "<i8",
            DType::U8 => "|u1",
        }
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A typed buffer.
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    /// f32 values.
    F32(Vec<f32>),
    /// f16 values.
    F16(Vec<f16>),
    /// bf16 values.
    BF16(Vec<bf16>),
    /// i8 values.
    I8(Vec<i8>),
    /// i32 values.
    I32(Vec<i32>),
    /// i64 values.
    I64(Vec<i64>),
    /// u8 values.
    U8(Vec<u8>),
}

impl Data {
    /// The dtype of this buffer.
    pub fn dtype(&self) -> DType {
        match self {
            Data::F32(_) => DType::F32,
            Data::F16(_) => DType::F16,
            Data::BF16(_) => DType::BF16,
            Data::I8(_) => DType::I8,
            Data::I32(_) => DType::I32,
            Data::I64(_) => DType::I64,
            Data::U8(_) => DType::U8,
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        match self {
            Data::F32(v) => v.len(),
            Data::F16(v) => v.len(),
            Data::BF16(v) => v.len(),
            Data::I8(v) => v.len(),
            Data::I32(v) => v.len(),
            Data::I64(v) => v.len(),
            Data::U8(v) => v.len(),
        }
    }

    /// Whether the buffer has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A zero-filled buffer.
    pub fn zeros(dtype: DType, n: usize) -> Data {
        match dtype {
            DType::F32 => Data::F32(vec![0.0; n]),
            DType::F16 => Data::F16(vec![f16::ZERO; n]),
            DType::BF16 => Data::BF16(vec![bf16::ZERO; n]),
            DType::I8 => Data::I8(vec![0; n]),
            DType::I32 => Data::I32(vec![0; n]),
            DType::I64 => Data::I64(vec![0; n]),
            DType::U8 => Data::U8(vec![0; n]),
        }
    }

    /// Element `i` widened to f64 (exact for every dtype except i64 beyond 2^53).
    pub fn get_f64(&self, i: usize) -> f64 {
        match self {
            Data::F32(v) => v[i] as f64,
            Data::F16(v) => v[i].to_f64(),
            Data::BF16(v) => v[i].to_f64(),
            Data::I8(v) => v[i] as f64,
            Data::I32(v) => v[i] as f64,
            Data::I64(v) => v[i] as f64,
            Data::U8(v) => v[i] as f64,
        }
    }

    /// The buffer as little-endian bytes (the wire and file format everywhere in kernelsmith).
    pub fn to_le_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len() * self.dtype().size_bytes());
        match self {
            Data::F32(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
            Data::F16(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_bits().to_le_bytes())),
            Data::BF16(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_bits().to_le_bytes())),
            Data::I8(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
            Data::I32(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
            Data::I64(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
            Data::U8(v) => out.extend_from_slice(v),
        }
        out
    }

    /// Decode little-endian bytes; `None` when the length is not a whole number of elements.
    pub fn from_le_bytes(dtype: DType, bytes: &[u8]) -> Option<Data> {
        let size = dtype.size_bytes();
        if !bytes.len().is_multiple_of(size) {
            return None;
        }
        let chunks = bytes.chunks_exact(size);
        Some(match dtype {
            DType::F32 => Data::F32(chunks.map(|c| f32::from_le_bytes(c.try_into().unwrap())).collect()),
            DType::F16 => {
                Data::F16(chunks.map(|c| f16::from_bits(u16::from_le_bytes(c.try_into().unwrap()))).collect())
            }
            DType::BF16 => {
                Data::BF16(chunks.map(|c| bf16::from_bits(u16::from_le_bytes(c.try_into().unwrap()))).collect())
            }
            DType::I8 => Data::I8(chunks.map(|c| c[0] as i8).collect()),
            DType::I32 => Data::I32(chunks.map(|c| i32::from_le_bytes(c.try_into().unwrap())).collect()),
            DType::I64 => Data::I64(chunks.map(|c| i64::from_le_bytes(c.try_into().unwrap())).collect()),
            DType::U8 => Data::U8(bytes.to_vec()),
        })
    }
}

/// A shape plus a contiguous row-major buffer.
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor {
    /// Sizes of each axis, outermost first.
    pub shape: Vec<usize>,
    /// Elements in row-major order; `data.len() == shape.iter().product()`.
    pub data: Data,
}

impl Tensor {
    /// Build a tensor, checking that the element count matches the shape.
    pub fn new(shape: Vec<usize>, data: Data) -> Result<Tensor> {
        let n: usize = shape.iter().product();
        if n != data.len() {
            return Err(RefError::Invalid(format!(
                "shape {shape:?} holds {n} elements but the buffer has {}",
                data.len()
            )));
        }
        Ok(Tensor { shape, data })
    }

    /// An f32 tensor; panics if `values.len()` does not match `shape` (a reference-code bug).
    pub fn from_f32(shape: Vec<usize>, values: Vec<f32>) -> Tensor {
        assert_eq!(shape.iter().product::<usize>(), values.len(), "shape/value count mismatch");
        Tensor { shape, data: Data::F32(values) }
    }

    /// A zero-filled tensor.
    pub fn zeros(dtype: DType, shape: Vec<usize>) -> Tensor {
        let n = shape.iter().product();
        Tensor { shape, data: Data::zeros(dtype, n) }
    }

    /// Element type.
    pub fn dtype(&self) -> DType {
        self.data.dtype()
    }

    /// Number of elements.
    pub fn numel(&self) -> usize {
        self.data.len()
    }

    /// The f32 buffer, or a dtype error naming `name`.
    pub fn f32s(&self, name: &str) -> Result<&[f32]> {
        match &self.data {
            Data::F32(v) => Ok(v),
            other => Err(RefError::DType { name: name.into(), expected: DType::F32, got: other.dtype() }),
        }
    }

    /// Check the shape, or return a shape error naming `name`.
    pub fn expect_shape(&self, name: &str, expected: &[usize]) -> Result<()> {
        if self.shape == expected {
            Ok(())
        } else {
            Err(RefError::Shape { name: name.into(), expected: format!("{expected:?}"), got: self.shape.clone() })
        }
    }
}
