// Baseline for `natten_na2d`: 2-D neighborhood attention (NATTEN semantics: non-causal, stride 1,
// scale D^-0.5, no bias), heads-last layout q, k, v, o = [B, H, W, Hh, D], f32.
// Per axis (length L), index i gets KS indices of its dilation group, shifted inward at borders:
//   g = i % DIL, i' = i / DIL, Lg = L / DIL + (g < L % DIL)
//   start = clamp(i' - KS/2, 0, Lg - KS); indices g + DIL * t for t in [start, start + KS)
// The 2-D neighbourhood is the product of the row window and the column window (KS*KS keys).
// Plain CUDA: one thread per (b, r, c, h) query; the KS*KS = 49 scores stay in registers, the
// softmax is max-subtracted, and o is written one channel at a time. Thread order (b, r, c, h)
// makes neighbouring threads read neighbouring heads of the same pixel. Float accumulation.
#include <cstdint>
#include <cuda_runtime.h>

#define KS 7   // attr kernel_size (odd)
#define DIL 2  // attr dilation
#define THREADS 256
#define MAX_BLOCKS 65535

// First index of the KS-long dilated window of index i on an axis of length L (shifted inward).
__device__ int64_t window_start(int64_t i, int64_t L) {
    const int64_t g = i % DIL;
    const int64_t ip = i / DIL;
    const int64_t Lg = L / DIL + (g < L % DIL ? 1 : 0);
    int64_t start = ip - KS / 2;
    if (start < 0) start = 0;
    if (start > Lg - KS) start = Lg - KS;
    return g + DIL * start;  // the window is start, start + DIL, ..., start + DIL*(KS-1)
}

__global__ void natten_na2d_kernel(const float* __restrict__ q, const float* __restrict__ k,
                                   const float* __restrict__ v, float* __restrict__ o, int64_t B,
                                   int64_t H, int64_t W, int64_t Hh, int64_t D, float scale) {
    const int64_t queries = B * H * W * Hh;
    const int64_t pix = Hh * D;  // stride between neighbouring pixels
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < queries;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t h = e % Hh;
        const int64_t c = (e / Hh) % W;
        const int64_t r = (e / (Hh * W)) % H;
        const int64_t b = e / (Hh * W * H);
        const int64_t r0 = window_start(r, H);
        const int64_t c0 = window_start(c, W);
        const float* qi = q + e * D;  // e = ((b*H + r)*W + c)*Hh + h

        float s[KS * KS];
        float m = -INFINITY;
        for (int u = 0; u < KS; ++u) {
            for (int t = 0; t < KS; ++t) {
                const int64_t key = (b * H + r0 + DIL * u) * W + c0 + DIL * t;
                const float* kj = k + key * pix + h * D;
                float dot = 0.0f;
                for (int64_t d = 0; d < D; ++d) dot += qi[d] * kj[d];
                s[u * KS + t] = dot * scale;
                m = fmaxf(m, s[u * KS + t]);
            }
        }
        float denom = 0.0f;
        for (int j = 0; j < KS * KS; ++j) {
            s[j] = expf(s[j] - m);
            denom += s[j];
        }
        const float inv = 1.0f / denom;

        float* oi = o + e * D;
        for (int64_t d = 0; d < D; ++d) {
            float acc = 0.0f;
            for (int u = 0; u < KS; ++u) {
                for (int t = 0; t < KS; ++t) {
                    const int64_t key = (b * H + r0 + DIL * u) * W + c0 + DIL * t;
                    acc += s[u * KS + t] * v[key * pix + h * D + d];
                }
            }
            oi[d] = acc * inv;
        }
    }
}

extern "C" int natten_na2d(const float* q, const float* k, const float* v, float* o, int64_t B,
                           int64_t H, int64_t W, int64_t Hh, int64_t D, cudaStream_t stream) {
    const int64_t queries = B * H * W * Hh;
    if (queries == 0) return 0;
    const float scale = (float)(1.0 / sqrt((double)D));
    const int64_t blocks = (queries + THREADS - 1) / THREADS;
    natten_na2d_kernel<<<(unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS), THREADS, 0, stream>>>(
        q, k, v, o, B, H, W, Hh, D, scale);
    return (int)cudaGetLastError();
}
