//! The YAML shape of a task file, exactly as written by authors (before validation).
//!
//! Fields that later validation may complain about are `Spanned`, so an error can name the line
//! where the offending value stands.

use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTask {
    pub id: Spanned<String>,
    pub category: Spanned<String>,
    pub title: String,
    pub source: String,
    pub description: String,
    #[serde(default)]
    pub exemplar: bool,
    /// Whether the large-magnitude precision trial applies (default true).
    #[serde(default = "yes")]
    pub precision_band: bool,
    pub dims: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub derived: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub attrs: BTreeMap<String, Spanned<RawAttr>>,
    #[serde(default)]
    pub constraints: Vec<Spanned<String>>,
    pub inputs: Vec<RawTensor>,
    pub outputs: Vec<RawTensor>,
    pub sizes: Spanned<RawSizes>,
    pub tolerance: Spanned<RawTolerance>,
    pub reference: Spanned<String>,
    #[serde(default)]
    pub work: Option<RawWork>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSizes {
    pub tiny: Spanned<BTreeMap<String, i64>>,
    pub cpu: Spanned<BTreeMap<String, i64>>,
    pub gpu: Spanned<BTreeMap<String, i64>>,
    pub heldout: Spanned<BTreeMap<String, i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTolerance {
    pub atol: f64,
    pub rtol: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWork {
    pub flops: Spanned<String>,
    pub bytes: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTensor {
    pub name: Spanned<String>,
    pub dtype: Spanned<String>,
    pub shape: Spanned<Vec<Spanned<RawDim>>>,
    #[serde(default)]
    pub init: Option<Spanned<RawInit>>,
}

/// A shape entry: a literal size, a symbol, or an expression string.
#[derive(Debug)]
pub(crate) enum RawDim {
    Int(i64),
    Expr(String),
}

// Hand-written because `#[serde(untagged)]` buffers the value and loses the span wrapper.
impl<'de> Deserialize<'de> for RawDim {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = RawDim;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a size: an integer, a dim name or an expression string")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<RawDim, E> {
                Ok(RawDim::Int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawDim, E> {
                i64::try_from(v).map(RawDim::Int).map_err(|_| E::custom("size too large"))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawDim, E> {
                Ok(RawDim::Expr(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize)]
#[serde(tag = "dist", rename_all = "lowercase")]
pub(crate) enum RawInit {
    Normal {
        #[serde(default)]
        mean: f64,
        #[serde(default = "one")]
        std: f64,
    },
    Uniform {
        low: f64,
        high: f64,
    },
    Randint {
        low: i64,
        high: i64,
    },
    Bernoulli {
        p: f64,
    },
    Const {
        value: f64,
    },
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum RawAttr {
    Bool(bool),
    Int(i64),
    Float(f64),
    Ints(Vec<i64>),
    Str(String),
}
