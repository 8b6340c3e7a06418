//! The registry: every operator is findable by path and carries its own source text.

use kernelsmith_reference::lookup;
use kernelsmith_reference::registry::OPS;

/// The twelve operators of docs/first-tasks.md.
const FIRST_TASKS: [&str; 12] = [
    "activation::relu",
    "activation::gelu_erf",
    "reduction::std_softmax_lastdim",
    "reduction::sum_reduce",
    "normalization::std_layernorm_lastdim",
    "matmul::matmul",
    "convolution::std_conv2d_grouped",
    "convolution::std_depthwise_conv2d",
    "convolution::inception_dwconv2d",
    "pooling::max_pool2d",
    "gating_fusion::eca_channel_attention",
    "attention::natten_na1d",
];

#[test]
fn lookup_finds_all_twelve_first_tasks() {
    for path in FIRST_TASKS {
        let op = lookup(path).unwrap_or_else(|| panic!("`{path}` is not registered"));
        assert_eq!(op.path, path);
    }
    assert!(lookup("activation::no_such_op").is_none());
}

#[test]
fn every_registry_source_contains_its_pub_fn() {
    for op in OPS {
        let name = op.path.rsplit("::").next().unwrap();
        assert!(
            op.source.contains(&format!("pub fn {name}(")),
            "source of `{}` does not contain `pub fn {name}(`",
            op.path
        );
        assert!(op.source.starts_with("//!"), "source of `{}` does not start with a //! header", op.path);
    }
}

#[test]
fn registry_paths_are_unique() {
    let mut paths: Vec<&str> = OPS.iter().map(|op| op.path).collect();
    paths.sort_unstable();
    paths.dedup();
    assert_eq!(paths.len(), OPS.len(), "duplicate registry path");
}
