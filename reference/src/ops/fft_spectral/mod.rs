//! fft_spectral operators.
pub mod fft2;
pub mod fftshift;
pub mod ifft2;
pub mod rfft2;
pub mod std_dct2_ii_unnormalized;
