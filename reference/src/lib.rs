//! kernelsmith-reference: the numerical oracle.
//!
//! Every task's right answer is defined by one plain-Rust function in [`ops`], looked up by name
//! through [`registry`]. The functions are written for clarity, not speed: their source text is
//! shown to models in prompts, so each operator lives in its own file and reads top to bottom.
//!
//! This crate depends on no other workspace crate (an architecture invariant): tasks, platforms
//! and the harness all call into it, never the other way round.
#![warn(missing_docs)]

pub mod args;
pub mod registry;
pub mod rng;
pub mod tensor;

pub mod ops;

pub use args::{AttrValue, OpArgs};
pub use registry::{RefOp, lookup};
pub use rng::Philox;
pub use tensor::{DType, Data, Tensor};

/// Errors raised by reference operators and tensor accessors.
#[derive(Debug, thiserror::Error)]
pub enum RefError {
    /// An input the operator needs was not supplied.
    #[error("missing input `{name}`")]
    MissingInput {
        /// Input name.
        name: String,
    },
    /// A dimension the operator needs was not supplied.
    #[error("missing dimension `{name}`")]
    MissingDim {
        /// Dimension name.
        name: String,
    },
    /// An attribute the operator needs was not supplied or has the wrong type.
    #[error("attribute `{name}`: {problem}")]
    BadAttr {
        /// Attribute name.
        name: String,
        /// What is wrong.
        problem: String,
    },
    /// A tensor had a different dtype than the operator expects.
    #[error("tensor `{name}` has dtype {got}, expected {expected}")]
    DType {
        /// Tensor name.
        name: String,
        /// Expected dtype.
        expected: DType,
        /// Actual dtype.
        got: DType,
    },
    /// A tensor had a shape the operator cannot accept.
    #[error("tensor `{name}` has shape {got:?}, expected {expected}")]
    Shape {
        /// Tensor name.
        name: String,
        /// Human description of the expected shape.
        expected: String,
        /// Actual shape.
        got: Vec<usize>,
    },
    /// Any other precondition of the operator was violated.
    #[error("{0}")]
    Invalid(String),
}

/// Result alias for reference operators.
pub type Result<T, E = RefError> = std::result::Result<T, E>;
