//! convolution operators.
pub mod inception_dwconv2d;
pub mod std_conv2d_grouped;
pub mod std_depthwise_conv2d;
