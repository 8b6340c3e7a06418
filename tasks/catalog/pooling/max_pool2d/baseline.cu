// Baseline for `max_pool2d`: PyTorch nn.MaxPool2d(KERNEL, STRIDE, PAD) forward, dilation 1,
// floor mode, NCHW f32:
//   Ho = (H + 2*PAD - KERNEL) / STRIDE + 1   (same for Wo)
//   y[n,c,i,j] = max over u, v < KERNEL of x[n, c, i*STRIDE - PAD + u, j*STRIDE - PAD + v]
// Padded positions count as -infinity, i.e. they never win: the max is taken over the in-image
// part of the window only (never empty because PAD <= KERNEL/2).
// Plain CUDA: one thread per output element, grid-stride loop over the flat output index with
// j fastest, so neighbouring threads read neighbouring (stride-2) input columns of the same rows.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

// Attributes of the task (kernel, stride, pad), baked in as compile-time constants.
constexpr int KERNEL = 3;
constexpr int STRIDE = 2;
constexpr int PAD = 1;

__global__ void max_pool2d_kernel(const float* __restrict__ x, float* __restrict__ y,
                                  int64_t NC, int64_t H, int64_t W, int64_t Ho, int64_t Wo) {
    const int64_t total = NC * Ho * Wo;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        // Decompose the flat output index into (plane nc = n*C + c, row i, column j).
        const int64_t j = idx % Wo;
        const int64_t i = (idx / Wo) % Ho;
        const int64_t nc = idx / (Wo * Ho);

        // Clip the window to the image instead of testing every tap: rows [hs, he), cols [ws, we).
        const int64_t h0 = i * STRIDE - PAD;
        const int64_t w0 = j * STRIDE - PAD;
        const int64_t hs = h0 < 0 ? 0 : h0;
        const int64_t ws = w0 < 0 ? 0 : w0;
        const int64_t he = h0 + KERNEL < H ? h0 + KERNEL : H;
        const int64_t we = w0 + KERNEL < W ? w0 + KERNEL : W;

        const float* xp = x + nc * H * W;
        float m = -INFINITY;  // identity of max; replaced by the first in-image value
        for (int64_t h = hs; h < he; ++h) {
            for (int64_t w = ws; w < we; ++w) {
                const float v = xp[h * W + w];
                m = v > m ? v : m;
            }
        }
        y[idx] = m;  // idx == (nc*Ho + i)*Wo + j, the NCHW offset of the output
    }
}

extern "C" int max_pool2d(const float* x, float* y, int64_t N, int64_t C, int64_t H, int64_t W,
                          cudaStream_t stream) {
    const int64_t Ho = (H + 2 * PAD - KERNEL) / STRIDE + 1;
    const int64_t Wo = (W + 2 * PAD - KERNEL) / STRIDE + 1;
    const int64_t total = N * C * Ho * Wo;

    const int threads = 256;
    const int64_t blocks = (total + threads - 1) / threads;
    const unsigned grid = (unsigned)(blocks < 65535 ? blocks : 65535);
    max_pool2d_kernel<<<grid, threads, 0, stream>>>(x, y, N * C, H, W, Ho, Wo);
    return (int)cudaGetLastError();
}
