//! convolution operators.
pub mod blur_kernel_convolution;
pub mod inception_dwconv2d;
pub mod partial_conv3x3;
pub mod std_conv2d_grouped;
pub mod std_depthwise_conv2d;
pub mod yolov13_dsconv_bn_silu;
