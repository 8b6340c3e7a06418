// Baseline for `lsnet_ska_pixelwise_aggregation` (LSNet SKA), NCHW f32, G = C / GROUPS:
//   y[n,c,i,j] = sum_{kh,kw<3} x[n,c,i+kh-1,j+kw-1] * Wdyn[n, c % G, kh*3+kw, i, j]   (zero pad 1)
// A per-pixel 3x3 depthwise kernel shared by the interleaved channels c, c+G, c+2G, ...
// Plain CUDA: one thread per output element (grid-stride, j fastest, so both the x taps and the
// Wdyn taps of a warp are contiguous), float accumulation of the 9 products.
#include <cstdint>
#include <cuda_runtime.h>

constexpr int GROUPS = 8;  // attr groups (G = C / groups)

__global__ void ska_kernel(const float* __restrict__ x, const float* __restrict__ Wdyn,
                           float* __restrict__ y, int64_t N, int64_t C, int64_t H, int64_t W,
                           int64_t G) {
    const int64_t plane = H * W;
    const int64_t total = N * C * plane;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t p = idx % plane;
        const int64_t i = p / W, j = p % W;
        const int64_t c = (idx / plane) % C;
        const int64_t n = idx / (plane * C);
        const float* xc = x + (n * C + c) * plane;
        const float* wk = Wdyn + (n * G + c % G) * 9 * plane + p;  // tap t at wk[t * plane]
        float s = 0.0f;
        for (int kh = 0; kh < 3; ++kh) {
            const int64_t ii = i + kh - 1;
            if (ii < 0 || ii >= H) continue;
            for (int kw = 0; kw < 3; ++kw) {
                const int64_t jj = j + kw - 1;
                if (jj < 0 || jj >= W) continue;
                s += xc[ii * W + jj] * wk[(kh * 3 + kw) * plane];
            }
        }
        y[idx] = s;
    }
}

extern "C" int lsnet_ska_pixelwise_aggregation(const float* x, const float* Wdyn, float* y, int64_t N,
                                               int64_t C, int64_t H, int64_t W, cudaStream_t stream) {
    const int64_t G = C / GROUPS;
    const int64_t total = N * C * H * W;
    const int threads = 256;
    const int64_t blocks = (total + threads - 1) / threads;
    ska_kernel<<<(unsigned)(blocks < 65535 ? blocks : 65535), threads, 0, stream>>>(x, Wdyn, y, N, C, H,
                                                                                   W, G);
    return (int)cudaGetLastError();
}
