// Baseline for `blur_kernel_convolution` (circular blur, one kernel per image), f32:
//   y[b,c,i,j] = sum_{u<KH, v<KW} k[b,u,v] * x[b,c,(i-u+KH/2) mod H,(j-v+KW/2) mod W]
// A true convolution (flipped kernel) with periodic boundaries.
// Plain CUDA: one thread per output element, grid-stride loop, float accumulation (at most
// 31x31 non-negative products per output). Since KH <= H and KW <= W, every index
// i - u + KH/2 lies in (-H, 2H), so a single conditional add/subtract wraps it.
#include <cstdint>
#include <cuda_runtime.h>

__global__ void blur_kernel(const float* __restrict__ x, const float* __restrict__ k,
                            float* __restrict__ y, int64_t B, int64_t C, int64_t H, int64_t W,
                            int64_t KH, int64_t KW) {
    const int64_t total = B * C * H * W;
    const int64_t ch = KH / 2, cw = KW / 2;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t j = idx % W;
        const int64_t i = (idx / W) % H;
        const int64_t bc = idx / (W * H);  // b*C + c
        const int64_t b = bc / C;
        const float* xp = x + bc * H * W;
        const float* kb = k + b * KH * KW;
        float acc = 0.0f;
        for (int64_t u = 0; u < KH; ++u) {
            int64_t r = i - u + ch;
            if (r < 0) r += H; else if (r >= H) r -= H;
            const float* xr = xp + r * W;
            for (int64_t v = 0; v < KW; ++v) {
                int64_t q = j - v + cw;
                if (q < 0) q += W; else if (q >= W) q -= W;
                acc += kb[u * KW + v] * xr[q];
            }
        }
        y[idx] = acc;
    }
}

extern "C" int blur_kernel_convolution(const float* x, const float* k, float* y, int64_t B, int64_t C,
                                       int64_t H, int64_t W, int64_t KH, int64_t KW,
                                       cudaStream_t stream) {
    const int64_t total = B * C * H * W;
    const int threads = 256;
    const int64_t blocks = (total + threads - 1) / threads;
    const unsigned grid = (unsigned)(blocks < 65535 ? blocks : 65535);
    blur_kernel<<<grid, threads, 0, stream>>>(x, k, y, B, C, H, W, KH, KW);
    return (int)cudaGetLastError();
}
