// Baseline for `natten_na1d`: 1-D neighborhood attention (NATTEN semantics: non-causal, stride 1,
// scale D^-0.5), heads-last layout q, k, v, o = [B, L, Hh, D], f32.
// For query i the window holds exactly KS keys of i's dilation group, shifted inward at the
// borders (never truncated):
//   g = i % DIL, i' = i / DIL, Lg = L / DIL + (g < L % DIL)    (length of group g)
//   start = clamp(i' - KS/2, 0, Lg - KS)                     (odd KS)
//   keys j = g + DIL * t for t in [start, start + KS)
//   s_j = scale * <q_i, k_j>,  p = softmax(s) over the window,  o_i = sum_j p_j v_j
// Plain CUDA: one thread per (b, i, h) query row. The window is only KS = 7 keys, so each thread
// keeps its KS scores in registers, does a max-subtracted softmax and writes o_i one channel at a
// time. Thread index order (b, i, h) makes neighbouring threads read neighbouring heads of the same
// token, which are adjacent in memory. Float accumulation, as the task allows.
#include <cstdint>
#include <cuda_runtime.h>

#define KS 7   // attr kernel_size (odd)
#define DIL 1  // attr dilation
#define THREADS 256
#define MAX_BLOCKS 65535

__global__ void natten_na1d_kernel(const float* __restrict__ q, const float* __restrict__ k,
                                   const float* __restrict__ v, float* __restrict__ o,
                                   int64_t B, int64_t L, int64_t Hh, int64_t D, float scale) {
    const int64_t rows = B * L * Hh;
    const int64_t row = Hh * D;  // stride between consecutive positions
    const int64_t left = KS / 2;
    for (int64_t r = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; r < rows;
         r += (int64_t)gridDim.x * blockDim.x) {
        const int64_t h = r % Hh;
        const int64_t i = (r / Hh) % L;
        const int64_t b = r / (Hh * L);

        // Window start inside the dilation group, shifted inward at both borders.
        const int64_t g = i % DIL;
        const int64_t ip = i / DIL;
        const int64_t Lg = L / DIL + (g < L % DIL ? 1 : 0);
        int64_t start = ip - left;
        if (start < 0) start = 0;
        if (start > Lg - KS) start = Lg - KS;

        // Scores s_t = scale * <q_i, k_j> and their maximum.
        const float* qi = q + (b * L + i) * row + h * D;
        float s[KS];
        float m = -INFINITY;
        for (int t = 0; t < KS; ++t) {
            const int64_t j = g + DIL * (start + t);
            const float* kj = k + (b * L + j) * row + h * D;
            float dot = 0.0f;
            for (int64_t d = 0; d < D; ++d) dot += qi[d] * kj[d];
            s[t] = dot * scale;
            m = fmaxf(m, s[t]);
        }

        // Max-subtracted softmax over the window.
        float denom = 0.0f;
        for (int t = 0; t < KS; ++t) {
            s[t] = expf(s[t] - m);
            denom += s[t];
        }
        const float inv = 1.0f / denom;

        // o_i = sum_t p_t v_j, one output channel at a time.
        float* oi = o + (b * L + i) * row + h * D;
        for (int64_t d = 0; d < D; ++d) {
            float acc = 0.0f;
            for (int t = 0; t < KS; ++t) {
                const int64_t j = g + DIL * (start + t);
                acc += s[t] * v[(b * L + j) * row + h * D + d];
            }
            oi[d] = acc * inv;
        }
    }
}

extern "C" int natten_na1d(const float* q, const float* k, const float* v, float* o,
                           int64_t B, int64_t L, int64_t Hh, int64_t D, cudaStream_t stream) {
    const int64_t rows = B * L * Hh;
    if (rows == 0) return 0;
    const float scale = (float)(1.0 / sqrt((double)D));
    const int64_t blocks = (rows + THREADS - 1) / THREADS;
    natten_na1d_kernel<<<(unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS), THREADS, 0, stream>>>(
        q, k, v, o, B, L, Hh, D, scale);
    return (int)cudaGetLastError();
}
