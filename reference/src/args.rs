//! What a reference operator receives: named inputs, resolved dimensions and attributes.

use crate::tensor::Tensor;
use crate::{RefError, Result};
use std::collections::BTreeMap;

/// An attribute value from a task spec (`attrs:`).
#[derive(Clone, Debug, PartialEq)]
pub enum AttrValue {
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// A string (e.g. a mode name).
    Str(String),
    /// A list of integers (e.g. per-axis kernel sizes).
    Ints(Vec<i64>),
}

impl AttrValue {
    /// The value as f64 when it is numeric.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            AttrValue::Int(i) => Some(*i as f64),
            AttrValue::Float(f) => Some(*f),
            AttrValue::Bool(b) => Some(f64::from(u8::from(*b))),
            _ => None,
        }
    }
}

/// The arguments of one reference call.
#[derive(Clone, Debug)]
pub struct OpArgs<'a> {
    /// Inputs in spec order, with their names.
    pub inputs: Vec<(&'a str, &'a Tensor)>,
    /// Every dimension by name: declared dims and derived ones.
    pub dims: &'a BTreeMap<String, i64>,
    /// Attributes by name.
    pub attrs: &'a BTreeMap<String, AttrValue>,
}

impl<'a> OpArgs<'a> {
    /// The input called `name`.
    pub fn input(&self, name: &str) -> Result<&'a Tensor> {
        self.inputs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
            .ok_or_else(|| RefError::MissingInput { name: name.into() })
    }

    /// The f32 buffer of input `name`.
    pub fn f32s(&self, name: &str) -> Result<&'a [f32]> {
        self.input(name)?.f32s(name)
    }

    /// Dimension `name` as usize.
    pub fn dim(&self, name: &str) -> Result<usize> {
        let v = *self.dims.get(name).ok_or_else(|| RefError::MissingDim { name: name.into() })?;
        usize::try_from(v).map_err(|_| RefError::Invalid(format!("dimension {name} = {v} is negative")))
    }

    /// Integer attribute `name`.
    pub fn int(&self, name: &str) -> Result<i64> {
        match self.attrs.get(name) {
            Some(AttrValue::Int(i)) => Ok(*i),
            Some(other) => {
                Err(RefError::BadAttr { name: name.into(), problem: format!("expected an integer, got {other:?}") })
            }
            None => Err(RefError::BadAttr { name: name.into(), problem: "missing".into() }),
        }
    }

    /// Integer attribute `name` as usize.
    pub fn uint(&self, name: &str) -> Result<usize> {
        let v = self.int(name)?;
        usize::try_from(v).map_err(|_| RefError::BadAttr { name: name.into(), problem: format!("{v} is negative") })
    }

    /// Numeric attribute `name` as f64 (integers are widened).
    pub fn float(&self, name: &str) -> Result<f64> {
        match self.attrs.get(name) {
            Some(v) => v.as_f64().ok_or_else(|| RefError::BadAttr {
                name: name.into(),
                problem: format!("expected a number, got {v:?}"),
            }),
            None => Err(RefError::BadAttr { name: name.into(), problem: "missing".into() }),
        }
    }

    /// Boolean attribute `name`.
    pub fn flag(&self, name: &str) -> Result<bool> {
        match self.attrs.get(name) {
            Some(AttrValue::Bool(b)) => Ok(*b),
            Some(other) => {
                Err(RefError::BadAttr { name: name.into(), problem: format!("expected a boolean, got {other:?}") })
            }
            None => Err(RefError::BadAttr { name: name.into(), problem: "missing".into() }),
        }
    }
}
