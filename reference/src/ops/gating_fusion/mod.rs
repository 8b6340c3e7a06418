//! gating_fusion operators.
pub mod eca_channel_attention;
pub mod se_block_squeeze_excite;
