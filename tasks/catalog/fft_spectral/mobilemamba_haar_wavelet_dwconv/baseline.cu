// Baseline for `mobilemamba_haar_wavelet_dwconv` (MobileMamba MBWTConv2d, one Haar level), NCHW f32:
//   S = haar(x) (zero-pad odd H/W to 2*Hh x 2*Wh), T = s_wt * dwconv_KSxKS(S) ('same', zero pad),
//   z = ihaar(T) cropped to H x W, y = s_base * g + z.
// Plain CUDA in two launches (the depthwise conv needs a KS x KS neighbourhood of sub-band values):
//   1. haar_kernel: one thread per 2x2 input block (b, c, i, j) writes the 4 sub-bands
//      S[b, 4c+q, i, j] to scratch.
//   2. synth_kernel: one thread per sub-band position (b, c, i, j): the 4 depthwise convolutions
//      and scales give t0..t3, the inverse Haar gives the 2x2 output block, which is fused with
//      g (positions past H or W, i.e. the padding, are cropped).
// Sums are in float, as in baseline.c (25 taps per value).
#include <cstdint>
#include <cuda_runtime.h>

#define KS 5              // attr k (odd)
#define THREADS 256
#define MAX_BLOCKS 65535

__global__ void haar_kernel(const float* __restrict__ x, float* __restrict__ S, int64_t BC,
                            int64_t H, int64_t W, int64_t hh, int64_t wh) {
    const int64_t sb = hh * wh;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < BC * sb;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t bc = idx / sb;  // = b*C + c
        const int64_t o = idx % sb;
        const int64_t i = o / wh, j = o % wh;
        const float* xc = x + bc * H * W;
        const int64_t r0 = 2 * i, r1 = 2 * i + 1, c0 = 2 * j, c1 = 2 * j + 1;
        const float a = xc[r0 * W + c0];
        const float b = (c1 < W) ? xc[r0 * W + c1] : 0.0f;
        const float p = (r1 < H) ? xc[r1 * W + c0] : 0.0f;
        const float q = (r1 < H && c1 < W) ? xc[r1 * W + c1] : 0.0f;
        float* s = S + bc * 4 * sb + o;  // sub-band q of channel c is wavelet channel 4c + q
        s[0 * sb] = 0.5f * (a + b + p + q);
        s[1 * sb] = 0.5f * (a + b - p - q);
        s[2 * sb] = 0.5f * (a - b + p - q);
        s[3 * sb] = 0.5f * (a - b - p + q);
    }
}

__global__ void synth_kernel(const float* __restrict__ S, const float* __restrict__ g,
                             const float* __restrict__ w_wt, const float* __restrict__ s_wt,
                             const float* __restrict__ s_base, float* __restrict__ y, int64_t C,
                             int64_t BC, int64_t H, int64_t W, int64_t hh, int64_t wh) {
    const int64_t sb = hh * wh;
    const int pad = KS / 2;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < BC * sb;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t bc = idx / sb;
        const int64_t c = bc % C;
        const int64_t o = idx % sb;
        const int64_t i = o / wh, j = o % wh;
        float t[4];
        for (int q = 0; q < 4; ++q) {
            const int64_t m = 4 * c + q;
            const float* kw = w_wt + m * KS * KS;
            const float* sm = S + (bc * 4 + q) * sb;
            float acc = 0.0f;
            for (int u = 0; u < KS; ++u) {
                const int64_t ii = i + u - pad;
                if (ii < 0 || ii >= hh) continue;
                for (int v = 0; v < KS; ++v) {
                    const int64_t jj = j + v - pad;
                    if (jj < 0 || jj >= wh) continue;
                    acc += kw[u * KS + v] * sm[ii * wh + jj];
                }
            }
            t[q] = s_wt[m] * acc;
        }
        const float z[2][2] = {{0.5f * (t[0] + t[1] + t[2] + t[3]), 0.5f * (t[0] + t[1] - t[2] - t[3])},
                               {0.5f * (t[0] - t[1] + t[2] - t[3]), 0.5f * (t[0] - t[1] - t[2] + t[3])}};
        const float sbase = s_base[c];
        const float* gc = g + bc * H * W;
        float* yc = y + bc * H * W;
        for (int di = 0; di < 2; ++di) {
            const int64_t ii = 2 * i + di;
            if (ii >= H) continue;
            for (int dj = 0; dj < 2; ++dj) {
                const int64_t jj = 2 * j + dj;
                if (jj >= W) continue;
                yc[ii * W + jj] = sbase * gc[ii * W + jj] + z[di][dj];
            }
        }
    }
}

extern "C" int mobilemamba_haar_wavelet_dwconv(const float* x, const float* g, const float* w_wt,
                                               const float* s_wt, const float* s_base, float* y,
                                               int64_t B, int64_t C, int64_t H, int64_t W,
                                               cudaStream_t stream) {
    const int64_t hh = (H + 1) / 2, wh = (W + 1) / 2;
    const int64_t BC = B * C;
    const int64_t work = BC * hh * wh;
    if (work == 0) return 0;
    float* S = nullptr;  // sub-bands [B, 4C, hh, wh]
    cudaMallocAsync((void**)&S, sizeof(float) * 4 * (size_t)work, stream);
    int64_t blocks = (work + THREADS - 1) / THREADS;
    if (blocks > MAX_BLOCKS) blocks = MAX_BLOCKS;
    haar_kernel<<<(unsigned)blocks, THREADS, 0, stream>>>(x, S, BC, H, W, hh, wh);
    synth_kernel<<<(unsigned)blocks, THREADS, 0, stream>>>(S, g, w_wt, s_wt, s_base, y, C, BC, H, W,
                                                           hh, wh);
    cudaFreeAsync(S, stream);
    return (int)cudaGetLastError();
}
