// Baseline for `sparse_masked_layernorm` (SparK SparseConvNeXtLayerNorm, channels_first), NCHW
// f32. At every visible (b, h, w) (mask nearest-upsampled from F x F) the C-vector is normalised:
//   mu = (1/C) sum_c x[b,c,h,w],  var = (1/C) sum_c (x[b,c,h,w] - mu)^2   (biased, two passes)
//   y[b,c,h,w] = gamma[c] * (x[b,c,h,w] - mu) / sqrt(var + EPS) + beta[c]
// and every masked position is written as 0 in all channels.
// Plain CUDA, one launch, one thread per pixel (b, h, w) (grid-stride). A thread walks the C
// channels of its pixel at stride H*W; neighbouring threads handle neighbouring pixels, so every
// channel step is a coalesced load. Statistics are accumulated in double, as in the reference.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

#define EPS 1e-6          // attr eps
#define THREADS 256
#define MAX_BLOCKS 65535

__global__ void sparse_masked_layernorm_kernel(const float* __restrict__ x,
                                               const uint8_t* __restrict__ active,
                                               const float* __restrict__ gamma,
                                               const float* __restrict__ beta,
                                               float* __restrict__ y, int64_t B, int64_t C,
                                               int64_t H, int64_t W, int64_t F) {
    const int64_t plane = H * W;
    const int64_t sh = H / F, sw = W / F;  // upsampling factors
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < B * plane;
         i += (int64_t)gridDim.x * blockDim.x) {
        const int64_t b = i / plane;
        const int64_t p = i % plane;
        const int64_t h = p / W, w = p % W;
        const float* xp = x + b * C * plane + p;
        float* yp = y + b * C * plane + p;
        if (!active[(b * F + h / sh) * F + w / sw]) {
            for (int64_t c = 0; c < C; ++c) yp[c * plane] = 0.0f;
            continue;
        }
        double s = 0.0;
        for (int64_t c = 0; c < C; ++c) s += (double)xp[c * plane];
        const double mu = s / (double)C;
        double v = 0.0;
        for (int64_t c = 0; c < C; ++c) {
            const double d = (double)xp[c * plane] - mu;
            v += d * d;
        }
        const double inv = 1.0 / sqrt(v / (double)C + EPS);
        for (int64_t c = 0; c < C; ++c)
            yp[c * plane] = (float)((double)gamma[c] * ((double)xp[c * plane] - mu) * inv + (double)beta[c]);
    }
}

extern "C" int sparse_masked_layernorm(const float* x, const uint8_t* active, const float* gamma,
                                       const float* beta, float* y, int64_t B, int64_t C,
                                       int64_t H, int64_t W, int64_t F, cudaStream_t stream) {
    const int64_t pixels = B * H * W;
    if (pixels == 0) return 0;
    const int64_t blocks = (pixels + THREADS - 1) / THREADS;
    sparse_masked_layernorm_kernel<<<(unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS), THREADS,
                                     0, stream>>>(x, active, gamma, beta, y, B, C, H, W, F);
    return (int)cudaGetLastError();
}
