//! Quantized operators: integer-only arithmetic with fixed-point requantisation.

pub mod int8_depthwise_conv2d_requant;
pub mod int8_pointwise_conv2d_requant;
