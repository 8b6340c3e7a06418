// Baseline for `spartan_wave_channel_aggregation` (SpaRTAN CMixer head), NCHW f32, Cn = C * E:
//   idx          = argmax_{k < C} x[b,k,h,w]                  (strict >, first maximum wins)
//   theta[n]     = gelu(b_t[n] + sum_k w_t[n,k] x[b,k,h,w]),   wgt[n] = b_p[n] + sum_k w_p[n,k] x[b,k,h,w]
//   f[n]         = wgt[n] theta[n] + wgt[idx] theta[idx]       (idx indexes the EXPANDED channels)
//   out[2j]      = a f[2j] - c f[2j+1],   out[2j+1] = a f[2j+1] + c f[2j]   (a, c = cplx[j])
// Plain CUDA in two launches:
//   1. max_term_kernel: one thread per pixel finds idx and stores mx = wgt[idx] * theta[idx].
//   2. pair_kernel:     one thread per (b, j, pixel) computes channels 2j and 2j+1 and the complex
//                       product; neighbouring threads take neighbouring pixels (coalesced).
// The per-pixel term mx lives in a [B, H, W] scratch buffer. Float accumulation, exact erf GELU.
#include <cstdint>
#include <cuda_runtime.h>

#define EXPAND 4  // attr E
#define THREADS 256
#define MAX_BLOCKS 65535

static unsigned grid_for(int64_t work) {
    const int64_t blocks = (work + THREADS - 1) / THREADS;
    return (unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS);
}

__device__ float gelu(float t) { return 0.5f * t * (1.0f + erff(t * 0.70710678118654752f)); }

// wgt[n] * theta[n] of expanded channel n at one pixel; xp points at the pixel's input channel 0
// and consecutive input channels are hw floats apart.
__device__ float gated_channel(const float* xp, int64_t hw, const float* w_t, const float* b_t,
                               const float* w_p, const float* b_p, int64_t n, int64_t C) {
    float st = b_t[n], sp = b_p[n];
    for (int64_t k = 0; k < C; ++k) {
        const float xv = xp[k * hw];
        st += w_t[n * C + k] * xv;
        sp += w_p[n * C + k] * xv;
    }
    return sp * gelu(st);
}

__global__ void max_term_kernel(const float* __restrict__ x, const float* __restrict__ w_t,
                                const float* __restrict__ b_t, const float* __restrict__ w_p,
                                const float* __restrict__ b_p, float* __restrict__ mx, int64_t B,
                                int64_t C, int64_t hw) {
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < B * hw;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t p = e % hw;
        const int64_t b = e / hw;
        const float* xp = x + b * C * hw + p;
        int64_t idx = 0;
        for (int64_t k = 1; k < C; ++k)
            if (xp[k * hw] > xp[idx * hw]) idx = k;
        mx[e] = gated_channel(xp, hw, w_t, b_t, w_p, b_p, idx, C);
    }
}

__global__ void pair_kernel(const float* __restrict__ x, const float* __restrict__ w_t,
                            const float* __restrict__ b_t, const float* __restrict__ w_p,
                            const float* __restrict__ b_p, const float* __restrict__ cplx,
                            const float* __restrict__ mx, float* __restrict__ out, int64_t B,
                            int64_t C, int64_t hw) {
    const int64_t pairs = C * EXPAND / 2;
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < B * pairs * hw;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t p = e % hw;
        const int64_t j = (e / hw) % pairs;
        const int64_t b = e / (hw * pairs);
        const float* xp = x + b * C * hw + p;
        const float m = mx[b * hw + p];
        const float re = gated_channel(xp, hw, w_t, b_t, w_p, b_p, 2 * j, C) + m;
        const float im = gated_channel(xp, hw, w_t, b_t, w_p, b_p, 2 * j + 1, C) + m;
        const float a = cplx[2 * j], c = cplx[2 * j + 1];
        float* ob = out + b * 2 * pairs * hw + p;
        ob[(2 * j) * hw] = a * re - c * im;
        ob[(2 * j + 1) * hw] = a * im + c * re;
    }
}

extern "C" int spartan_wave_channel_aggregation(const float* x, const float* w_t, const float* b_t,
                                                const float* w_p, const float* b_p,
                                                const float* cplx, float* out, int64_t B, int64_t C,
                                                int64_t H, int64_t W, cudaStream_t stream) {
    const int64_t hw = H * W;
    if (B * C * hw == 0) return 0;
    float* mx = nullptr;  // [B, H, W]
    cudaError_t err = cudaMallocAsync(&mx, (size_t)(B * hw) * sizeof(float), stream);
    if (err != cudaSuccess) return (int)err;

    max_term_kernel<<<grid_for(B * hw), THREADS, 0, stream>>>(x, w_t, b_t, w_p, b_p, mx, B, C, hw);
    pair_kernel<<<grid_for(B * (C * EXPAND / 2) * hw), THREADS, 0, stream>>>(x, w_t, b_t, w_p, b_p,
                                                                             cplx, mx, out, B, C,
                                                                             hw);

    cudaFreeAsync(mx, stream);
    return (int)cudaGetLastError();
}
