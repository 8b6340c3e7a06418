//! Token prices, from a small YAML file the user can edit (`harness/prices.yaml` is built in).

use anyhow::Context;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The built-in price table.
pub const DEFAULT_PRICES: &str = include_str!("../prices.yaml");

#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Price {
    /// USD per million input (prompt) tokens.
    pub input: f64,
    /// USD per million output tokens (reasoning included).
    pub output: f64,
}

#[derive(Debug, Clone, Default)]
pub struct Prices(BTreeMap<String, Price>);

impl Prices {
    pub fn parse(text: &str, origin: &str) -> anyhow::Result<Prices> {
        let map: BTreeMap<String, Price> =
            serde_saphyr::from_str(text)
                .map_err(|e| anyhow::anyhow!("{origin}: {e}"))
                .context("bad price file (expected `model: { input: USD, output: USD }` per line)")?;
        Ok(Prices(map))
    }

    pub fn load(path: Option<&Path>) -> anyhow::Result<Prices> {
        match path {
            Some(p) => {
                let text =
                    std::fs::read_to_string(p).with_context(|| format!("cannot read price file {}", p.display()))?;
                Prices::parse(&text, &p.display().to_string())
            }
            None => Prices::parse(DEFAULT_PRICES, "built-in prices.yaml"),
        }
    }

    /// The price for a model spec: the full spec first, then the bare model name.
    pub fn for_model(&self, spec: &str) -> Option<Price> {
        // Model parameters (`?thinking=8000`) do not change the price.
        let spec = spec.split_once('?').map_or(spec, |(s, _)| s);
        self.0.get(spec).or_else(|| spec.split_once(':').and_then(|(_, m)| self.0.get(m))).copied()
    }

    pub fn cost(&self, spec: &str, prompt_tokens: Option<i64>, completion_tokens: Option<i64>) -> Option<f64> {
        let p = self.for_model(spec)?;
        Some((prompt_tokens.unwrap_or(0) as f64 * p.input + completion_tokens.unwrap_or(0) as f64 * p.output) / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_prices_parse_and_cost_is_per_million_tokens() {
        let p = Prices::load(None).unwrap();
        let c = p.cost("openai:gpt-4.1", Some(1_000_000), Some(500_000)).unwrap();
        assert!((c - (2.0 + 4.0)).abs() < 1e-12, "{c}");
        assert_eq!(p.cost("replay:examples/replay", Some(10), Some(10)), None);
        assert_eq!(
            p.for_model("anthropic:claude-sonnet-4-5?thinking=8000"),
            p.for_model("anthropic:claude-sonnet-4-5")
        );
    }

    #[test]
    fn bare_model_names_match_any_provider_and_bad_files_say_what_to_write() {
        let p = Prices::parse("my-model: { input: 1.0, output: 2.0 }", "t").unwrap();
        assert_eq!(p.for_model("openai-compatible:my-model"), Some(Price { input: 1.0, output: 2.0 }));
        let e = Prices::parse("m: { input: 1.0, outptu: 2.0 }", "t").unwrap_err();
        assert!(format!("{e:#}").contains("input: USD"), "{e:#}");
    }
}
