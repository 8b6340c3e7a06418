// Baseline for `longconv_kernel_squash`: moving-average smoothing (AvgPool1d, window 7, zero
// padding 3, count_include_pad) along the kernel length, then soft threshold with lam = 0.003:
//   s[r, l]     = (1/WIN) * sum_{t = -WIN/2 .. WIN/2} k[r, l + t]     (taps outside [0, Lk) read 0)
//   k_out[r, l] = sign(s) * max(|s| - LAM, 0)                          (r = c*H + h, one row each)
// Plain CUDA: one thread per output element, grid-stride loop; the 7-tap window is summed in
// float (neighbouring threads re-read overlapping windows, which the cache absorbs).
#include <cstdint>
#include <cuda_runtime.h>

constexpr float LAM = 0.003f;  // attr lam
constexpr int WIN = 7;         // attr window (smooth = true)

__global__ void squash_kernel(const float* __restrict__ k, float* __restrict__ k_out,
                              int64_t rows, int64_t Lk) {
    const int64_t total = rows * Lk;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t l = idx % Lk;
        const float* kr = k + (idx - l);  // start of this row
        float s = 0.0f;
        for (int t = -WIN / 2; t <= WIN / 2; ++t) {
            const int64_t i = l + t;
            if (i >= 0 && i < Lk) s += kr[i];
        }
        s /= (float)WIN;  // count_include_pad: always divide by the full window
        const float mag = (s > 0.0f ? s : -s) - LAM;
        k_out[idx] = mag > 0.0f ? (s > 0.0f ? mag : -mag) : 0.0f;  // sign(0) = 0
    }
}

extern "C" int longconv_kernel_squash(const float* k, float* k_out, int64_t C, int64_t H, int64_t Lk,
                                      cudaStream_t stream) {
    const int64_t total = C * H * Lk;
    const int threads = 256;
    const int64_t blocks = (total + threads - 1) / threads;
    const unsigned grid = (unsigned)(blocks < 65535 ? blocks : 65535);
    squash_kernel<<<grid, threads, 0, stream>>>(k, k_out, C * H, Lk);
    return (int)cudaGetLastError();
}
