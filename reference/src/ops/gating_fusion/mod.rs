//! gating_fusion operators.
pub mod eca_channel_attention;
